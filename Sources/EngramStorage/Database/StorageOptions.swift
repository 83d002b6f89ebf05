import EngramCore

/// How a ``Database`` is opened.
public struct StorageOptions: Sendable {
    /// Shards of a new database (default: one per core, at least 2). An existing
    /// database keeps the count it was created with; a different explicit value is an
    /// error (resharding is an offline operation).
    public var shardCount: Int?
    /// Options of each shard's LMDB environment.
    public var environment = EnvironmentOptions()
    /// Limits on stored documents.
    public var documentLimits = DocumentLimits()
    /// Change log entries each shard keeps regardless of consumers.
    public var changeLogRetention = 100_000
    /// The clock for "now".
    public var clock: any WallClock = SystemClock()
    /// Called after every committed write batch (for metrics).
    public var commitObserver: (@Sendable (CommitBatch) -> Void)?
    /// Index kinds beyond the built-in secondary index (vector, text).
    public var indexFactories: [IndexFactory] = []
    /// Build indexes declared after their collection had documents in the background
    /// after open, and let index kinds run their own maintenance (graph linking) in the
    /// background (true); or leave index building to ``Database/buildIndexes()`` and
    /// maintenance to explicit calls (offline tools).
    public var buildIndexesInBackground = true

    public init() {}

    /// The default shard count on this machine.
    public static var defaultShardCount: Int { max(2, ProcessInfoLite.activeProcessorCount) }
}

/// The few process facts the engine needs, without Foundation.
enum ProcessInfoLite {
    #if canImport(Glibc)
    static var activeProcessorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
    #else
    static var activeProcessorCount: Int { Int(sysconf(_SC_NPROCESSORS_ONLN)) }
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
