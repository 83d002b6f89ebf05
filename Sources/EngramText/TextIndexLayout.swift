import EngramCore
import EngramStorage

/// The keys of a text index's sub-databases (all per shard):
///
/// | sub-database | key | value |
/// |---|---|---|
/// | `post` | partition, term, 0x00, first doc number (8 bytes BE) | a ``PostingBlock`` |
/// | `docs` | doc number (8 bytes BE) | document id (16 bytes), then length (varint) |
/// | `ids` | document id (16 bytes) | doc number (8 bytes BE) |
/// | `stats` | 0x00 `docs` / 0x00 `length` / 0x00 `next` | documents, total length, next doc number (varints) |
/// | `stats` | 0x01, term | documents containing the term in this shard (df, varint) |
/// | `parts` | partition | documents in the partition (varint) |
///
/// A partition is the value of the index's first filter field: one length byte, then the
/// ``KeyEncoding`` of the value (long values cut to ``partitionBudget`` bytes with a
/// hash, so equal values still share a partition). An index without filter fields has
/// one partition, the empty one. Terms never contain 0x00, so `term, 0x00` is
/// prefix-free and the terms of one partition are in byte order, which prefix
/// expansion relies on.
enum TextIndexLayout {
    /// Most bytes of a partition value's encoding.
    static let partitionBudget = 200

    /// The partition key for the value of the first filter field (nil = absent), and
    /// whether it was cut (then equality of keys does not prove equality of values).
    static func partition(_ value: Value?, hasFilterFields: Bool) -> (key: [UInt8], truncated: Bool) {
        guard hasFilterFields else { return ([0], false) }
        var encoded: [UInt8] = []
        let (truncated, _) = KeyEncoding.append(value, budget: partitionBudget, to: &encoded)
        return ([UInt8(encoded.count)] + encoded, truncated)
    }

    /// The prefix of every block key of `term` in `partition`.
    static func termPrefix(partition: [UInt8], term: [UInt8]) -> [UInt8] {
        partition + term + [0]
    }

    /// The key of a block whose first document is `firstDoc`.
    static func blockKey(prefix: [UInt8], firstDoc: UInt64) -> [UInt8] {
        prefix + BigEndian.bytes(firstDoc)
    }

    /// Splits a `post` key into partition, term and first doc; nil if malformed.
    static func parseBlockKey(_ key: UnsafeRawBufferPointer) -> (partition: [UInt8], term: [UInt8], firstDoc: UInt64)? {
        guard let first = key.first else { return nil }
        let partitionEnd = 1 + Int(first)
        guard key.count >= partitionEnd + 1 + 1 + 8 else { return nil }
        let termEnd = key.count - 9
        guard key[termEnd] == 0, let doc = BigEndian.read(key, at: termEnd + 1) else { return nil }
        let term = Array(key[partitionEnd..<termEnd])
        guard !term.isEmpty, !term.contains(0) else { return nil }
        return (Array(key[0..<partitionEnd]), term, doc)
    }

    static let documentsKey: [UInt8] = [0] + Array("docs".utf8)
    static let lengthKey: [UInt8] = [0] + Array("length".utf8)
    static let nextKey: [UInt8] = [0] + Array("next".utf8)

    /// The `stats` key of a term's document frequency.
    static func dfKey(_ term: [UInt8]) -> [UInt8] { [1] + term }
}
