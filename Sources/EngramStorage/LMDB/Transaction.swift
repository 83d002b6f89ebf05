import CLMDB
import EngramCore

/// An LMDB transaction: a consistent snapshot (read-only) or the one open write.
///
/// Not `Sendable`: a transaction belongs to the closure it was handed to. Buffers
/// returned by ``get(_:_:)`` and cursors point straight into the memory map; they stay
/// valid until the transaction ends or (for a write transaction) the next write.
public final class Transaction {
    let handle: OpaquePointer
    /// True for a read-only snapshot.
    public let isReadOnly: Bool
    private var finished = false

    init(handle: OpaquePointer, readOnly: Bool) {
        self.handle = handle
        self.isReadOnly = readOnly
    }

    /// The value stored under `key`, or nil. Zero-copy: see the type's lifetime rule.
    public func get(_ db: SubDatabase, _ key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { k in
            var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            var v = MDB_val()
            let rc = mdb_get(handle, db.dbi, &kv, &v)
            if rc == MDB_NOTFOUND { return nil }
            try LMDB.check(rc, "get from '\(db.name)'")
            return UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
        }
    }

    /// True if `key` is present.
    public func contains(_ db: SubDatabase, _ key: [UInt8]) throws -> Bool {
        try get(db, key) != nil
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func put(_ db: SubDatabase, _ key: [UInt8], _ value: [UInt8]) throws {
        try value.withUnsafeBytes { v in try put(db, key, v) }
    }

    /// Stores raw bytes under `key`, replacing any previous value.
    public func put(_ db: SubDatabase, _ key: [UInt8], _ value: UnsafeRawBufferPointer) throws {
        try key.withUnsafeBytes { k in
            var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            var vv = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
            try LMDB.check(mdb_put(handle, db.dbi, &kv, &vv, 0), "put into '\(db.name)'")
        }
    }

    /// Removes `key`; returns whether it was present.
    @discardableResult
    public func delete(_ db: SubDatabase, _ key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { k in
            var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
            let rc = mdb_del(handle, db.dbi, &kv, nil)
            if rc == MDB_NOTFOUND { return false }
            try LMDB.check(rc, "delete from '\(db.name)'")
            return true
        }
    }

    /// Removes every entry of `db` (the database itself stays).
    public func clear(_ db: SubDatabase) throws {
        try LMDB.check(mdb_drop(handle, db.dbi, 0), "clear '\(db.name)'")
    }

    /// Number of entries in `db`.
    public func count(_ db: SubDatabase) throws -> Int {
        var stat = MDB_stat()
        try LMDB.check(mdb_stat(handle, db.dbi, &stat), "stat '\(db.name)'")
        return stat.ms_entries
    }

    /// A cursor over `db`, valid until this transaction ends.
    public func cursor(_ db: SubDatabase) throws -> Cursor {
        var c: OpaquePointer?
        try LMDB.check(mdb_cursor_open(handle, db.dbi, &c), "open cursor on '\(db.name)'")
        return Cursor(handle: c!, database: db)  // mdb_cursor_open succeeded
    }

    /// Begins a transaction nested in this write transaction. Its writes become part
    /// of this one when it commits and vanish when it aborts.
    func beginNested() throws -> Transaction {
        var txn: OpaquePointer?
        try LMDB.check(mdb_txn_begin(mdb_txn_env(handle), handle, 0, &txn), "begin nested transaction")
        return Transaction(handle: txn!, readOnly: false)  // mdb_txn_begin succeeded
    }

    /// Commits. For a top-level write with durability on, returns once the data is on disk.
    func commit() throws {
        precondition(!finished, "transaction already finished")
        finished = true
        try LMDB.check(mdb_txn_commit(handle), "commit")
    }

    /// Marks a read transaction finished so the environment can reset and reuse its
    /// handle; false if it had already ended.
    func finishRead() -> Bool {
        guard !finished else { return false }
        finished = true
        return true
    }

    /// Abandons the transaction (a no-op if it already ended).
    func abort() {
        guard !finished else { return }
        finished = true
        mdb_txn_abort(handle)
    }
}
