import assert from "node:assert/strict";
import {
  getPropertiesArgv,
  getResumeTokenArgv,
  parseProperties,
  parseResumeToken,
} from "../../lib/zfs/get.ts";
import {
  isPoolFeatureEnabled,
  isVersionAtLeast,
  parseZfsVersion,
  parseZpoolFeatures,
  zfsFeatures,
  zpoolFeaturesArgv,
} from "../../lib/zfs/version.ts";
import { isAbsentMessage, ZfsParseError } from "../../lib/zfs/errors.ts";

Deno.test("resume token argv and parse", () => {
  assert.deepEqual(getResumeTokenArgv("bak/a"), [
    "zfs",
    "get",
    "-Hp",
    "-o",
    "value",
    "-s",
    "none",
    "receive_resume_token",
    "bak/a",
  ]); // prettier-ignore
  assert.equal(parseResumeToken("1-e604ea4bf-e0-789c63a2\n"), "1-e604ea4bf-e0-789c63a2");
  assert.equal(parseResumeToken("-\n"), undefined);
  assert.equal(parseResumeToken(""), undefined);
});

Deno.test("properties argv and parse with sources and tabs in values", () => {
  assert.deepEqual(getPropertiesArgv("tank/a"), [
    "zfs",
    "get",
    "-Hp",
    "-o",
    "property,value,source",
    "all",
    "tank/a",
  ]);
  assert.deepEqual(
    getPropertiesArgv("tank/a", {
      sources: "local,received",
      properties: ["compression", "atime"],
    }),
    [
      "zfs",
      "get",
      "-Hp",
      "-o",
      "property,value,source",
      "-s",
      "local,received",
      "compression,atime",
      "tank/a",
    ],
  ); // prettier-ignore
  const m = parseProperties(
    "compression\tzstd\tlocal\nrecordsize\t131072\tinherited from tank\ncom.x:note\ta\tb\treceived\n",
  );
  assert.deepEqual([...m.keys()], ["compression", "recordsize", "com.x:note"]);
  assert.deepEqual(m.get("recordsize"), { value: "131072", source: "inherited from tank" });
  assert.deepEqual(m.get("com.x:note"), { value: "a\tb", source: "received" });
  assert.throws(() => parseProperties("compression\tzstd\n"), ZfsParseError);
});

Deno.test("parseZfsVersion handles the formats seen in the wild", () => {
  const cases: [string, [number, number, number]][] = [
    ["zfs-2.1.11-1\nzfs-kmod-2.1.11-1\n", [2, 1, 11]],
    ["zfs-2.3.2-1~bpo12+1\nzfs-kmod-2.3.2-1~bpo12+1\n", [2, 3, 2]],
    ["zfs-2.1.5-1ubuntu6~22.04.1\n", [2, 1, 5]],
    ["zfs-2.2.3-FreeBSD_g52bad4f23\n", [2, 2, 3]],
    ["zfswin-2.2.3rc5\n", [2, 2, 3]],
    ["zfs-0.8.3-1ubuntu12\n", [0, 8, 3]],
  ];
  for (const [text, [major, minor, patch]] of cases) {
    const v = parseZfsVersion(text);
    assert.deepEqual([v.major, v.minor, v.patch], [major, minor, patch], text);
  }
  assert.equal(parseZfsVersion("zfs-2.1.11-1\n").text, "zfs-2.1.11-1");
  assert.throws(() => parseZfsVersion("unrecognized command '--version'\n"), ZfsParseError);
  assert.throws(() => parseZfsVersion(""), ZfsParseError);
});

Deno.test("isVersionAtLeast and zfsFeatures: 2.1 vs 2.2 vs 2.3", () => {
  const v21 = parseZfsVersion("zfs-2.1.11-1");
  const v22 = parseZfsVersion("zfs-2.2.0-1");
  const v23 = parseZfsVersion("zfs-2.3.2-1");
  const v08 = parseZfsVersion("zfs-0.8.3-1");
  assert.equal(isVersionAtLeast(v21, "2.1.0"), true);
  assert.equal(isVersionAtLeast(v21, "2.1.12"), false);
  assert.equal(isVersionAtLeast(v21, "2.2"), false);
  assert.equal(isVersionAtLeast(v22, "2.2.0"), true);
  assert.equal(isVersionAtLeast(v23, "2.2.0"), true);
  assert.equal(isVersionAtLeast(v23, "3"), false);
  assert.deepEqual(zfsFeatures(v21), {
    snapshotsChanged: false,
    reliableResume: true,
    preservePropertiesWithProps: false,
  });
  assert.deepEqual(zfsFeatures(v23), {
    snapshotsChanged: true,
    reliableResume: true,
    preservePropertiesWithProps: true,
  });
  assert.equal(zfsFeatures(v08).reliableResume, false);
});

Deno.test("zpool features", () => {
  assert.deepEqual(zpoolFeaturesArgv("tank", { zpoolProgram: "/sbin/zpool" }), [
    "/sbin/zpool",
    "get",
    "-Hp",
    "-o",
    "property,value",
    "all",
    "tank",
  ]); // prettier-ignore
  const f = parseZpoolFeatures(
    "size\t1000\nfeature@bookmark_v2\tenabled\nfeature@bookmark_written\tactive\n" +
      "feature@extensible_dataset\tdisabled\ndelegation\ton\nfeature@odd\n",
  );
  assert.equal(f.get("delegation"), "on");
  assert.equal(f.has("size"), false);
  assert.equal(f.get("feature@odd"), "");
  assert.equal(isPoolFeatureEnabled(f, "bookmark_v2"), true);
  assert.equal(isPoolFeatureEnabled(f, "feature@bookmark_written"), true);
  assert.equal(isPoolFeatureEnabled(f, "extensible_dataset"), false);
  assert.equal(isPoolFeatureEnabled(f, "nonexistent"), false);
});

Deno.test("isAbsentMessage", () => {
  assert.equal(isAbsentMessage("cannot open 'tank/x': dataset does not exist"), true);
  assert.equal(isAbsentMessage("cannot open 'nopool': pool does not exist"), true);
  assert.equal(isAbsentMessage("cannot open 'tank#b': bookmark does not exist"), true);
  assert.equal(isAbsentMessage("cannot destroy: permission denied"), false);
});
