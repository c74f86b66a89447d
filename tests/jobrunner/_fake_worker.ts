/** A stand-in for the bzfs worker: replies with the number of arguments after a short wait. */
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<{ id: number; args: string[] }>) => void) | null;
  postMessage(reply: { id: number; code: number }): void;
};
scope.onmessage = (e) => {
  if (e.data.args.includes("--crash")) throw new Error("worker crashed");
  setTimeout(() => scope.postMessage({ id: e.data.id, code: e.data.args.length }), 20);
};
