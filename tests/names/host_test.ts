import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { validateHostName, validateUserName } from "../../lib/names/host.ts";

Deno.test("validateHostName accepts host names and addresses", () => {
  for (const h of ["", "nas", "backup.example.com", "10.0.0.1", "fe80::1", "::1", "host-1_x"]) {
    assert.equal(validateHostName(h, "--ssh-dst-host"), h);
  }
});

Deno.test("validateHostName rejects unsafe hosts", () => {
  const bad: [string, RegExp][] = [
    ["-oProxyCommand=id", /'='/],
    ["-host", /leading '-'/],
    ["a..b", /'\.\.'/],
    ["..", /'\.\.'/],
    ["a/b", /'\/'/],
    ["a b", /space/],
    ["a\tb", /tab/],
    ["a\nb", /newline/],
    ["a\0b", /NUL/],
    ["h;reboot", /';'/],
    ["$(reboot)", /'\$'/],
    ["`id`", /'`'/],
    ["h|x", /'\|'/],
    ["h&", /'&'/],
    ["u@h", /'@'/],
    ["h'", /'''/],
    ["h>x", /'>'/],
  ];
  for (const [h, hint] of bad) {
    assert.throws(() => validateHostName(h, "--ssh-dst-host"), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.option, "--ssh-dst-host");
      assert.equal(e.value, h);
      assert.match(e.message, /^--ssh-dst-host: Invalid host name/);
      assert.match(e.hint ?? "", hint, `hint for ${JSON.stringify(h)}: ${e.hint}`);
      return true;
    });
  }
});

Deno.test("validateUserName accepts and rejects", () => {
  for (const u of ["", "root", "backup-user", "svc_bzfs", "user.name"]) {
    assert.equal(validateUserName(u, "--ssh-src-user"), u);
  }
  const bad: [string, RegExp][] = [
    ["-l", /leading '-'/],
    ["a..b", /'\.\.'/],
    ["a/b", /'\/'/],
    ["a:b", /':'/],
    ["a b", /space/],
    ["$(reboot)", /'\$'/],
    ["`id`", /'`'/],
    ["r;oot", /';'/],
    ["r\noot", /newline/],
  ];
  for (const [u, hint] of bad) {
    assert.throws(() => validateUserName(u, "--ssh-src-user"), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /^--ssh-src-user: Invalid user name/);
      assert.match(e.hint ?? "", hint);
      return true;
    });
  }
});
