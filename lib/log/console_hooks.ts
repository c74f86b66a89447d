/**
 * Hooks run before a log line is written to the console, so that a live status line (the
 * transfer progress) can clear itself first and be redrawn afterwards.
 *
 * @module
 */

const hooks = new Set<() => void>();

/**
 * Registers a hook to run before every console log line.
 *
 * @example
 * ```ts
 * import { registerBeforeConsoleWrite } from "./console_hooks.ts";
 * const unregister = registerBeforeConsoleWrite(() => {});
 * unregister();
 * ```
 * @param hook Called with no arguments; must not throw.
 * @returns A function that removes the hook.
 */
export function registerBeforeConsoleWrite(hook: () => void): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/**
 * Runs the registered hooks.
 *
 * @example
 * ```ts
 * import { runBeforeConsoleWrite } from "./console_hooks.ts";
 * runBeforeConsoleWrite();
 * ```
 */
export function runBeforeConsoleWrite(): void {
  for (const hook of hooks) hook();
}
