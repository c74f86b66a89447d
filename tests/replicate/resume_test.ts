import assert from "node:assert/strict";
import { resumeBlocker, resumeFirstSend } from "../../lib/replicate/resume.ts";
import { full, incr, src } from "./_helpers.ts";

const T = { token: "1-x", toGuid: "g2", fromGuid: "g1", raw: true };

Deno.test("resumeBlocker: usable by default", () => {
  assert.equal(resumeBlocker(T), null);
});

Deno.test("resumeBlocker: reasons in priority order", () => {
  assert.equal(
    resumeBlocker(T, { noResumeRecv: true, rawSend: false, destroys: true }),
    "no-resume-recv",
  );
  assert.equal(resumeBlocker(T, { rawSend: false, destroys: true }), "raw-mismatch");
  assert.equal(resumeBlocker(T, { destroys: true }), "before-destroy");
  assert.equal(resumeBlocker({ ...T, raw: false }, { rawSend: false }), null);
});

Deno.test("resumeFirstSend: matching incremental", () => {
  const s = src("@a,1", "@b,2");
  assert.deepEqual(resumeFirstSend(incr("-i", s[0], s[1]), T), {
    type: "resume",
    token: "1-x",
    from: s[0],
    to: s[1],
    dstDataset: "backup/a",
    logOnly: false,
  });
});

Deno.test("resumeFirstSend: multi-snapshot step, other target or origin -> null", () => {
  const s = src("@a,1", "@b,2", "@c,3");
  assert.equal(resumeFirstSend(incr("-I", s[0], s[2], [s[1], s[2]]), { ...T, toGuid: "g3" }), null);
  assert.equal(resumeFirstSend(incr("-i", s[0], s[2]), T), null);
  assert.equal(resumeFirstSend(incr("-i", s[0], s[1]), { ...T, fromGuid: "g0" }), null);
  assert.equal(resumeFirstSend(incr("-i", s[0], s[1]), { ...T, fromGuid: undefined }), null);
});

Deno.test("resumeFirstSend: full send needs a full-stream token for the same snapshot", () => {
  const s = src("@a,1");
  assert.equal(resumeFirstSend(full(s[0]), { ...T, toGuid: "g1" }), null);
  assert.equal(resumeFirstSend(full(s[0]), { token: "t", toGuid: "g9", raw: true }), null);
  assert.deepEqual(
    resumeFirstSend(full(s[0], { logOnly: true }), { token: "t", toGuid: "g1", raw: true }),
    {
      type: "resume",
      token: "t",
      from: null,
      to: s[0],
      dstDataset: "backup/a",
      logOnly: true,
    },
  );
});
