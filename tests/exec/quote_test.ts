import assert from "node:assert/strict";
import { shellJoin, shellQuote } from "../../lib/exec/quote.ts";

Deno.test("shellQuote leaves safe words alone", () => {
  for (const w of ["zfs", "tank/a@s1", "-Hp", "a=b", "x,y:z", "host.example.com", "50%", "a+b"]) {
    assert.equal(shellQuote(w), w);
  }
});

Deno.test("shellQuote wraps unsafe words in single quotes", () => {
  assert.equal(shellQuote(""), "''");
  assert.equal(shellQuote("a b"), "'a b'");
  assert.equal(shellQuote("it's"), `'it'"'"'s'`);
  assert.equal(shellQuote("$HOME"), "'$HOME'");
  assert.equal(shellQuote("a|b;c&d"), "'a|b;c&d'");
  assert.equal(shellQuote("tank#bm"), "'tank#bm'");
  assert.equal(shellQuote("~"), "'~'");
  assert.equal(shellQuote("*"), "'*'");
});

Deno.test("shellJoin joins quoted words", () => {
  assert.equal(shellJoin(["zfs", "list", "a b"]), "zfs list 'a b'");
  assert.equal(shellJoin([]), "");
});

const NASTY = [
  "",
  " ",
  "a b",
  "it's",
  "''",
  `"`,
  "$(touch /tmp/pwned)",
  "`id`",
  "\\",
  "a\nb",
  "\t",
  "-n",
  "--",
  "!x",
  "é ü 日本",
  "a'b\"c$d`e\\f",
  "*?[]{}~#;&|<>()",
];

Deno.test("shellJoin round-trips through a real sh for nasty inputs", async () => {
  const script = `for a in ${shellJoin(NASTY)}; do printf '%s\\0' "$a"; done`;
  const out = await new Deno.Command("sh", { args: ["-c", script] }).output();
  assert.equal(out.code, 0);
  const words = new TextDecoder().decode(out.stdout).split("\0").slice(0, -1);
  assert.deepEqual(words, NASTY);
});

Deno.test("nested quoting survives two shells", async () => {
  const inner = shellJoin(["printf", "%s|", ...NASTY]);
  const outer = shellJoin(["sh", "-c", inner]);
  const out = await new Deno.Command("sh", { args: ["-c", outer] }).output();
  assert.equal(new TextDecoder().decode(out.stdout), NASTY.map((w) => `${w}|`).join(""));
});

Deno.test("shellQuoteDouble round-trips through sh for nasty inputs", async () => {
  const { shellQuoteDouble } = await import("../../lib/exec/quote.ts");
  assert.equal(shellQuoteDouble("a b"), '"a b"');
  assert.equal(shellQuoteDouble("$x"), '"\\$x"');
  for (const w of NASTY) {
    const out = await new Deno.Command("sh", { args: ["-c", `printf '%s' ${shellQuoteDouble(w)}`] })
      .output();
    assert.equal(new TextDecoder().decode(out.stdout), w);
  }
});

Deno.test("shellQuote quotes a leading = (zsh EQUALS expansion)", () => {
  assert.equal(shellQuote("=x"), "'=x'");
  assert.equal(shellQuote("a=x"), "a=x");
});
