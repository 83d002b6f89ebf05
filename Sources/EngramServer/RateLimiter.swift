import Synchronization

/// A token bucket per key: `rate` tokens per second, at most `burst` banked.
///
/// Thread-safe; one short lock per request.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Double, burst: Double?) {
        self.rate = rate
        self.burst = max(1, burst ?? rate)
    }

    /// Takes one token for `key`; false when the bucket is empty.
    func allow(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { all in
            var b = all[key] ?? Bucket(tokens: burst, last: now)
            let elapsed = now - b.last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            b.tokens = min(burst, b.tokens + seconds * rate)
            b.last = now
            let ok = b.tokens >= 1
            if ok { b.tokens -= 1 }
            all[key] = b
            return ok
        }
    }
}
