/**
 * Atomic file replacement: write everything to a temporary file in the same directory, fsync it,
 * then rename it over the target, so a reader (node-exporter, a user tailing the report) sees the
 * old file or the complete new one, never a partial write.
 *
 * @module
 */

/** Options of {@linkcode writeTextfileAtomically}. */
export interface WriteAtomicallyOptions {
  /** Permission bits of the final file. @default {0o644} */
  readonly mode?: number;
}

/**
 * Atomically replaces `path` with `text`: a uniquely named temporary file in the same directory is
 * written, fsynced, given `mode`, and renamed into place; the directory is fsynced afterwards
 * where the platform allows. On failure the temporary file is removed and the target is left as
 * it was.
 *
 * @example
 * ```ts
 * import { writeTextfileAtomically } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextfileAtomically(`${dir}/bzfs.prom`, "bzfs_up 1\n");
 * console.log(await Deno.readTextFile(`${dir}/bzfs.prom`)); // "bzfs_up 1\n"
 * ```
 * @param path The target file.
 * @param text The complete new content.
 * @param options The final file mode.
 * @returns Resolves when the new content is in place.
 * @throws {Deno.errors.NotFound} If the directory does not exist (and other I/O errors).
 */
export async function writeTextfileAtomically(
  path: string,
  text: string,
  options: WriteAtomicallyOptions = {},
): Promise<void> {
  const { dir, base } = splitPath(path);
  const tmp = await Deno.makeTempFile({ dir, prefix: `.${base}.`, suffix: ".tmp" });
  await replaceFrom(tmp, path, options.mode ?? 0o644, [text]);
  await syncDir(dir);
}

/** Options of {@linkcode writeLinesAtomically}. */
export interface WriteLinesOptions {
  /** The temporary file, renamed to the target at the end. @default {`${path}.tmp`} */
  readonly tmpPath?: string;
  /** Permission bits of the final file. @default {0o600} */
  readonly mode?: number;
}

/**
 * Streams lines (each gets a `\n`) into `<path>.tmp` and renames it to `path` once complete, as
 * upstream writes its compare TSV files. Lines are written in batches, so a generator producing
 * 100,000 rows is never held in memory.
 *
 * @example
 * ```ts
 * import { writeLinesAtomically } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeLinesAtomically(`${dir}/a.tsv`, ["h1\th2", "1\t2"]);
 * console.log(await Deno.readTextFile(`${dir}/a.tsv`)); // "h1\th2\n1\t2\n"
 * ```
 * @param path The target file.
 * @param lines The lines, sync or async.
 * @param options Temporary path and final mode.
 * @returns Resolves when the file is in place.
 * @throws {Deno.errors.NotFound} If the directory does not exist (and other I/O errors).
 */
export async function writeLinesAtomically(
  path: string,
  lines: Iterable<string> | AsyncIterable<string>,
  options: WriteLinesOptions = {},
): Promise<void> {
  await replaceFrom(options.tmpPath ?? `${path}.tmp`, path, options.mode ?? 0o600, batches(lines));
}

async function replaceFrom(
  tmp: string,
  path: string,
  mode: number,
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  try {
    await writeAndSync(tmp, mode, chunks);
    await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

async function writeAndSync(
  tmp: string,
  mode: number,
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  using file = await Deno.open(tmp, { write: true, create: true, truncate: true, mode });
  const encoder = new TextEncoder();
  for await (const chunk of chunks) await writeAll(file, encoder.encode(chunk));
  await file.sync();
}

async function* batches(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  let buf: string[] = [];
  let size = 0;
  for await (const line of lines) {
    buf.push(line, "\n");
    size += line.length + 1;
    if (size >= 1 << 16) {
      yield buf.join("");
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) yield buf.join("");
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await file.write(data.subarray(off));
}

/** Makes the rename durable; some platforms cannot open directories, which is harmless. */
async function syncDir(dir: string): Promise<void> {
  try {
    using d = await Deno.open(dir, { read: true });
    await d.sync();
  } catch {
    // best effort only
  }
}

function splitPath(path: string): { dir: string; base: string } {
  const i = path.lastIndexOf("/");
  if (i < 0) return { dir: ".", base: path };
  return { dir: i === 0 ? "/" : path.slice(0, i), base: path.slice(i + 1) };
}
