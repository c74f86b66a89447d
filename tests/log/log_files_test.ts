import assert from "node:assert/strict";
import { createLogFiles, planLogFile } from "../../lib/log/log_files.ts";
import { Redactor } from "../../lib/log/redact.ts";

const now = new Date(2024, 8, 3, 12, 26, 15);

Deno.test("log file names follow upstream's layout for each subdir granularity", () => {
  const base = { logDir: "/x/bzfs-logs/", now, random: "bl4i1fth" };
  assert.equal(
    planLogFile(base).logFile,
    "/x/bzfs-logs/2024-09-03/zrun_2024-09-03_12:26:15-bl4i1fth.log",
  );
  assert.equal(planLogFile({ ...base, subdir: "hourly" }).dir, "/x/bzfs-logs/2024-09-03_12");
  assert.equal(planLogFile({ ...base, subdir: "minutely" }).dir, "/x/bzfs-logs/2024-09-03_12:26");
  const p = planLogFile({ ...base, prefix: "zrun_us-west_", suffix: "_daily", infix: "_i" });
  assert.equal(p.stem, "zrun_us-west_2024-09-03_12:26:15_i_daily-bl4i1fth");
  assert.equal(p.pvFile, `/x/bzfs-logs/2024-09-03/${p.stem}.pv`);
});

Deno.test("createLogFiles makes private dirs, the file and the current links", () => {
  const logDir = `${Deno.makeTempDirSync()}/bzfs-logs`;
  const plan = planLogFile({ logDir, now, random: "abcdefgh" });
  createLogFiles(logDir, plan);
  assert.equal(Deno.statSync(logDir).mode! & 0o777, 0o700);
  assert.equal(Deno.statSync(plan.logFile).size, 0);
  assert.equal(Deno.realPathSync(`${logDir}/current/current.log`), plan.logFile);
  const second = planLogFile({ logDir, now, random: "ijklmnop" });
  createLogFiles(logDir, second);
  assert.equal(Deno.realPathSync(`${logDir}/current/current.log`), second.logFile);
});

Deno.test("createLogFiles refuses a symlinked log dir", () => {
  const tmp = Deno.makeTempDirSync();
  Deno.mkdirSync(`${tmp}/real`);
  Deno.symlinkSync(`${tmp}/real`, `${tmp}/bzfs-logs`);
  const plan = planLogFile({ logDir: `${tmp}/bzfs-logs`, now, random: "abcdefgh" });
  assert.throws(() => createLogFiles(`${tmp}/bzfs-logs`, plan), /must not be a symlink/);
});

Deno.test("the redactor masks secrets from values and secret-looking env names only", () => {
  const r = new Redactor();
  r.addFromEnv({ DB_PASSWORD: "hunter22", HOME: "/root", API_TOKEN: "tok-123456", X: "ab" });
  r.add(undefined);
  r.add("abc");
  assert.equal(
    r.redact("pw hunter22, token tok-123456, home /root, abc"),
    "pw ***, token ***, home /root, abc",
  );
});
