/**
 * Typed option values of the two commands, one field per option of the option tables.
 *
 * @module
 */
import type { PeriodAnchors } from "../lifecycle/period_anchors.ts";
import type { PercentValue } from "./option_spec.ts";

/**
 * Every option value of `bzfs`, converted and typed (generated from the option table); the
 * period anchor options (`--yearly_year` ... `--millisecondly_microsecond`) come from
 * {@linkcode PeriodAnchors}.
 */
export interface BzfsOptionValues extends PeriodAnchors {
  /** `--no-argument-file`: Reject +FILE arguments that appear after this flag. */
  readonly noArgumentFile: boolean;
  /** `--recursive, -r`: Also process all descendants of each root dataset. */
  readonly recursive: boolean;
  /** `--include-dataset`: Select this dataset (relative to the root, or absolute with a leading /) and its descendants. */
  readonly includeDataset: readonly string[];
  /** `--exclude-dataset`: Skip this dataset and its descendants (exclusion wins over inclusion). */
  readonly excludeDataset: readonly string[];
  /** `--include-dataset-regex`: Select datasets whose path relative to the root fully matches REGEX; a leading ! negates. */
  readonly includeDatasetRegex: readonly string[];
  /** `--exclude-dataset-regex`: Skip datasets whose relative path fully matches REGEX; default skips tmp/temp datasets; '!.*' skips nothing. */
  readonly excludeDatasetRegex: readonly string[];
  /** `--exclude-dataset-property`: ZFS user property deciding per source dataset: true/-/empty include, false exclude, else a list of hostnames. */
  readonly excludeDatasetProperty: string | undefined;
  /** `--include-snapshot-regex`: Select snapshots whose name (after @) fully matches REGEX; a leading ! negates. */
  readonly includeSnapshotRegex: readonly string[];
  /** `--exclude-snapshot-regex`: Skip snapshots whose name (after @) fully matches REGEX. */
  readonly excludeSnapshotRegex: readonly string[];
  /** `--include-snapshot-times-and-ranks`: Select snapshots created within TIMERANGE (START..END) or within any RANKRANGE (e.g. 'latest 10'). */
  readonly includeSnapshotTimesAndRanks: readonly string[];
  /** `--include-snapshot-plan`: Select snapshots per a retention plan {org: {target: {period: count}}}. */
  readonly includeSnapshotPlan: string | undefined;
  /** `--create-src-snapshots`: Take new source snapshots per --create-src-snapshots-plan when they are due. */
  readonly createSrcSnapshots: boolean;
  /** `--create-src-snapshots-plan`: Which snapshots to create: {org: {target: {period: count}}}. */
  readonly createSrcSnapshotsPlan: string | undefined;
  /** `--create-src-snapshots-timeformat`: strftime format of the timestamp in created snapshot names. */
  readonly createSrcSnapshotsTimeformat: string;
  /** `--create-src-snapshots-timezone`: Time zone for snapshot names: UTC, +HHMM, an IANA name, or empty for local. */
  readonly createSrcSnapshotsTimezone: string;
  /** `--create-src-snapshots-even-if-not-due`: Create the planned snapshots now even if they are not due. */
  readonly createSrcSnapshotsEvenIfNotDue: boolean;
  /** `--zfs-send-program-opts`: Extra options for zfs send, split on whitespace. */
  readonly zfsSendProgramOpts: string;
  /** `--zfs-recv-program-opts`: Extra options for zfs receive, split on whitespace. */
  readonly zfsRecvProgramOpts: string;
  /** `--zfs-recv-program-opt`: One extra zfs receive argument, unsplit; repeat as needed. */
  readonly zfsRecvProgramOpt: readonly string[];
  /** `--preserve-properties`: Properties whose destination values a receive must never overwrite (zfs receive -x). */
  readonly preserveProperties: readonly string[];
  /** `--force-rollback-to-latest-snapshot`: Roll the destination back to its latest snapshot before an incremental receive. */
  readonly forceRollbackToLatestSnapshot: boolean;
  /** `--force-rollback-to-latest-common-snapshot`: Roll the destination back to the latest common snapshot, destroying newer destination snapshots. */
  readonly forceRollbackToLatestCommonSnapshot: boolean;
  /** `--force`: Like the previous option, and if nothing is in common destroy all destination snapshots and send in full. */
  readonly force: boolean;
  /** `--force-destroy-dependents`: Add -R to destination rollbacks and destroys, also destroying dependent clones. */
  readonly forceDestroyDependents: boolean;
  /** `--force-unmount`: Add -f to destination rollbacks and destroys done by force options. */
  readonly forceUnmount: boolean;
  /** `--force-once, --f1`: Apply a force option to at most one conflict, then fail on later conflicts. */
  readonly forceOnce: boolean;
  /** `--skip-parent`: Process only the descendants of each root dataset, not the root itself. */
  readonly skipParent: boolean;
  /** `--skip-missing-snapshots`: What to do when a source dataset has no selected snapshots. */
  readonly skipMissingSnapshots: "fail" | "dataset" | "continue";
  /** `--retries`: How many times to retry a failed step that may pass. */
  readonly retries: number;
  /** `--retry-min-sleep-secs`: Minimum sleep between retries. */
  readonly retryMinSleepSecs: number;
  /** `--retry-initial-max-sleep-secs`: Initial maximum sleep between retries; doubles per retry. */
  readonly retryInitialMaxSleepSecs: number;
  /** `--retry-max-sleep-secs`: Cap on the sleep between retries. */
  readonly retryMaxSleepSecs: number;
  /** `--retry-max-elapsed-secs`: Stop retrying an operation after this many seconds. */
  readonly retryMaxElapsedSecs: number;
  /** `--skip-on-error`: On a dataset error: fail the run, skip the subtree, or skip the dataset only. */
  readonly skipOnError: "fail" | "tree" | "dataset";
  /** `--skip-replication`: Do not replicate; run only the other requested phases. */
  readonly skipReplication: boolean;
  /** `--delete-dst-datasets`: Destroy selected destination datasets that have no source counterpart. */
  readonly deleteDstDatasets: boolean;
  /** `--delete-dst-snapshots`: Destroy selected destination snapshots (or bookmarks) whose GUID is not on the source. */
  readonly deleteDstSnapshots: "snapshots" | "bookmarks" | undefined;
  /** `--force-delete-dst-tmp-bookmarks`: Also remove temporary bookmarks on the destination. */
  readonly forceDeleteDstTmpBookmarks: boolean;
  /** `--delete-dst-snapshots-no-crosscheck`: Compare only snapshots with snapshots and bookmarks with bookmarks when deleting. */
  readonly deleteDstSnapshotsNoCrosscheck: boolean;
  /** `--delete-dst-snapshots-except`: Invert the snapshot filters for deletion: keep the selected, delete the rest. */
  readonly deleteDstSnapshotsExcept: boolean;
  /** `--delete-dst-snapshots-except-plan`: Keep destination snapshots per a retention plan, delete the rest. */
  readonly deleteDstSnapshotsExceptPlan: string | undefined;
  /** `--delete-empty-dst-datasets`: Destroy destination datasets that have no snapshots (and bookmarks) in their whole subtree. */
  readonly deleteEmptyDstDatasets: "snapshots" | "snapshots+bookmarks" | undefined;
  /** `--monitor-snapshots`: Alert when the latest or oldest snapshot per plan is older than its thresholds. */
  readonly monitorSnapshots: string;
  /** `--monitor-snapshots-dont-warn`: Log monitoring warnings without exit status 1. */
  readonly monitorSnapshotsDontWarn: boolean;
  /** `--monitor-snapshots-dont-crit`: Log monitoring criticals without exit status 2. */
  readonly monitorSnapshotsDontCrit: boolean;
  /** `--monitor-snapshots-no-latest-check`: Skip the checks of latest snapshots. */
  readonly monitorSnapshotsNoLatestCheck: boolean;
  /** `--monitor-snapshots-no-oldest-check`: Skip the checks of oldest snapshots. */
  readonly monitorSnapshotsNoOldestCheck: boolean;
  /** `--compare-snapshot-lists`: Write a TSV report of snapshots only on src, only on dst, or on both. */
  readonly compareSnapshotLists:
    | "src"
    | "dst"
    | "all"
    | "src+dst"
    | "src+all"
    | "dst+all"
    | "src+dst+all"
    | undefined;
  /** `--cache-snapshots`: Skip datasets whose snapshots_changed did not move (OpenZFS >= 2.2). */
  readonly cacheSnapshots: boolean;
  /** `--dryrun, -n`: Change nothing; print what would run. 'recv' sends and discards with zfs receive -n. */
  readonly dryrun: "recv" | "send" | undefined;
  /** `--verbose, -v`: Log more; -v -v prints every command exactly as it runs. */
  readonly verbose: number;
  /** `--quiet, -q`: Log only errors and warnings to the console. */
  readonly quiet: boolean;
  /** `--no-privilege-elevation, -p`: Never use sudo/doas; rely on zfs allow delegation. */
  readonly noPrivilegeElevation: boolean;
  /** `--no-stream`: Send only the latest selected snapshot (zfs send -i, not -I). */
  readonly noStream: boolean;
  /** `--no-resume-recv`: Do not use resumable receives (zfs receive -s / zfs send -t). */
  readonly noResumeRecv: boolean;
  /** `--create-bookmarks`: Which sent source snapshots get a bookmark. */
  readonly createBookmarks: "all" | "hourly" | "minutely" | "secondly" | "none";
  /** `--no-use-bookmark`: Do not use source bookmarks as incremental origins. */
  readonly noUseBookmark: boolean;
  /** `--ssh-cipher`: ssh -c cipher list; empty omits -c. */
  readonly sshCipher: string;
  /** `--ssh-src-user`: ssh user for the source, overriding user@ in SRC_DATASET. */
  readonly sshSrcUser: string | undefined;
  /** `--ssh-dst-user`: ssh user for the destination, overriding user@ in DST_DATASET. */
  readonly sshDstUser: string | undefined;
  /** `--ssh-src-host`: Source host, overriding host: in SRC_DATASET. */
  readonly sshSrcHost: string | undefined;
  /** `--ssh-dst-host`: Destination host, overriding host: in DST_DATASET. */
  readonly sshDstHost: string | undefined;
  /** `--ssh-src-port`: ssh port of the source host. */
  readonly sshSrcPort: number | undefined;
  /** `--ssh-dst-port`: ssh port of the destination host. */
  readonly sshDstPort: number | undefined;
  /** `--ssh-src-config-file`: ssh config file for the source (ssh -F); name must contain bzfs_ssh_config. */
  readonly sshSrcConfigFile: string | undefined;
  /** `--ssh-dst-config-file`: ssh config file for the destination (ssh -F); name must contain bzfs_ssh_config. */
  readonly sshDstConfigFile: string | undefined;
  /** `--ssh-exit-on-shutdown`: Close ssh master connections at exit instead of keeping them for reuse. */
  readonly sshExitOnShutdown: boolean;
  /** `--ssh-control-persist-secs`: Idle lifetime of ssh master connections. */
  readonly sshControlPersistSecs: number;
  /** `--timeout`: Abort the run after this duration. */
  readonly timeout: string | undefined;
  /** `--threads`: Parallel workers: a number, or a percentage of CPU cores. */
  readonly threads: PercentValue;
  /** `--max-concurrent-ssh-sessions-per-tcp-connection`: Maximum ssh sessions multiplexed on one connection. */
  readonly maxConcurrentSshSessionsPerTcpConnection: number;
  /** `--r2r`: Remote to remote data path: relay via this host, or let dst pull / src push directly. */
  readonly r2r: "off" | "pull" | "push";
  /** `--bwlimit`: Bandwidth limit for transfers, e.g. 100m (via pv). */
  readonly bwlimit: string | undefined;
  /** `--daemon-lifetime`: Repeat the job in this process until this duration has passed. */
  readonly daemonLifetime: string;
  /** `--daemon-frequency`: Interval between daemon iterations, e.g. 10secondly, minutely. */
  readonly daemonFrequency: string;
  /** `--daemon-remote-conf-cache-ttl`: How long detected remote facts are cached in daemon mode. */
  readonly daemonRemoteConfCacheTtl: string;
  /** `--no-estimate-send-size`: Skip the zfs send -n size estimate before each transfer. */
  readonly noEstimateSendSize: boolean;
  /** `--compression-program`: On-the-wire compressor for remote transfers; - disables. */
  readonly compressionProgram: "zstd" | "lz4" | "pzstd" | "pigz" | "gzip" | "-";
  /** `--compression-program-opts`: Options of the compressor. */
  readonly compressionProgramOpts: string;
  /** `--mbuffer-program`: Buffer for remote transfers; - disables. */
  readonly mbufferProgram: "mbuffer" | "-";
  /** `--mbuffer-program-opts`: Options of mbuffer. */
  readonly mbufferProgramOpts: string;
  /** `--ps-program`: Program to inspect processes; - disables that check. */
  readonly psProgram: "ps" | "-";
  /** `--pv-program`: Progress meter and rate limiter; - disables. */
  readonly pvProgram: "pv" | "-";
  /** `--pv-program-opts`: Options of pv. */
  readonly pvProgramOpts: string;
  /** `--shell-program`: Shell for remote pipelines; - disables features that need it. */
  readonly shellProgram: "sh" | "-";
  /** `--ssh-program`: ssh client; - allows only local datasets. */
  readonly sshProgram: "ssh" | "hpnssh" | "-";
  /** `--sudo-program`: Privilege elevation program for non-root users; - disables. */
  readonly sudoProgram: "sudo" | "doas" | "-";
  /** `--zpool-program`: zpool program for feature detection; - disables. */
  readonly zpoolProgram: "zpool" | "-";
  /** `--log-dir`: Directory for log files (default $HOME/bzfs-logs); name must contain bzfs-logs. */
  readonly logDir: string | undefined;
  /** `--log-file-prefix`: Prefix of log file names. */
  readonly logFilePrefix: string;
  /** `--log-file-infix`: Infix of log file names, after the timestamp. */
  readonly logFileInfix: string;
  /** `--log-file-suffix`: Suffix of log file names. */
  readonly logFileSuffix: string;
  /** `--log-subdir`: Time granularity of the log subdirectory. */
  readonly logSubdir: "daily" | "hourly" | "minutely";
  /** `--log-syslog-address`: Also log to syslog at host:port or a socket path. */
  readonly logSyslogAddress: string | undefined;
  /** `--log-syslog-socktype`: Transport for a host:port syslog address. */
  readonly logSyslogSocktype: "UDP" | "TCP";
  /** `--log-syslog-facility`: Syslog LOCAL facility number. */
  readonly logSyslogFacility: number;
  /** `--log-syslog-prefix`: Tag of syslog messages. */
  readonly logSyslogPrefix: string;
  /** `--log-syslog-level`: Minimum level sent to syslog. */
  readonly logSyslogLevel: "CRITICAL" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";
  /** `--include-envvar-regex`: Environment variables to keep even if excluded. */
  readonly includeEnvvarRegex: readonly string[];
  /** `--exclude-envvar-regex`: Environment variables to remove at startup. */
  readonly excludeEnvvarRegex: readonly string[];
  /** `--zfs-recv-o-targets`: Which receives get the generated -o options. */
  readonly zfsRecvOTargets: "full" | "incremental" | "full+incremental";
  /** `--zfs-recv-o-sources`: Property sources to copy as zfs receive -o. */
  readonly zfsRecvOSources: string;
  /** `--zfs-recv-o-include-regex`: Property names to copy as zfs receive -o; none given = copy nothing. */
  readonly zfsRecvOIncludeRegex: readonly string[] | undefined;
  /** `--zfs-recv-o-exclude-regex`: Property names never copied as -o. */
  readonly zfsRecvOExcludeRegex: readonly string[];
  /** `--zfs-recv-x-targets`: Which receives get the generated -x options. */
  readonly zfsRecvXTargets: "full" | "incremental" | "full+incremental";
  /** `--zfs-recv-x-sources`: Property sources to turn into zfs receive -x. */
  readonly zfsRecvXSources: string;
  /** `--zfs-recv-x-include-regex`: Property names to turn into zfs receive -x. */
  readonly zfsRecvXIncludeRegex: readonly string[] | undefined;
  /** `--zfs-recv-x-exclude-regex`: Property names never turned into -x. */
  readonly zfsRecvXExcludeRegex: readonly string[];
  /** `--zfs-set-targets`: Which receives are followed by zfs set. */
  readonly zfsSetTargets: "full" | "incremental" | "full+incremental";
  /** `--zfs-set-sources`: Property sources to apply with zfs set. */
  readonly zfsSetSources: string;
  /** `--zfs-set-include-regex`: Property names to apply with zfs set after receive. */
  readonly zfsSetIncludeRegex: readonly string[] | undefined;
  /** `--zfs-set-exclude-regex`: Property names never applied with zfs set. */
  readonly zfsSetExcludeRegex: readonly string[];
  /** `--monitor-snapshots-prometheus-textfile` (extension): Prometheus textfile of monitor findings. */
  readonly monitorSnapshotsPrometheusTextfile: string | undefined;
}

