import assert from "node:assert/strict";
import { buildTaskTree } from "../../lib/sched/task_tree.ts";
import { TreeProgress } from "../../lib/sched/tree_progress.ts";

/** Drives a TreeProgress by name and records what became runnable. */
function drive(names: string[]) {
  const tree = buildTaskTree(names);
  const ready: string[] = [];
  const progress = new TreeProgress(tree, (node) => ready.push(tree.names[node]));
  progress.start();
  const take = () => ready.splice(0).sort();
  const done = (name: string, proceed = true) => {
    const node = names.indexOf(name);
    assert.ok(node >= 0, name);
    progress.complete(node, proceed);
    return take();
  };
  return { first: take(), done };
}

Deno.test("TreeProgress releases children after their parent, through unlisted nodes", () => {
  const { first, done } = drive(["a", "a/b", "a/b/c", "a/d", "e", "x/y", "x/y/z"]);
  assert.deepEqual(first, ["a", "e", "x/y"]);
  assert.deepEqual(done("a"), ["a/b", "a/d"]);
  assert.deepEqual(done("a/b"), ["a/b/c"]);
  assert.deepEqual(done("x/y"), ["x/y/z"]);
  assert.deepEqual(done("e"), []);
});

Deno.test("TreeProgress skips the whole subtree when told not to proceed", () => {
  const { first, done } = drive(["a", "a/b", "a/b/c", "a/d"]);
  assert.deepEqual(first, ["a"]);
  assert.deepEqual(done("a"), ["a/b", "a/d"]);
  assert.deepEqual(done("a/b", false), []);
  assert.deepEqual(done("a/d"), []);
});

Deno.test("TreeProgress opens a barrier when all sibling subtrees are done", () => {
  const names = ["h", "h/r1", "h/r1/m", "h/r2", "h/~/prune", "h/~/prune/x"];
  const { first, done } = drive(names);
  assert.deepEqual(first, ["h"]);
  assert.deepEqual(done("h"), ["h/r1", "h/r2"]);
  assert.deepEqual(done("h/r2"), []);
  assert.deepEqual(done("h/r1"), ["h/r1/m"]);
  assert.deepEqual(done("h/r1/m"), ["h/~/prune"]);
  assert.deepEqual(done("h/~/prune"), ["h/~/prune/x"]);
});

Deno.test("TreeProgress never opens a barrier after a skip inside the subtree", () => {
  const { done } = drive(["h", "h/r1", "h/r2", "h/~/prune"]);
  done("h");
  assert.deepEqual(done("h/r1", false), []);
  assert.deepEqual(done("h/r2"), []);
});

Deno.test("TreeProgress: a skip closes barriers of ancestors but not of other hosts", () => {
  const names = [
    "0host",
    "0host/a",
    "0host/b",
    "0host/~/prune",
    "1host",
    "1host/a",
    "1host/b",
    "1host/~/prune",
  ];
  const { first, done } = drive(names);
  assert.deepEqual(first, ["0host", "1host"]);
  done("0host");
  done("1host");
  done("0host/a", false);
  assert.deepEqual(done("0host/b"), []);
  done("1host/a");
  assert.deepEqual(done("1host/b"), ["1host/~/prune"]);
});

Deno.test("TreeProgress: a lone barrier child does not wait; unlisted parents are fine", () => {
  const { first, done } = drive(["s/c", "s/c/~/p", "t/r1", "t/r2", "t/~/q"]);
  assert.deepEqual(first, ["s/c", "t/r1", "t/r2"]);
  assert.deepEqual(done("s/c"), ["s/c/~/p"]);
  assert.deepEqual(done("t/r1"), []);
  assert.deepEqual(done("t/r2"), ["t/~/q"]);
});

Deno.test("TreeProgress: nested barriers and a listed barrier node", () => {
  const names = ["j", "j/a", "j/b", "j/~", "j/~/c", "j/~/d", "j/~/~/e"];
  const { first, done } = drive(names);
  assert.deepEqual(first, ["j"]);
  assert.deepEqual(done("j"), ["j/a", "j/b"]);
  done("j/a");
  assert.deepEqual(done("j/b"), ["j/~"]); // the barrier node itself is a job here
  assert.deepEqual(done("j/~"), ["j/~/c", "j/~/d"]);
  assert.deepEqual(done("j/~/c"), []);
  assert.deepEqual(done("j/~/d"), ["j/~/~/e"]);
});

Deno.test("TreeProgress: a top-level barrier waits for every other top-level subtree", () => {
  const { first, done } = drive(["a", "a/x", "b", "~/last"]);
  assert.deepEqual(first, ["a", "b"]);
  done("b");
  assert.deepEqual(done("a"), ["a/x"]);
  assert.deepEqual(done("a/x"), ["~/last"]);
});
