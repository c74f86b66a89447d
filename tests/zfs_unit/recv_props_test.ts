import assert from "node:assert/strict";
import {
  DEFAULT_RECV_O_INCLUDE_REGEX,
  recvPropertyOpts,
  targetsApply,
} from "../../lib/zfs/recv_props.ts";
import { parseProperties } from "../../lib/zfs/get.ts";

const props = parseProperties(
  [
    "recordsize\t1048576\tlocal",
    "compression\tzstd\tlocal",
    "mountpoint\t/data\tlocal",
    "volsize\t10G\tlocal",
    "com.example:tag\tgold\tlocal",
    "atime\toff\tlocal",
  ].join("\n"),
);
const defaultO = new RegExp(`^(?:${DEFAULT_RECV_O_INCLUDE_REGEX})$`);

Deno.test("targetsApply", () => {
  assert.equal(targetsApply("full", true), true);
  assert.equal(targetsApply("full", false), false);
  assert.equal(targetsApply("incremental", false), true);
  assert.equal(targetsApply("incremental", true), false);
  assert.equal(targetsApply("full+incremental", true), true);
});

Deno.test("-o group with the default include list, sorted by name", () => {
  const o = {
    targets: "full" as const,
    select: (n: string) => defaultO.test(n),
    properties: props,
  };
  assert.deepEqual(recvPropertyOpts({ o }, { full: true }), [
    "-o",
    "atime=off",
    "-o",
    "compression=zstd",
    "-o",
    "recordsize=1048576",
  ]); // prettier-ignore
  assert.deepEqual(recvPropertyOpts({ o }, { full: false }), []);
});

Deno.test("-o first, then -x; a name only once; explicit names skipped; refused props dropped", () => {
  const all = () => true;
  const r = recvPropertyOpts(
    {
      o: {
        targets: "full",
        select: (n) => n === "compression" || n === "volsize",
        properties: props,
      },
      x: { targets: "full+incremental", select: all, properties: props },
    },
    { full: true, explicit: { oNames: ["recordsize"], xNames: ["atime"] } },
  );
  assert.deepEqual(r, [
    "-o",
    "compression=zstd",
    "-x",
    "com.example:tag",
    "-x",
    "mountpoint",
  ]); // prettier-ignore
  const incremental = recvPropertyOpts(
    {
      o: { targets: "full", select: all, properties: props },
      x: { targets: "full+incremental", select: all, properties: props },
    },
    { full: false },
  );
  assert.deepEqual(incremental, [
    "-x",
    "atime",
    "-x",
    "com.example:tag",
    "-x",
    "compression",
    "-x",
    "mountpoint",
    "-x",
    "recordsize",
  ]); // prettier-ignore
});

Deno.test("volumes never get -o of filesystem-only properties", () => {
  const all = () => true;
  const r = recvPropertyOpts({ o: { targets: "full", select: all, properties: props } }, {
    full: true,
    isVolume: true,
  });
  assert.deepEqual(r, ["-o", "com.example:tag=gold", "-o", "compression=zstd"]);
  assert.deepEqual(recvPropertyOpts({}, { full: true }), []);
});
