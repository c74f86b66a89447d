import assert from "node:assert/strict";
import { describeAction } from "../../lib/replicate/describe.ts";
import { bms, DST, dst, full, incr, src } from "./_helpers.ts";

Deno.test("describeAction: one line per action type", () => {
  const s = src("@a,1", "#b,2", "@c,3");
  const d = dst("@a,1", "@x,9");
  const table: Array<[Parameters<typeof describeAction>[0], string]> = [
    [
      { type: "abortResume", dataset: DST, reason: "stale", token: "t" },
      "Aborting an interrupted zfs receive -s, deleting partially received state: backup/a (stale)",
    ],
    [
      {
        type: "rollback",
        to: d[1],
        recursive: false,
        destroys: [],
        reason: "--force-rollback-to-latest-snapshot",
      },
      "Rolling back destination to most recent snapshot: backup/a@x",
    ],
    [
      { type: "rollback", to: d[0], recursive: true, destroys: [d[1]], reason: "--force" },
      "Rolling back destination to most recent common snapshot: backup/a@a (destroying 1 newer snapshots)",
    ],
    [
      { type: "destroyDstSnapshots", dataset: DST, snapshots: d },
      "Deleting 2 snapshots within backup/a: a,x",
    ],
    [full(s[0]), "Full send: tank/a@a --> backup/a"],
    [
      { type: "resume", token: "t", from: null, to: s[0], dstDataset: DST, logOnly: false },
      "Resuming interrupted send: tank/a@a --> backup/a",
    ],
    [
      { type: "resume", token: "t", from: s[1], to: s[2], dstDataset: DST, logOnly: false },
      "Resuming interrupted send: tank/a#b .. tank/a@c --> backup/a",
    ],
    [incr("-i", s[1], s[2]), "Incremental send -i: tank/a#b .. @c --> backup/a (1 snapshot)"],
    [
      incr("-I", s[0], s[2], [s[2], s[2]]),
      "Incremental send -I: tank/a@a .. @c --> backup/a (2 snapshots)",
    ],
    [bms(s[0], s[2]), "Creating 2 bookmarks within tank/a: #a_g1,#c_g3"],
  ];
  for (const [action, text] of table) assert.equal(describeAction(action), text);
});
