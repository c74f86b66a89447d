import assert from "node:assert/strict";
import { EnvvarRegexError, envvarsToRemove, sanitizeEnv } from "../../lib/job/env_sanitize.ts";
import { exitCodeOf } from "../../lib/cli/exit_codes.ts";

function fakeEnv(vars: Record<string, string>) {
  return {
    vars,
    env: {
      toObject: () => ({ ...vars }),
      delete: (name: string) => void delete vars[name],
    },
  };
}

Deno.test("no regexes remove nothing", () => {
  assert.deepEqual(envvarsToRemove(["PATH", "HOME"], { include: [], exclude: [] }), []);
});

Deno.test("exclude removes full matches only; include wins", () => {
  const names = [
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "OLD_LD_X",
    "PATH",
    "bzfs_isatty",
    "SSH_AUTH_SOCK",
  ];
  assert.deepEqual(envvarsToRemove(names, { include: [], exclude: ["LD_.*"] }), [
    "LD_LIBRARY_PATH",
    "LD_PRELOAD",
  ]);
  assert.deepEqual(
    envvarsToRemove(names, { include: ["LD_LIBRARY_PATH"], exclude: ["LD_.*"] }),
    ["LD_PRELOAD"],
  );
  assert.deepEqual(
    envvarsToRemove(names, { include: ["PATH", "bzfs_.*"], exclude: [".*"] }),
    ["LD_LIBRARY_PATH", "LD_PRELOAD", "OLD_LD_X", "SSH_AUTH_SOCK"],
  );
});

Deno.test("a leading ! negates, as in every other bzfs regex list", () => {
  assert.deepEqual(
    envvarsToRemove(["A", "B", "PATH"], { include: [], exclude: ["!PATH"] }),
    ["A", "B"],
  );
});

Deno.test("include regexes alone remove nothing (default excludes nothing)", () => {
  assert.deepEqual(envvarsToRemove(["A", "B"], { include: [".*"], exclude: [] }), []);
});

Deno.test("sanitizeEnv deletes from the environment and reports names, never values", () => {
  const { vars, env } = fakeEnv({
    LD_PRELOAD: "/tmp/evil.so",
    PATH: "/usr/bin",
    AWS_SECRET: "s3cr3t",
  });
  const removed = sanitizeEnv({ include: [], exclude: ["LD_.*", "AWS_.*"] }, { env });
  assert.deepEqual(removed, ["AWS_SECRET", "LD_PRELOAD"]);
  assert.deepEqual(vars, { PATH: "/usr/bin" });
  assert.ok(!JSON.stringify(removed).includes("s3cr3t"));
});

Deno.test("an invalid regex is a fatal error (exit 3) and removes nothing", () => {
  const { vars, env } = fakeEnv({ LD_PRELOAD: "x" });
  assert.throws(
    () => sanitizeEnv({ include: [], exclude: ["LD_.*", "(unclosed"] }, { env }),
    (e: unknown) => {
      assert.ok(e instanceof EnvvarRegexError);
      assert.match(e.message, /--exclude-envvar-regex/);
      assert.equal(exitCodeOf(e), 3);
      return true;
    },
  );
  assert.deepEqual(vars, { LD_PRELOAD: "x" });
});

Deno.test("the real environment: children no longer see a removed variable", async () => {
  Deno.env.set("BZFS_TEST_LD_SECRET", "v");
  Deno.env.set("BZFS_TEST_KEEP", "k");
  try {
    const removed = sanitizeEnv({ include: [], exclude: ["BZFS_TEST_LD_.*"] });
    assert.deepEqual(removed, ["BZFS_TEST_LD_SECRET"]);
    const out = await new Deno.Command("sh", {
      args: ["-c", 'echo "${BZFS_TEST_LD_SECRET-unset}:${BZFS_TEST_KEEP-unset}"'],
      stdout: "piped",
    }).output();
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "unset:k");
  } finally {
    Deno.env.delete("BZFS_TEST_LD_SECRET");
    Deno.env.delete("BZFS_TEST_KEEP");
  }
});
