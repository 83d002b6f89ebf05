import NIOCore
import Synchronization

/// The open connections of one server: enforces the connection limit, feeds the
/// connection gauge, and drains every connection at shutdown.
final class ConnectionTracker: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: Channel] = [:]
        var nextID: UInt64 = 1
        var draining = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let maxConnections: Int
    private let metrics: ServerMetrics

    init(maxConnections: Int, metrics: ServerMetrics) {
        self.maxConnections = maxConnections
        self.metrics = metrics
    }

    /// Registers `channel`; returns its id and whether it is within the limit (a
    /// connection over the limit is registered all the same until it closes).
    func add(_ channel: Channel) -> (id: UInt64, accepted: Bool, draining: Bool) {
        let (id, n, draining) = state.withLock { s -> (UInt64, Int, Bool) in
            s.channels[ObjectIdentifier(channel)] = channel
            s.nextID += 1
            return (s.nextID - 1, s.channels.count, s.draining)
        }
        metrics.connections(n)
        return (id, n <= maxConnections, draining)
    }

    /// Unregisters `channel`.
    func remove(_ channel: Channel) {
        let (n, waiters) = state.withLock { s -> (Int, [CheckedContinuation<Void, Never>]) in
            s.channels.removeValue(forKey: ObjectIdentifier(channel))
            guard s.channels.isEmpty, s.draining else { return (s.channels.count, []) }
            defer { s.waiters = [] }
            return (0, s.waiters)
        }
        metrics.connections(n)
        for w in waiters { w.resume() }
    }

    /// Tells every connection to finish its in-flight requests, answer new ones with
    /// `SHUTTING_DOWN`, and close.
    func drainAll() {
        let channels = state.withLock { s in
            s.draining = true
            return Array(s.channels.values)
        }
        for c in channels { c.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
    }

    /// Closes every connection at once.
    func closeAll() {
        for c in state.withLock({ Array($0.channels.values) }) { c.close(promise: nil) }
    }

    /// Returns once every connection has closed (after ``drainAll()``).
    func waitUntilEmpty() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.channels.isEmpty { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
}
