import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { isDummyDataset, parseLocation } from "../../lib/names/location.ts";

Deno.test("parseLocation splits [[user@]host:]dataset", () => {
  const cases: [string, object][] = [
    ["tank1/foo", { dataset: "tank1/foo" }],
    ["-:tank1/foo:bar", { dataset: "tank1/foo:bar" }],
    ["-:tank", { dataset: "tank" }],
    ["root@host:tank", { user: "root", host: "host", dataset: "tank" }],
    ["host:tank/a", { host: "host", dataset: "tank/a" }],
    ["user@||1:tank/a", { user: "user", host: "::1", dataset: "tank/a" }],
    ["fe80||1:tank", { host: "fe80::1", dataset: "tank" }],
    ["@host:tank", { host: "host", dataset: "tank" }],
    ["root@-:tank", { user: "root", dataset: "tank" }],
    ["h:tank/a:b", { host: "h", dataset: "tank/a:b" }],
    ["dummy", { dataset: "dummy" }],
  ];
  for (const [spec, want] of cases) {
    assert.deepEqual(parseLocation(spec, "SRC_DATASET"), want, spec);
  }
});

Deno.test("parseLocation rejects unsafe or incomplete specs", () => {
  const bad: [string, RegExp][] = [
    ["", /Missing dataset name/],
    ["host:", /Missing dataset name/],
    ["root@host:", /Missing dataset name/],
    ["@:tank", /Missing host name/],
    [":tank", /Invalid ZFS dataset name/],
    ["tank/a:b", /Invalid host name/],
    ["-oProxyCommand=id:tank", /Invalid host name/],
    ["-x:tank", /Invalid host name/],
    ["h..x:tank", /Invalid host name/],
    ["$(reboot):tank", /Invalid host name/],
    ["a@b@c:tank", /Invalid host name/],
    ["ro ot@h:tank", /Invalid user name/],
    ["-l@h:tank", /Invalid user name/],
    ["`id`@h:tank", /Invalid user name/],
    ["h:tank; rm -rf /", /Invalid ZFS dataset name/],
    ["h:tank/$(reboot)", /Invalid ZFS dataset name/],
    ["h:tank/a\nb", /Invalid ZFS dataset name/],
    ["h:-tank", /Invalid ZFS dataset name/],
    ["h:tank/../x", /Invalid ZFS dataset name/],
    ["h:tank@snap", /Invalid ZFS dataset name/],
    ["root@nas", /Missing ':' between host and dataset/],
    ["tank/a@snap", /Invalid ZFS dataset name/],
  ];
  for (const [spec, msg] of bad) {
    assert.throws(() => parseLocation(spec, "DST_DATASET"), (e: unknown) => {
      assert.ok(e instanceof UsageError, spec);
      assert.equal(e.option, "DST_DATASET");
      assert.match(e.message, msg, `${JSON.stringify(spec)}: ${e.message}`);
      return true;
    });
  }
});

Deno.test("isDummyDataset", () => {
  assert.equal(isDummyDataset("dummy"), true);
  assert.equal(isDummyDataset("tank/dummy"), false);
});
