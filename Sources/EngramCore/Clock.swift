#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock used for `_creationTime`, ids and every "now" a function writes.
///
/// Injectable so tests can pin time. Values are whole milliseconds since the epoch.
public protocol WallClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> UInt64
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public func nowMilliseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec) / 1_000_000
    }
}
