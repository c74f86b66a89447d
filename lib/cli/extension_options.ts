/**
 * Options of bzfs for Deno that upstream bzfs does not have. They follow upstream's naming
 * style, are listed in `--help` after upstream's options, and never change what an upstream
 * command line means.
 *
 * @module
 */
import type { OptionSpec } from "./option_spec.ts";

/** Extension options of `bzfs`. */
export const BZFS_EXTENSION_OPTIONS: readonly OptionSpec[] = [
  {
    flags: ["--monitor-snapshots-prometheus-textfile"],
    group: "options",
    kind: "Store",
    metavar: "FILE",
    nargs: "1",
    help: "Also write the --monitor-snapshots findings as a Prometheus node-exporter textfile " +
      "(snapshot ages and status per dataset and period), replaced atomically",
  },
];
