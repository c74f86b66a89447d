/**
 * `--exclude-dataset-property` through our CLI on real OpenZFS: effective (inherited) values,
 * `false` pruning a whole subtree (even a child saying `true`), host lists matched against this
 * host's name, and one `zfs list -o name,PROP -r` for the whole source tree.
 *
 * @module
 */
import { ok } from "./_assert.ts";
import assert from "node:assert/strict";
import { type Lab, labFile } from "../lab/helpers.ts";

const lab = labFile();
const PROP = "com.example:backup";

/** A source tree with property values covering every rule; returns the expected selection. */
async function makeTree(l: Lab, root: string): Promise<string[]> {
  const me = Deno.hostname();
  const small = { files: [{ path: "data.bin", size: 8192 }] };
  await l.createDataset(root, small); // unset ("-"): include
  await l.createDataset(`${root}/a`, { ...small, props: { [PROP]: "false" } }); // exclude subtree
  await l.createDataset(`${root}/a/c`, { ...small, props: { [PROP]: "true" } }); // still excluded
  await l.createDataset(`${root}/a-b`, small); // sorts between a and a/c; inherits "-": include
  await l.createDataset(`${root}/b`, { ...small, props: { [PROP]: `otherhost,${me}` } }); // include
  await l.createDataset(`${root}/c`, { ...small, props: { [PROP]: "otherhost" } }); // exclude
  await l.createDataset(`${root}/d`, { ...small, props: { [PROP]: "TRUE" } }); // include
  await l.createDataset(`${root}/d/h`, small); // inherits TRUE: include
  await l.createDataset(`${root}/f`, { ...small, props: { [PROP]: "False" } }); // exclude
  await l.createDataset(`${root}/f/g`, small); // inherits False: excluded with parent
  await l.zfs("snapshot", "-r", `${root}@s1`);
  return ["", "/a-b", "/b", "/d", "/d/h"];
}

lab.test("[smoke] --exclude-dataset-property selects by effective value and host list", async (l) => {
  const src = `${l.src}/xp`;
  const dst = `${l.dst}/xp`;
  const expected = await makeTree(l, src);
  const r = await l.runCli({
    src,
    dst,
    args: ["-r", "-v", "-v", "--exclude-dataset-property", PROP],
  });
  ok(r, "replicate");
  assert.deepEqual(await l.datasets(dst), expected.map((s) => dst + s));
  for (const s of expected) {
    assert.deepEqual((await l.snapshots(dst + s)).map((x) => x.name), [`${dst}${s}@s1`]);
  }
  const listings = r.stderr.split("\n").filter((line) => line.includes(`name,${PROP}`));
  assert.equal(listings.length, 1, `one property listing for the tree:\n${listings.join("\n")}`);
  assert.match(listings[0], new RegExp(`-o name,${PROP} -r ${src}`));
  assert.match(r.stderr, new RegExp(`Excluding b/c dataset prop: ${src}/a\\b`));
  assert.match(r.stderr, new RegExp(`Excluding b/c dataset prop: ${src}/c, localhostname: `));
  assert.doesNotMatch(r.stderr, new RegExp(`dataset prop: ${src}/a/c`), "never evaluated");
});

lab.test("--exclude-dataset-property reads the remote source in pull mode", async (l) => {
  const src = `${l.src}/xpull`;
  const dst = `${l.dst}/xpull`;
  const expected = await makeTree(l, src);
  const r = await l.runCli({
    src,
    dst,
    mode: "pull",
    args: ["-r", "--exclude-dataset-property", PROP],
  });
  ok(r, "replicate");
  assert.deepEqual(await l.datasets(dst), expected.map((s) => dst + s));
  // without the option everything goes
  const all = `${l.dst}/xall`;
  ok(await l.runCli({ src, dst: all, args: ["-r"] }), "replicate all");
  assert.equal((await l.datasets(all)).length, 10);
}, { ssh: true });
