import CLMDB
import EngramCore
import Synchronization

/// Options for opening one LMDB environment.
public struct EnvironmentOptions: Sendable {
    /// Initial map size in bytes. The map grows on demand; this only sets the start.
    public var initialMapSize: Int = 256 << 20
    /// Largest single growth step in bytes (the map doubles until steps reach this).
    public var maxGrowthStep: Int = 4 << 30
    /// Maximum number of named databases. Nil lets the shard size it from its schema:
    /// every read transaction allocates a table of this size, so it should be no
    /// larger than needed.
    public var maxDatabases: UInt32?
    /// Maximum number of concurrent read transactions.
    public var maxReaders: UInt32 = 512
    /// When false, commits are not flushed to disk (`MDB_NOSYNC`): faster, and a
    /// machine crash may lose the latest commits. Only for tests and benchmarks.
    public var durable: Bool = true

    public init() {}
}

/// One LMDB environment: a directory with a memory-mapped file, its own write lock
/// and its own map.
///
/// Read transactions may run on any thread (`MDB_NOTLS`); write transactions are
/// begun only by the shard's writer thread. The map grows when a write reports
/// `MDB_MAP_FULL` (see ``grow()``). At open, reader slots left by dead processes are
/// reclaimed with `mdb_reader_check`.
public final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    let gate = ResizeGate()
    /// The directory holding `data.mdb` and `lock.mdb`.
    public let path: String
    let options: EnvironmentOptions
    private let mapSize: Mutex<Int>
    private let closed = Atomic<Bool>(false)
    /// Read transactions that finished, reset and ready to renew: renewing one costs
    /// far less than beginning a transaction (no allocation).
    private let idleReaders = Mutex<[IdleReader]>([])
    private static let maxIdleReaders = 64
    /// Reads the data file into the page cache after open (see ``PageCacheWarmer``).
    private let warmer: PageCacheWarmer

    /// Opens (creating if needed) the environment in directory `path`.
    public init(path: String, options: EnvironmentOptions = EnvironmentOptions()) throws {
        var env: OpaquePointer?
        try LMDB.check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw EngramError(.storage, "mdb_env_create returned no environment") }
        do {
            try LMDB.check(mdb_env_set_maxdbs(env, options.maxDatabases ?? 1024), "mdb_env_set_maxdbs")
            try LMDB.check(mdb_env_set_maxreaders(env, options.maxReaders), "mdb_env_set_maxreaders")
            try LMDB.check(mdb_env_set_mapsize(env, options.initialMapSize), "mdb_env_set_mapsize")
            var flags = UInt32(MDB_NOTLS | MDB_NORDAHEAD)
            if !options.durable { flags |= UInt32(MDB_NOSYNC) }
            try LMDB.check(mdb_env_open(env, path, flags, 0o644), "open LMDB environment at \(path)")
            var dead: Int32 = 0
            try LMDB.check(mdb_reader_check(env, &dead), "mdb_reader_check")
        } catch {
            mdb_env_close(env)
            throw error
        }
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        self.handle = env
        self.path = path
        self.options = options
        self.mapSize = Mutex(info.me_mapsize)
        warmer = PageCacheWarmer(path: path + "/data.mdb")
    }

    deinit { close() }

    /// Closes the environment. Every transaction must have ended.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        warmer.stop()
        for idle in idleReaders.withLock({ r in defer { r.removeAll() }; return r }) { mdb_txn_abort(idle.handle) }
        mdb_env_close(handle)
    }

    /// The current map size in bytes.
    public var currentMapSize: Int { mapSize.withLock { $0 } }

    /// Grows the map (doubling, in steps of at most `maxGrowthStep`). Waits until no
    /// transaction of this process is active. Called by the writer after it aborted
    /// the transaction that hit `MDB_MAP_FULL`.
    func grow() throws {
        try gate.withExclusive {
            try mapSize.withLock { size in
                let next = size + min(size, options.maxGrowthStep)
                try LMDB.check(mdb_env_set_mapsize(handle, next), "grow the map to \(next) bytes")
                var info = MDB_envinfo()
                mdb_env_info(handle, &info)
                size = info.me_mapsize
            }
        }
    }

    /// Runs `body` in a read-only transaction that sees one consistent snapshot.
    ///
    /// The transaction ends when `body` returns; nothing read from it may escape.
    /// Never nest `read` calls on the same environment (a pending resize would wait
    /// on the outer one forever).
    public func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        gate.enterShared()
        defer { gate.leaveShared() }
        let t = Transaction(handle: try beginRead(), readOnly: true)
        defer { endRead(t) }
        return try body(t)
    }

    /// A read transaction: an idle one renewed, else a new one.
    private func beginRead() throws -> OpaquePointer {
        if let idle = idleReaders.withLock({ $0.popLast() }) {
            if mdb_txn_renew(idle.handle) == MDB_SUCCESS { return idle.handle }
            mdb_txn_abort(idle.handle)
        }
        var txn: OpaquePointer?
        try LMDB.check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn), "begin read transaction")
        return txn!  // mdb_txn_begin succeeded, so txn is set
    }

    /// Ends a read transaction, keeping it (reset) for reuse unless enough are idle.
    private func endRead(_ t: Transaction) {
        guard t.finishRead() else { return }
        mdb_txn_reset(t.handle)
        let reader = IdleReader(handle: t.handle)
        let kept = idleReaders.withLock { idle in
            guard idle.count < Self.maxIdleReaders else { return false }
            idle.append(reader)
            return true
        }
        if !kept { mdb_txn_abort(t.handle) }
    }

    /// Begins a top-level write transaction. Only the shard writer calls this; the
    /// caller must hold the gate shared until the transaction ends.
    func beginWrite() throws -> Transaction {
        var txn: OpaquePointer?
        try LMDB.check(mdb_txn_begin(handle, nil, 0, &txn), "begin write transaction")
        return Transaction(handle: txn!, readOnly: false)  // mdb_txn_begin succeeded
    }

    /// Opens (creating if `create`) the named database `name` inside write transaction `txn`.
    /// The handle stays valid for the environment's lifetime once `txn` commits.
    func openDatabase(_ name: String, create: Bool, in txn: Transaction) throws -> SubDatabase? {
        var dbi: MDB_dbi = 0
        let rc = mdb_dbi_open(txn.handle, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
        if rc == MDB_NOTFOUND { return nil }
        try LMDB.check(rc, "open database '\(name)'")
        return SubDatabase(dbi: dbi, name: name)
    }

    /// The names of every named database, from LMDB's main database.
    func databaseNames(in txn: Transaction) throws -> [String] {
        var main: MDB_dbi = 0
        try LMDB.check(mdb_dbi_open(txn.handle, nil, 0, &main), "open the main database")
        let cursor = try txn.cursor(SubDatabase(dbi: main, name: "(main)"))
        var names: [String] = []
        var e = try cursor.first()
        while let entry = e {
            names.append(String(decoding: entry.key, as: UTF8.self))
            e = try cursor.next()
        }
        return names
    }

    /// Deletes the named database `name` and its contents (a no-op if absent).
    func dropDatabase(_ name: String, in txn: Transaction) throws {
        guard let db = try openDatabase(name, create: false, in: txn) else { return }
        try LMDB.check(mdb_drop(txn.handle, db.dbi, 1), "drop database '\(name)'")
    }

    /// Writes a consistent copy of the environment to directory `path`; with
    /// `compact`, free pages are omitted and pages renumbered.
    public func copy(to path: String, compact: Bool) throws {
        try LMDB.check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0), "copy environment to \(path)")
    }

    /// Bytes of the map in use (last page number × page size).
    public func usedBytes() -> Int {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(handle, &info)
        mdb_env_stat(handle, &stat)
        return (info.me_last_pgno + 1) * Int(stat.ms_psize)
    }

    /// Flushes the data file to disk (used after non-durable bulk loads).
    public func sync() throws {
        try LMDB.check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    /// The largest key LMDB accepts in this environment.
    public var maxKeySize: Int { Int(mdb_env_get_maxkeysize(handle)) }
}

/// A reset read transaction waiting to be renewed. With `MDB_NOTLS` a read
/// transaction is not tied to a thread, so its handle may move between threads.
private struct IdleReader: @unchecked Sendable {
    let handle: OpaquePointer
}

/// A named database (LMDB "DBI") inside an environment.
public struct SubDatabase: Sendable, Hashable {
    let dbi: MDB_dbi
    /// The database's name inside the environment.
    public let name: String
}
