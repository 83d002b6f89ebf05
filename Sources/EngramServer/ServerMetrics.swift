import CoreMetrics
import EngramStorage
import Prometheus
import Synchronization

/// The server's Prometheus metrics, recorded through swift-metrics into a registry of
/// this server's own (so several servers in one process never share counters).
///
/// | Metric | Kind | Labels |
/// |---|---|---|
/// | `engram_requests_total` | counter | `function` (`ping` excluded; `query` for query text) |
/// | `engram_request_duration_seconds` | histogram | `function` |
/// | `engram_errors_total` | counter | `code` |
/// | `engram_connections` | gauge | — |
/// | `engram_shard_used_bytes` | gauge | `shard` (updated at each scrape) |
/// | `engram_commit_batch_requests` | histogram | — (requests per group commit) |
/// | `engram_commit_duration_seconds` | histogram | — |
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let perFunction = Mutex<[String: FunctionMetrics]>([:])
    private let perCode = Mutex<[String: CoreMetrics.Counter]>([:])
    private let connections: CoreMetrics.Gauge
    private let commitBatch: CoreMetrics.Recorder
    private let commitDuration: CoreMetrics.Timer
    private let shardBytes = Mutex<[Int: CoreMetrics.Gauge]>([:])

    private struct FunctionMetrics: @unchecked Sendable {  // swift-metrics handles are thread-safe
        let requests: CoreMetrics.Counter
        let latency: CoreMetrics.Timer
    }

    /// Metrics in a new registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var f = PrometheusMetricsFactory(registry: registry)
        f.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        f.valueHistogramBuckets = ["engram_commit_batch_requests": [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]]
        factory = f
        connections = CoreMetrics.Gauge(label: "engram_connections", factory: f)
        commitBatch = CoreMetrics.Recorder(label: "engram_commit_batch_requests", aggregate: true, factory: f)
        commitDuration = CoreMetrics.Timer(label: "engram_commit_duration_seconds", factory: f)
    }

    /// Records one request to `function` that took `nanoseconds`.
    func request(_ function: String, nanoseconds: Int64) {
        let m = perFunction.withLock { all in
            if let m = all[function] { return m }
            let m = FunctionMetrics(
                requests: CoreMetrics.Counter(label: "engram_requests_total", dimensions: [("function", function)], factory: factory),
                latency: CoreMetrics.Timer(
                    label: "engram_request_duration_seconds", dimensions: [("function", function)], factory: factory))
            all[function] = m
            return m
        }
        m.requests.increment()
        m.latency.recordNanoseconds(nanoseconds)
    }

    /// Records one error answer with `code`.
    func error(_ code: String) {
        let c = perCode.withLock { all in
            if let c = all[code] { return c }
            let c = CoreMetrics.Counter(label: "engram_errors_total", dimensions: [("code", code)], factory: factory)
            all[code] = c
            return c
        }
        c.increment()
    }

    /// Sets the open-connection gauge.
    func connections(_ n: Int) { connections.record(n) }

    /// Records a committed write batch (install as `StorageOptions.commitObserver`).
    @Sendable func committed(_ batch: CommitBatch) {
        commitBatch.record(batch.requests)
        commitDuration.recordNanoseconds(Int64(batch.seconds * 1e9))
    }

    /// Updates the per-shard size gauges from `database` and renders every metric in
    /// the Prometheus text format.
    public func render(database: Database) -> [UInt8] {
        for shard in database.shards {
            let g = shardBytes.withLock { all in
                if let g = all[shard.index] { return g }
                let g = CoreMetrics.Gauge(label: "engram_shard_used_bytes", dimensions: [("shard", "\(shard.index)")], factory: factory)
                all[shard.index] = g
                return g
            }
            g.record(shard.environment.usedBytes())
        }
        return registry.emitToBuffer()
    }
}
