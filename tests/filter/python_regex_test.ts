import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { translatePythonRegex } from "../../lib/filter/python_regex.ts";

const OPT = "--include-snapshot-regex";

/** Full-match helper: does the translated regex fully match `name`? */
function full(regex: string, name: string): boolean {
  const { pattern, flags } = translatePythonRegex(regex, OPT);
  return new RegExp(`^(?:${pattern})$`, flags).test(name);
}

Deno.test("translated regexes match like Python re.fullmatch", () => {
  const cases: [string, string, boolean][] = [
    ["prod_.*_daily", "prod_onsite_2024_daily", true],
    ["prod_.*_daily", "prod_onsite_2024_hourly", false],
    [".*", "", true],
    ["a.c", "a\rc", true], // Python '.' matches \r
    ["a.c", "a\nc", false],
    ["(?s)a.c", "a\nc", true],
    ["(?s:a.)c", "a\nc", true],
    ["(?i)DAILY", "daily", true],
    ["(?i:d)aily", "Daily", true],
    ["(?i:d)aily", "DAILY", false],
    ["x{,2}", "xx", true],
    ["x{,2}", "xxx", false],
    ["x{2,}", "xxxx", true],
    ["x{,}", "xxxx", true],
    ["x{2}", "xx", true],
    ["a{", "a{", true],
    ["a{}", "a{}", true],
    ["a{x}", "a{x}", true],
    ["a}", "a}", true],
    ["a]", "a]", true],
    ["[]a]+", "]a]", true],
    ["[^]a]+", "bc", true],
    ["[^]a]+", "b]", false],
    ["[a\\]]+", "a]", true],
    ["[[]", "[", true],
    ["[\\d]+", "123", true],
    ["[\\b]", "\b", true],
    ["a\\b", "a", true],
    ["\\Aab\\Z", "ab", true],
    ["ab$", "ab", true],
    ["ab$", "ab\n", false],
    ["^ab", "ab", true],
    ["(?m)a$\\nb", "a\nb", true],
    ["(?m)a\\n^b", "a\nb", true],
    ["(a)\\1", "aa", true],
    ["(a)\\1", "ab", false],
    ["(?P<x>ab)(?P=x)", "abab", true],
    ["(?:ab)+", "abab", true],
    ["a(?=b)b", "ab", true],
    ["a(?!c)b", "ab", true],
    ["(?<=a)b|ab", "ab", true],
    ["(?<!x)ab", "ab", true],
    ["a(?#comment)b", "ab", true],
    ["\\x41\\u0042", "AB", true],
    ["\\101", "A", true],
    ["\\0", "\0", true],
    ["[\\101]", "A", true],
    ["\\a", "\x07", true],
    ["\\U0001F600", "😀", true],
    ["\\U00000041", "A", true],
    ["\\.", ".", true],
    ["\\.", "x", false],
    ["\\-\\_\\:", "-_:", true],
    ["a/b", "a/b", true],
    ["\\w+\\s\\d", "ab 1", true],
    ["a|b", "b", true],
    ["a*?b+?c??", "aabbc", true],
    ["(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", "abcdefghijj", true],
  ];
  for (const [regex, name, want] of cases) {
    assert.equal(full(regex, name), want, `${regex} vs ${JSON.stringify(name)}`);
  }
});

Deno.test("untranslatable or invalid regexes are rejected naming the regex", () => {
  const cases: [string, RegExp][] = [
    ["(?(1)a|b)", /Unsupported regex construct: conditional group/],
    ["(?>a)", /Unsupported regex construct: atomic group/],
    ["a*+", /Unsupported regex construct: possessive quantifier/],
    ["(?x)a b", /Unsupported regex construct: verbose mode/],
    ["(?x:a)", /verbose mode/],
    ["a(?=b)*b", /quantified lookaround/],
    ["(?<!x)+a", /quantified lookaround/],
    ["\\N{DIGIT ONE}", /named character/],
    ["[\\U0001F600]", /astral character in a character class/],
    ["\\q", /Invalid regex: bad escape \\q/],
    ["[\\q]", /bad escape \\q/],
    ["[\\A]", /bad escape \\A/],
    ["[\\9]", /bad escape \\9/],
    ["a\\", /bad escape \(end of pattern\)/],
    ["[a\\", /bad escape \(end of pattern\)/],
    ["\\1", /invalid group reference \\1/],
    ["(a\\1)", /cannot refer to an open group/],
    ["(?P=x)", /unknown group name 'x'/],
    ["(?P<1x>a)", /bad character in group name/],
    ["(?P<x>a)(?P<x>b)", /redefinition of group name/],
    ["(?P", /unknown extension/],
    ["(?P<x", /bad character in group name/],
    ["(?<x>a)", /unknown extension/],
    ["(?Q)", /unknown extension/],
    ["a(?i)b", /global flags not at the start/],
    ["(?-i)a", /missing : after inline flags/],
    ["(?L)a", /cannot use 'L' flag/],
    ["(a", /missing \), unterminated subpattern/],
    ["a)", /unbalanced parenthesis/],
    ["[a", /unterminated character set/],
    ["(?#abc", /unterminated comment/],
    ["*a", /nothing to repeat/],
    ["a|*", /nothing to repeat/],
    ["a**", /multiple repeat/],
    ["a{2}{3}", /multiple repeat/],
    ["^*", /nothing to repeat/],
    ["x{3,2}", /min repeat greater than max repeat/],
    ["\\xZZ", /incomplete escape/],
    ["\\u12", /incomplete escape/],
    ["\\U1234", /incomplete escape/],
    ["\\U00110000", /bad escape/],
    ["\\777", /outside of range/],
  ];
  for (const [regex, msg] of cases) {
    assert.throws(() => translatePythonRegex(regex, OPT), (e: unknown) => {
      assert.ok(e instanceof UsageError, regex);
      assert.equal(e.option, OPT);
      assert.equal(e.value, regex);
      assert.match(e.message, msg, `${regex}: ${e.message}`);
      return true;
    });
  }
});
