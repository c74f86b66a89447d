import assert from "node:assert/strict";
import { buildTaskTree, NO_NODE, type TaskTree } from "../../lib/sched/task_tree.ts";

/** Name of any node, listed or intermediate; "" for the root. */
function nameOf(tree: TaskTree, node: number): string {
  if (node === tree.root) return "";
  return node < tree.size ? tree.names[node] : tree.intermediateNames[node - tree.root - 1];
}

function children(tree: TaskTree, node: number): string[] {
  const out: string[] = [];
  for (let c = tree.firstChild[node]; c !== NO_NODE; c = tree.nextSibling[c]) {
    out.push(nameOf(tree, c));
  }
  return out;
}

function parentName(tree: TaskTree, name: string): string {
  return nameOf(tree, tree.parent[tree.names.indexOf(name)]);
}

Deno.test("buildTaskTree links each name to its nearest ancestor, creating unlisted ones", () => {
  const tree = buildTaskTree(["a", "a/b", "a/b/c", "a/d", "e", "x/y/z"]);
  assert.equal(tree.size, 6);
  assert.equal(tree.root, 6);
  assert.deepEqual(tree.intermediateNames, ["x", "x/y"]);
  assert.equal(tree.nodeCount, 9);
  assert.equal(tree.parent[tree.root], NO_NODE);
  assert.equal(parentName(tree, "a"), "");
  assert.equal(parentName(tree, "a/b"), "a");
  assert.equal(parentName(tree, "a/b/c"), "a/b");
  assert.equal(parentName(tree, "a/d"), "a");
  assert.equal(parentName(tree, "x/y/z"), "x/y");
  assert.deepEqual(children(tree, tree.root), ["a", "e", "x"]);
  assert.deepEqual(children(tree, 0), ["a/b", "a/d"]);
  assert.deepEqual(children(tree, tree.root + 1), ["x/y"]);
});

Deno.test("buildTaskTree finds ancestors across names that sort between them ('-' < '/')", () => {
  const tree = buildTaskTree(["a", "a-b", "a-b/c", "a.x/y", "a/c", "a/c-d/e", "a/c/f"]);
  assert.equal(parentName(tree, "a-b"), "");
  assert.equal(parentName(tree, "a-b/c"), "a-b");
  assert.equal(parentName(tree, "a.x/y"), "a.x");
  assert.equal(parentName(tree, "a/c"), "a");
  assert.equal(parentName(tree, "a/c-d/e"), "a/c-d");
  assert.equal(parentName(tree, "a/c/f"), "a/c");
  assert.deepEqual(tree.intermediateNames, ["a.x", "a/c-d"]);
});

Deno.test("buildTaskTree keeps barrier children apart in barrier mode only", () => {
  const names = ["h", "h/r1", "h/r2", "h/~/p", "h/~/p/z", "h/~/p/~/q"];
  const tree = buildTaskTree(names);
  const h = 0;
  assert.deepEqual(children(tree, h), ["h/r1", "h/r2"]);
  const tilde = tree.barrierChild[h];
  assert.equal(nameOf(tree, tilde), "h/~");
  assert.deepEqual(children(tree, tilde), ["h/~/p"]);
  const p = names.indexOf("h/~/p");
  assert.equal(nameOf(tree, tree.barrierChild[p]), "h/~/p/~");
  assert.deepEqual(children(tree, p), ["h/~/p/z"]);

  const plain = buildTaskTree(names, { barriers: false });
  assert.deepEqual(children(plain, h), ["h/r1", "h/r2", "h/~"]);
  assert.ok(plain.barrierChild.every((b) => b === NO_NODE));
});

Deno.test("buildTaskTree rejects unsorted, duplicate and malformed names", () => {
  assert.throws(() => buildTaskTree(["b", "a"]), RangeError);
  assert.throws(() => buildTaskTree(["a", "a"]), /sorted and unique/);
  for (const bad of ["", "/a", "a/", "a//b"]) {
    assert.throws(() => buildTaskTree([bad]), /Invalid name/);
  }
});

Deno.test("buildTaskTree of an empty list has only the root", () => {
  const tree = buildTaskTree([]);
  assert.equal(tree.size, 0);
  assert.equal(tree.nodeCount, 1);
  assert.equal(tree.firstChild[tree.root], NO_NODE);
});
