/// A reader-writer lock that keeps read transactions out while the map is resized.
///
/// LMDB lets `mdb_env_set_mapsize` run only while no transaction of this process is
/// active. Every transaction holds the gate shared for its lifetime; the writer,
/// after aborting a batch that hit `MDB_MAP_FULL`, takes it exclusively, grows the
/// map, and retries. The lock prefers the exclusive side, so a stream of readers
/// cannot starve a resize. Transactions are short and scoped, so the wait is short.
final class ResizeGate: Sendable {
    private let lock = ReadWriteLock()

    /// Enters as a transaction (shared).
    @inline(__always) func enterShared() { lock.lockShared() }
    /// Leaves as a transaction.
    @inline(__always) func leaveShared() { lock.unlock() }

    /// Runs `body` with no transaction of this process active.
    func withExclusive<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withWriteLock(body)
    }
}
