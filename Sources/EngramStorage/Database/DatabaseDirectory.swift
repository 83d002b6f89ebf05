import EngramCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a database directory:
///
/// ```
/// <dir>/ENGRAM          manifest: format version and shard count (text, key=value)
/// <dir>/LOCK            held with flock by the one process that has the database open
/// <dir>/shard-000/      one LMDB environment per shard (data.mdb, lock.mdb)
/// ```
enum DatabaseDirectory {
    /// The on-disk format this build writes and reads.
    static let formatVersion = 1

    static func shardPath(_ dir: String, _ shard: Int) -> String {
        let n = String(shard)
        return "\(dir)/shard-\(String(repeating: "0", count: max(0, 3 - n.count)))\(n)"
    }

    /// Creates `path` and its parents if missing.
    static func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw EngramError(.storage, "cannot create directory \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Reads the shard count from the manifest, or nil when there is no manifest.
    static func readManifest(_ dir: String) throws -> Int? {
        guard let text = try readFile("\(dir)/ENGRAM") else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let kv = line.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { fields[kv[0]] = kv[1] }
        }
        guard let format = fields["format"].flatMap(Int.init), let shards = fields["shards"].flatMap(Int.init), shards > 0
        else { throw EngramError(.schemaMismatch, "\(dir)/ENGRAM is not a valid manifest") }
        guard format == formatVersion else {
            throw EngramError(.schemaMismatch, "\(dir) has format \(format); this build reads format \(formatVersion)")
        }
        return shards
    }

    /// Writes the manifest atomically (temporary file, fsync, rename).
    static func writeManifest(_ dir: String, shards: Int) throws {
        let text = "format=\(formatVersion)\nshards=\(shards)\n"
        let tmp = "\(dir)/ENGRAM.tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw EngramError(.storage, "cannot write \(tmp): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0, rename(tmp, "\(dir)/ENGRAM") == 0 else {
            throw EngramError(.storage, "cannot write \(dir)/ENGRAM: \(String(cString: strerror(errno)))")
        }
    }

    static func readFile(_ path: String) throws -> String? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw EngramError(.storage, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The exclusive hold of a database directory by this process.
///
/// LMDB itself lets several processes share an environment; Engram does not (the
/// writers and in-memory state of two servers would disagree), so a second process
/// fails fast with `DATABASE_LOCKED`, naming the process that holds it.
final class DirectoryLock: Sendable {
    private let fd: Int32

    init(directory: String) throws {
        let path = "\(directory)/LOCK"
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw EngramError(.storage, "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? DatabaseDirectory.readFile(path))?.trimmingWhitespace ?? ""
            close(fd)
            throw EngramError(
                .databaseLocked,
                "the database at \(directory) is open in another process\(holder.isEmpty ? "" : " (pid \(holder))")")
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    /// Releases the directory.
    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

extension String {
    var trimmingWhitespace: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
