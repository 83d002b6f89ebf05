import EngramCore

/// One prior version of a document.
public struct DocumentVersion: Sendable, Equatable {
    /// 1 for the state written by insert, then +1 per replace or patch.
    public let version: Int
    /// The fields of that version.
    public let fields: ValueMap
    /// Milliseconds since the epoch at which this version stopped being current.
    public let replacedAt: UInt64
}

/// The prior versions of a collection's documents, in one sub-database keyed by
/// (id, version number), with a retention limit.
///
/// The current version's number is one more than the newest recorded one; numbers
/// keep increasing when old records are trimmed. Deleting a document purges its
/// history (the GDPR expectation: a deleted document leaves nothing behind).
struct VersionHistory {
    let database: SubDatabase
    let retention: VersionRetention

    private static func key(_ id: DocumentID, _ version: Int) -> [UInt8] {
        var k = id.bytes
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: version).bigEndian) { k.append(contentsOf: $0) }
        return k
    }

    /// Number of the newest recorded prior version, or 0.
    func newestRecorded(_ id: DocumentID, in txn: Transaction) throws -> Int {
        let cursor = try txn.cursor(database)
        guard let e = try cursor.seek(before: Self.key(id, Int(UInt32.max))), e.key.count == 20,
            e.key.prefix(16).elementsEqual(id.bytes)
        else { return 0 }
        return e.key[16..<20].reduce(0) { ($0 << 8) | Int($1) }
    }

    /// The version number of the document's current state.
    func currentVersion(_ id: DocumentID, in txn: Transaction) throws -> Int {
        try newestRecorded(id, in: txn) + 1
    }

    /// Records `fields` as the current version being replaced at `replacedAt`, then
    /// trims beyond the retention.
    func record(_ id: DocumentID, fields: ValueMap, replacedAt: UInt64, in txn: Transaction) throws {
        let version = try currentVersion(id, in: txn)
        let record: Value = ["fields": .map(fields), "replacedAt": .int(Int64(replacedAt))]
        try txn.put(database, Self.key(id, version), MessagePack.encode(record))
        if case .last(let keep) = retention, version > keep {
            // Delete the oldest records until `keep` remain.
            let cursor = try txn.cursor(database)
            var e = try cursor.seek(atLeast: id.bytes)
            var remaining = try count(id, in: txn)
            while remaining > keep, let entry = e, entry.key.prefix(16).elementsEqual(id.bytes) {
                try cursor.deleteCurrent()
                remaining -= 1
                e = try cursor.seek(atLeast: id.bytes)
            }
        }
    }

    private func count(_ id: DocumentID, in txn: Transaction) throws -> Int {
        var n = 0
        try forEach(id, in: txn) { _ in n += 1 }
        return n
    }

    /// The recorded prior versions of `id`, oldest first.
    func versions(_ id: DocumentID, in txn: Transaction) throws -> [DocumentVersion] {
        var out: [DocumentVersion] = []
        try forEach(id, in: txn) { out.append($0) }
        return out
    }

    private func forEach(_ id: DocumentID, in txn: Transaction, _ body: (DocumentVersion) throws -> Void) throws {
        let cursor = try txn.cursor(database)
        var e = try cursor.seek(atLeast: id.bytes)
        while let entry = e, entry.key.count == 20, entry.key.prefix(16).elementsEqual(id.bytes) {
            try body(try Self.decode(entry))
            e = try cursor.next()
        }
    }

    /// Removes every recorded version of `id`.
    func purge(_ id: DocumentID, in txn: Transaction) throws {
        let cursor = try txn.cursor(database)
        while let e = try cursor.seek(atLeast: id.bytes), e.key.prefix(16).elementsEqual(id.bytes) {
            try cursor.deleteCurrent()
        }
    }

    /// Reports version records whose document no longer exists.
    func check(documents: CollectionStore, in txn: Transaction) throws -> [String] {
        var problems: [String] = []
        let cursor = try txn.cursor(database)
        var e = try cursor.first()
        var lastID: [UInt8] = []
        while let entry = e {
            guard entry.key.count == 20 else {
                problems.append("versions: malformed key of \(entry.key.count) bytes")
                e = try cursor.next()
                continue
            }
            let idBytes = Array(entry.key.prefix(16))
            if idBytes != lastID {
                lastID = idBytes
                let id = try DocumentID(bytes: idBytes)
                if try documents.document(id, in: txn) == nil {
                    problems.append("versions: history kept for missing document \(id)")
                }
            }
            do { _ = try Self.decode(entry) } catch {
                problems.append("versions: unreadable record for document \(try DocumentID(bytes: idBytes))")
            }
            e = try cursor.next()
        }
        return problems
    }

    private static func decode(_ entry: Cursor.Entry) throws -> DocumentVersion {
        let version = entry.key[16..<20].reduce(0) { ($0 << 8) | Int($1) }
        let record = try MessagePack.decode(entry.value)
        guard let fields = record["fields"]?.mapValue, let at = record["replacedAt"]?.int64Value else {
            throw EngramError(.storage, "malformed version record")
        }
        return DocumentVersion(version: version, fields: fields, replacedAt: UInt64(at))
    }
}
