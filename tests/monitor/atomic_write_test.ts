import assert from "node:assert/strict";
import { writeLinesAtomically } from "../../lib/monitor/atomic_write.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("writeLinesAtomically: streams many lines in batches through <path>.tmp", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/big.tsv`;
    let tmpSeen = false;
    async function* lines() {
      for (let i = 0; i < 100_000; i++) {
        if (i === 50_000) tmpSeen = (await Deno.stat(`${path}.tmp`)).isFile;
        yield `row\t${i}`;
      }
    }
    await writeLinesAtomically(path, lines());
    assert.ok(tmpSeen);
    const text = await Deno.readTextFile(path);
    assert.equal(text.split("\n").length, 100_001);
    assert.ok(text.endsWith("row\t99999\n"));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["big.tsv"]);
  });
});

Deno.test("writeLinesAtomically: a failing producer leaves the old file and no temp file", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/a.tsv`;
    await Deno.writeTextFile(path, "old\n");
    function* failing() {
      yield "new";
      throw new Error("listing failed");
    }
    await assert.rejects(
      () => writeLinesAtomically(path, failing(), { tmpPath: `${dir}/custom.tmp` }),
      /listing failed/,
    );
    assert.equal(await Deno.readTextFile(path), "old\n");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a.tsv"]);
  });
});
