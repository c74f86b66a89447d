/**
 * Deterministic test content: the same seed always gives the same bytes (xorshift32), so
 * checksums of replicated datasets can be compared with expectations across runs.
 *
 * @module
 */

/**
 * `size` pseudo-random (incompressible) bytes derived from `seed`.
 *
 * @example
 * ```ts
 * const a = deterministicBytes("src/a/file0", 1024);
 * ```
 */
export function deterministicBytes(seed: string, size: number): Uint8Array {
  let x = 2166136261;
  for (let i = 0; i < seed.length; i++) x = Math.imul(x ^ seed.charCodeAt(i), 16777619);
  x = x >>> 0 || 1;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let i = 0;
  for (; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    view.setUint32(i, x >>> 0);
  }
  for (; i < size; i++) out[i] = (x >>> (8 * (i % 4))) & 0xff;
  return out;
}

/** One file of a dataset's planned content. */
export interface FileSpec {
  /** Path relative to the dataset's mountpoint (no `..`). */
  path: string;
  /** Size in bytes. */
  size: number;
}

/**
 * The default file set: `count` files of `size` bytes, `file0.bin` ... in a `d/` subdir.
 *
 * @example
 * ```ts
 * defaultFiles(2, 1024); // [{path:"file0.bin",size:1024},{path:"d/file1.bin",size:1024}]
 * ```
 */
export function defaultFiles(count: number, size: number): FileSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    path: i % 2 === 0 ? `file${i}.bin` : `d/file${i}.bin`,
    size,
  }));
}
