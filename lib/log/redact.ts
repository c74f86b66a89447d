/**
 * Keeps secrets out of logs: every registered secret value is replaced by `***` in any text
 * that reaches a log sink.
 *
 * @module
 */

/** Environment variable names whose values are treated as secrets. */
export const SECRET_ENV_NAME = /pass|secret|token|key|credential|auth|cookie|session/i;

/**
 * Replaces registered secret values in text.
 *
 * @example
 * ```ts
 * import { Redactor } from "./redact.ts";
 * const r = new Redactor();
 * r.add("hunter22");
 * r.redact("password is hunter22"); // "password is ***"
 * ```
 */
export class Redactor {
  #secrets: string[] = [];

  /**
   * Registers a secret. Values shorter than 4 characters are ignored, since masking them
   * would garble ordinary words.
   */
  add(secret: string | undefined): void {
    if (secret && secret.length >= 4 && !this.#secrets.includes(secret)) {
      this.#secrets.push(secret);
      this.#secrets.sort((a, b) => b.length - a.length);
    }
  }

  /** Registers the values of environment variables whose names look secret. */
  addFromEnv(env: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(env)) {
      if (SECRET_ENV_NAME.test(name)) this.add(value);
    }
  }

  /** The text with every secret replaced by `***`. */
  redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.replaceAll(s, "***");
    return out;
  }
}
