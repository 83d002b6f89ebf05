import CLMDB
import EngramCore

/// A position in one named database, moving in key order.
///
/// Keys and values it returns point into the memory map and are valid until the
/// transaction ends or the cursor moves (copy what you keep). Closed automatically
/// when released; a cursor must not outlive its transaction.
public final class Cursor {
    let handle: OpaquePointer
    let database: SubDatabase

    init(handle: OpaquePointer, database: SubDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { mdb_cursor_close(handle) }

    /// One entry: zero-copy views of its key and value.
    public struct Entry {
        public let key: UnsafeRawBufferPointer
        public let value: UnsafeRawBufferPointer
    }

    private func op(_ operation: MDB_cursor_op, key: [UInt8]? = nil) throws -> Entry? {
        var k = MDB_val(), v = MDB_val()
        let rc: Int32
        if let key {
            rc = key.withUnsafeBytes { kb in
                k = MDB_val(mv_size: kb.count, mv_data: UnsafeMutableRawPointer(mutating: kb.baseAddress))
                return mdb_cursor_get(handle, &k, &v, operation)
            }
        } else {
            rc = mdb_cursor_get(handle, &k, &v, operation)
        }
        if rc == MDB_NOTFOUND { return nil }
        try LMDB.check(rc, "cursor on '\(database.name)'")
        return Entry(
            key: UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            value: UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// The first entry.
    public func first() throws -> Entry? { try op(MDB_FIRST) }
    /// The last entry.
    public func last() throws -> Entry? { try op(MDB_LAST) }
    /// The next entry.
    public func next() throws -> Entry? { try op(MDB_NEXT) }
    /// The previous entry.
    public func previous() throws -> Entry? { try op(MDB_PREV) }
    /// The first entry whose key is ≥ `key`.
    public func seek(atLeast key: [UInt8]) throws -> Entry? { try op(MDB_SET_RANGE, key: key) }

    /// The last entry whose key is < `key` (or the last entry when `key` is nil).
    public func seek(before key: [UInt8]?) throws -> Entry? {
        guard let key else { return try last() }
        if try seek(atLeast: key) != nil { return try previous() }
        return try last()
    }

    /// Deletes the entry at the cursor (write transactions only).
    public func deleteCurrent() throws {
        try LMDB.check(mdb_cursor_del(handle, 0), "cursor delete on '\(database.name)'")
    }
}
