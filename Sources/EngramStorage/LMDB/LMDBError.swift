import CLMDB
import EngramCore

#if canImport(Glibc)
import Glibc
#endif

/// Turns an LMDB return code into an `EngramError`.
enum LMDB {
    /// Throws `STORAGE_ERROR` (or a more specific error) unless `rc` is `MDB_SUCCESS`.
    @inline(__always)
    static func check(_ rc: Int32, _ what: @autoclosure () -> String) throws {
        guard rc != MDB_SUCCESS else { return }
        throw error(rc, what())
    }

    /// The error for a non-zero LMDB return code.
    static func error(_ rc: Int32, _ what: String) -> EngramError {
        if rc == MDB_MAP_FULL { return MapFull.error }
        let text = String(cString: mdb_strerror(rc))
        return EngramError(.storage, "\(what): \(text)", details: ["lmdbCode": .int(Int64(rc))])
    }

    /// Whether `error` is LMDB's "map full", which the writer answers by growing the map.
    static func isMapFull(_ error: Error) -> Bool {
        (error as? EngramError)?.details == MapFull.error.details && (error as? EngramError)?.code == .storage
    }

    private enum MapFull {
        static let error = EngramError(
            .storage, "the database map is full", details: ["lmdbCode": .int(Int64(MDB_MAP_FULL))])
    }
}
