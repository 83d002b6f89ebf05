import EngramCore

/// What one committed write did to one document.
public struct Change: Sendable, Equatable {
    /// The kind of write.
    public enum Operation: UInt8, Sendable {
        case insert = 1, update = 2, delete = 3
    }

    /// Position in the shard's log: increases by one per change, without gaps.
    public let sequence: UInt64
    /// The kind of write.
    public let operation: Operation
    /// The collection written.
    public let collection: String
    /// The document written.
    public let id: DocumentID
}

/// A shard's change log: sequence number → (operation, collection, id), written in
/// the same transaction as the change itself.
///
/// Consumers that maintain derived state outside the document transaction (an
/// index that catches up in the background, replication, subscriptions) read it from
/// their own durable position with ``changes(after:limit:in:)``. A consumer registers
/// a position with ``acknowledge(_:through:in:)``; the log keeps at least
/// `retention` recent entries and never trims past the lowest registered position.
public struct ChangeLog: Sendable {
    let database: SubDatabase
    let meta: SubDatabase
    /// Entries kept regardless of consumers.
    public let retention: Int

    private static let consumerPrefix = Array("changelog/consumer/".utf8)

    static func key(_ sequence: UInt64) -> [UInt8] {
        withUnsafeBytes(of: sequence.bigEndian) { Array($0) }
    }

    static func sequence(_ key: UnsafeRawBufferPointer) -> UInt64 {
        key.reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// The sequence number of the newest entry (0 when the log is empty).
    public func head(in txn: Transaction) throws -> UInt64 {
        try txn.cursor(database).last().map { Self.sequence($0.key) } ?? 0
    }

    /// Appends an entry and returns its sequence number.
    @discardableResult
    func append(_ operation: Change.Operation, collection: String, id: DocumentID, in txn: Transaction) throws -> UInt64 {
        let seq = try head(in: txn) + 1
        var value: [UInt8] = [operation.rawValue]
        value.append(contentsOf: id.bytes)
        value.append(contentsOf: collection.utf8)
        try txn.put(database, Self.key(seq), value)
        return seq
    }

    /// Up to `limit` changes with sequence numbers above `after`, oldest first.
    public func changes(after: UInt64, limit: Int, in txn: Transaction) throws -> [Change] {
        var out: [Change] = []
        let cursor = try txn.cursor(database)
        var e = try cursor.seek(atLeast: Self.key(after &+ 1))
        while let entry = e, out.count < limit {
            let v = entry.value
            guard v.count >= 17, let op = Change.Operation(rawValue: v[0]) else {
                throw EngramError(.storage, "malformed change log entry \(Self.sequence(entry.key))")
            }
            out.append(
                Change(
                    sequence: Self.sequence(entry.key), operation: op,
                    collection: String(decoding: v[17...], as: UTF8.self),
                    id: try DocumentID(bytes: Array(v[1..<17]))))
            e = try cursor.next()
        }
        return out
    }

    /// The sequence number of the oldest entry still kept (head + 1 when empty).
    public func tail(in txn: Transaction) throws -> UInt64 {
        if let first = try txn.cursor(database).first() { return Self.sequence(first.key) }
        return try head(in: txn) + 1
    }

    /// Records that consumer `name` has processed every change through `sequence`.
    public func acknowledge(_ name: String, through sequence: UInt64, in txn: Transaction) throws {
        try txn.put(meta, Self.consumerPrefix + Array(name.utf8), Self.key(sequence))
    }

    /// The position consumer `name` acknowledged, or nil if it never registered.
    public func position(of name: String, in txn: Transaction) throws -> UInt64? {
        try txn.get(meta, Self.consumerPrefix + Array(name.utf8)).map { Self.sequence($0) }
    }

    /// Deletes entries beyond the retention that every consumer has processed; at
    /// most `budget` per call, so a write batch is never held up for long.
    func trim(budget: Int, in txn: Transaction) throws {
        let head = try head(in: txn)
        guard head > UInt64(retention) else { return }
        var limit = head - UInt64(retention)
        let cursor = try txn.cursor(meta)
        var e = try cursor.seek(atLeast: Self.consumerPrefix)
        while let entry = e, entry.key.starts(with: Self.consumerPrefix) {
            limit = min(limit, Self.sequence(entry.value))
            e = try cursor.next()
        }
        let log = try txn.cursor(database)
        var removed = 0
        while removed < budget, let first = try log.first(), Self.sequence(first.key) <= limit {
            try log.deleteCurrent()
            removed += 1
        }
    }
}