/** Every option value of `bzfs_jobrunner`, converted and typed (generated from the option table). */
export interface JobrunnerOptionValues {
  /** `--create-src-snapshots`: Create source snapshots per --src-snapshot-plan where due. */
  readonly createSrcSnapshots: boolean;
  /** `--replicate`: Replicate from each selected source to each selected destination. */
  readonly replicate: boolean;
  /** `--prune-src-snapshots`: Delete source snapshots not retained by --src-snapshot-plan. */
  readonly pruneSrcSnapshots: boolean;
  /** `--prune-src-bookmarks`: Delete source bookmarks not retained by --src-bookmark-plan. */
  readonly pruneSrcBookmarks: boolean;
  /** `--prune-dst-snapshots`: Delete destination snapshots not retained by --dst-snapshot-plan. */
  readonly pruneDstSnapshots: boolean;
  /** `--monitor-src-snapshots`: Check source snapshot ages per --monitor-snapshot-plan. */
  readonly monitorSrcSnapshots: boolean;
  /** `--monitor-dst-snapshots`: Check destination snapshot ages per --monitor-snapshot-plan. */
  readonly monitorDstSnapshots: boolean;
  /** `--localhost`: The name this machine considers itself (default: its hostname). */
  readonly localhost: string | undefined;
  /** `--src-hosts`: List literal of all source hosts, e.g. ['a', 'b'] (read from stdin if absent). */
  readonly srcHosts: string | undefined;
  /** `--src-host`: Only act on this source host; repeat for more. */
  readonly srcHost: readonly string[];
  /** `--dst-hosts`: Dict literal: destination host -> list of targets it receives. */
  readonly dstHosts: string;
  /** `--dst-host`: Only act on this destination host; repeat for more. */
  readonly dstHost: readonly string[];
  /** `--retain-dst-targets`: Dict literal: destination host -> targets whose snapshots it keeps. */
  readonly retainDstTargets: string;
  /** `--dst-root-datasets`: Dict literal: destination host -> root dataset prefix (^SRC_HOST, ^DST_HOST allowed). */
  readonly dstRootDatasets: string;
  /** `--src-snapshot-plan`: Plan of snapshots to create and keep on sources. */
  readonly srcSnapshotPlan: string;
  /** `--src-bookmark-plan`: Plan of bookmarks to keep on sources. */
  readonly srcBookmarkPlan: string;
  /** `--dst-snapshot-plan`: Plan of snapshots to replicate and keep on destinations. */
  readonly dstSnapshotPlan: string;
  /** `--monitor-snapshot-plan`: Plan of snapshot age alerts. */
  readonly monitorSnapshotPlan: string;
  /** `--ssh-src-user`: ssh user on source hosts. */
  readonly sshSrcUser: string;
  /** `--ssh-dst-user`: ssh user on destination hosts. */
  readonly sshDstUser: string;
  /** `--ssh-src-port`: ssh port of source hosts. */
  readonly sshSrcPort: number | undefined;
  /** `--ssh-dst-port`: ssh port of destination hosts. */
  readonly sshDstPort: number | undefined;
  /** `--ssh-src-config-file`: ssh config file for sources; name must contain bzfs_ssh_config. */
  readonly sshSrcConfigFile: string | undefined;
  /** `--ssh-dst-config-file`: ssh config file for destinations; name must contain bzfs_ssh_config. */
  readonly sshDstConfigFile: string | undefined;
  /** `--job-id`: Stable name of this job across runs (required). */
  readonly jobId: string | undefined;
  /** `--job-run`: Name of this run (default: a fresh unique id). */
  readonly jobRun: string;
  /** `--workers`: Maximum sub-jobs at once: a number or a percentage of CPU cores. */
  readonly workers: PercentValue;
  /** `--work-period-seconds`: Spread sub-job starts evenly over this many seconds. */
  readonly workPeriodSeconds: number;
  /** `--jitter`: Shuffle host order and add a random initial delay. */
  readonly jitter: boolean;
  /** `--worker-timeout-seconds`: Time limit per sub-job. */
  readonly workerTimeoutSeconds: number | undefined;
  /** `--repeat-if-took-more-than-seconds`: Repeat a successful pass that took longer than this. */
  readonly repeatIfTookMoreThanSeconds: number;
  /** `--spawn-process-per-job`: Run each sub-job as a separate process. */
  readonly spawnProcessPerJob: boolean;
  /** `--jobrunner-dryrun`: Plan and log the sub-jobs but run none. */
  readonly jobrunnerDryrun: boolean;
  /** `--jobrunner-log-level`: Log level of the jobrunner's own messages. */
  readonly jobrunnerLogLevel: "CRITICAL" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";
  /** `--daemon-replication-frequency`: --daemon-frequency of replicate sub-jobs. */
  readonly daemonReplicationFrequency: string;
  /** `--daemon-prune-src-frequency`: --daemon-frequency of source prune sub-jobs. */
  readonly daemonPruneSrcFrequency: string;
  /** `--daemon-prune-dst-frequency`: --daemon-frequency of destination prune sub-jobs. */
  readonly daemonPruneDstFrequency: string;
  /** `--daemon-monitor-snapshots-frequency`: --daemon-frequency of monitor sub-jobs. */
  readonly daemonMonitorSnapshotsFrequency: string;
  /** `--root-dataset-pairs`: Source and destination dataset pairs without hosts; must come last. */
  readonly rootDatasetPairs: readonly string[] | undefined;
}
