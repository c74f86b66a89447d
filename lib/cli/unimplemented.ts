/**
 * Options accepted by upstream whose behaviour is not built yet. Giving one is a usage error
 * naming it; an option is never silently ignored. Each feature removes its options from the
 * not-built list by adding them to {@linkcode IMPLEMENTED_OPTIONS}.
 *
 * @module
 */
import { NotImplementedOptionError } from "../errors.ts";
import { ALL_BZFS_OPTIONS as BZFS_OPTIONS, PERIOD_ANCHOR_ATTRS } from "./bzfs_config.ts";
import { attributeName } from "./option_spec.ts";

/** Attribute names of the options whose behaviour is built. */
export const IMPLEMENTED_OPTIONS: ReadonlySet<string> = new Set([
  // command line and logging
  "noArgumentFile",
  "verbose",
  "quiet",
  "logDir",
  "logFilePrefix",
  "logFileInfix",
  "logFileSuffix",
  "logSubdir",
  "logSyslogAddress",
  "logSyslogSocktype",
  "logSyslogFacility",
  "logSyslogPrefix",
  "logSyslogLevel",
  // dataset and snapshot selection
  "recursive",
  "skipParent",
  "includeDataset",
  "excludeDataset",
  "includeDatasetRegex",
  "excludeDatasetRegex",
  "includeSnapshotRegex",
  "excludeSnapshotRegex",
  "includeSnapshotTimesAndRanks",
  "newSnapshotFilterGroup",
  "includeSnapshotPlan",
  "excludeDatasetProperty",
  // replication
  "skipReplication",
  "dryrun",
  "noStream",
  "noResumeRecv",
  "createBookmarks",
  "noUseBookmark",
  "skipMissingSnapshots",
  "force",
  "forceOnce",
  "forceRollbackToLatestSnapshot",
  "forceRollbackToLatestCommonSnapshot",
  "forceDestroyDependents",
  "forceUnmount",
  "zfsSendProgramOpts",
  "zfsRecvProgramOpts",
  "zfsRecvProgramOpt",
  "preserveProperties",
  "noEstimateSendSize",
  "zfsRecvOTargets",
  "zfsRecvOSources",
  "zfsRecvOIncludeRegex",
  "zfsRecvOExcludeRegex",
  "zfsRecvXTargets",
  "zfsRecvXSources",
  "zfsRecvXIncludeRegex",
  "zfsRecvXExcludeRegex",
  "zfsSetTargets",
  "zfsSetSources",
  "zfsSetIncludeRegex",
  "zfsSetExcludeRegex",
  // execution
  "threads",
  "retries",
  "retryMinSleepSecs",
  "retryInitialMaxSleepSecs",
  "retryMaxSleepSecs",
  "retryMaxElapsedSecs",
  "skipOnError",
  "timeout",
  "daemonLifetime",
  "daemonFrequency",
  "daemonRemoteConfCacheTtl",
  "includeEnvvarRegex",
  "excludeEnvvarRegex",
  "sshExitOnShutdown",
  // transport
  "r2r",
  "noPrivilegeElevation",
  "sshCipher",
  "sshSrcUser",
  "sshDstUser",
  "sshSrcHost",
  "sshDstHost",
  "sshSrcPort",
  "sshDstPort",
  "sshSrcConfigFile",
  "sshDstConfigFile",
  "sshControlPersistSecs",
  "maxConcurrentSshSessionsPerTcpConnection",
  "sshProgram",
  "shellProgram",
  "sudoProgram",
  "zpoolProgram",
  "compressionProgram",
  "compressionProgramOpts",
  "mbufferProgram",
  "mbufferProgramOpts",
  "pvProgram",
  "pvProgramOpts",
  "bwlimit",
  "psProgram",
  // compare and monitor
  "compareSnapshotLists",
  "monitorSnapshots",
  "monitorSnapshotsDontWarn",
  "monitorSnapshotsDontCrit",
  "monitorSnapshotsNoLatestCheck",
  "monitorSnapshotsNoOldestCheck",
  "monitorSnapshotsPrometheusTextfile",
  // snapshot lifecycle
  "createSrcSnapshots",
  "createSrcSnapshotsPlan",
  "createSrcSnapshotsTimeformat",
  "createSrcSnapshotsTimezone",
  "createSrcSnapshotsEvenIfNotDue",
  ...PERIOD_ANCHOR_ATTRS,
  "deleteDstDatasets",
  "deleteDstSnapshots",
  "deleteDstSnapshotsNoCrosscheck",
  "deleteDstSnapshotsExcept",
  "deleteDstSnapshotsExceptPlan",
  "forceDeleteDstTmpBookmarks",
  "deleteEmptyDstDatasets",
  "cacheSnapshots",
]);

/**
 * Throws for the first given option whose behaviour is not built yet.
 *
 * @example
 * ```ts
 * import { checkImplemented } from "./unimplemented.ts";
 * checkImplemented(new Set(["recursive"])); // ok
 * ```
 * @param given Attribute names given on the command line.
 * @param implemented The options whose behaviour is built (tests pass their own set).
 * @throws {NotImplementedOptionError} Naming the option.
 */
export function checkImplemented(
  given: ReadonlySet<string>,
  implemented: ReadonlySet<string> = IMPLEMENTED_OPTIONS,
): void {
  for (const spec of BZFS_OPTIONS) {
    const attr = attributeName(spec.flags[0]);
    if (given.has(attr) && !implemented.has(attr)) {
      throw new NotImplementedOptionError(spec.flags[0]);
    }
  }
}
