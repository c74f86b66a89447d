import assert from "node:assert/strict";
import { registerBeforeConsoleWrite } from "../../lib/log/console_hooks.ts";
import { logger, setupLogging } from "../../lib/log/setup.ts";
import { Redactor } from "../../lib/log/redact.ts";

Deno.test("hooks run before each console line, and can be removed", () => {
  const seen: string[] = [];
  const unregister = registerBeforeConsoleWrite(() => seen.push("hook"));
  const handle = setupLogging({
    verbose: 0,
    quiet: false,
    redactor: new Redactor(),
    writeConsole: (line) => seen.push(line.replace(/^.*\] /, "")),
  });
  logger("t").info("one");
  unregister();
  logger("t").info("two");
  handle.close();
  assert.deepEqual(seen, ["hook", "one", "two"]);
});
