#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reader-writer lock that keeps read transactions out while the map is resized.
///
/// LMDB lets `mdb_env_set_mapsize` run only while no transaction of this process is
/// active. Every transaction holds the gate shared for its lifetime; the writer,
/// after aborting a batch that hit `MDB_MAP_FULL`, takes it exclusively, grows the
/// map, and retries. The lock prefers the exclusive side, so a stream of readers
/// cannot starve a resize. Transactions are short and scoped, so the wait is short.
final class ResizeGate: @unchecked Sendable {
    // Heap-allocated so the lock never moves (pthread objects must not be copied).
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        var attr = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attr)
        #if canImport(Glibc)
        pthread_rwlockattr_setkind_np(&attr, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        #endif
        pthread_rwlock_init(lock, &attr)
        pthread_rwlockattr_destroy(&attr)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Enters as a transaction (shared).
    @inline(__always) func enterShared() { pthread_rwlock_rdlock(lock) }
    /// Leaves as a transaction.
    @inline(__always) func leaveShared() { pthread_rwlock_unlock(lock) }

    /// Runs `body` with no transaction of this process active.
    func withExclusive<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
