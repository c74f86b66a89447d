/**
 * Private helpers of `host.ts`: word batching and the retryability rule of zfs failures.
 *
 * @module
 */
import { CommandError, RetryableError } from "../errors.ts";
import { CommandTimeoutError, InterruptedCommandError } from "../exec/failure.ts";

/** A failed zfs command becomes retryable (upstream retries these); timeouts, interruptions and bugs do not. */
export function toRetryable(e: unknown): unknown {
  if (
    !(e instanceof CommandError) || e instanceof InterruptedCommandError ||
    e instanceof CommandTimeoutError
  ) return e;
  return new RetryableError("Subprocess failed", { cause: e });
}

/** Splits words into batches of at most `maxCount` words and about `maxChars` characters. */
export function batchWords(
  words: readonly string[],
  maxCount: number,
  maxChars: number,
): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let chars = 0;
  for (const w of words) {
    if (
      batch.length > 0 && (batch.length >= Math.max(1, maxCount) || chars + w.length + 1 > maxChars)
    ) {
      out.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(w);
    chars += w.length + 1;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}
