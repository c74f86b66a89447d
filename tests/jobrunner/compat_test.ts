import assert from "node:assert/strict";
import { runnableArgs } from "../../lib/jobrunner/_compat.ts";

Deno.test("--daemon-frequency is dropped only while bzfs lacks it and no lifetime is set", () => {
  const args = ["--recursive", "--daemon-frequency=minutely", "--", "--daemon-frequency=x", "b"];
  assert.deepEqual(runnableArgs(args, new Set()), [
    "--recursive",
    "--",
    "--daemon-frequency=x",
    "b",
  ]);
  assert.deepEqual(runnableArgs(args, new Set(["daemonFrequency"])), args);
  const daemon = ["--daemon-lifetime=1hours", "--daemon-frequency=minutely", "--", "a", "b"];
  assert.deepEqual(
    runnableArgs(daemon, new Set()),
    daemon,
    "a daemon run keeps it (and bzfs says what is missing)",
  );
});
