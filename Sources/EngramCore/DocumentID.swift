import Synchronization

/// A document's unique, time-sortable identity (`_id`).
///
/// 16 bytes, big-endian fields:
///
/// | bytes  | field | meaning |
/// |--------|-------|---------|
/// | 0..<6  | time  | milliseconds since the epoch: the document's `_creationTime` |
/// | 6..<8  | seq   | a per-process counter, so ids made in one millisecond differ and keep their order |
/// | 8..<10 | collection | a 16-bit tag of the collection, so an id names its table |
/// | 10..<14 | routing | a 32-bit hash of the shard-key value; the shard is derived from it |
/// | 14..<16 | random | entropy against collisions across processes |
///
/// The text form is 26 characters of lowercase Crockford base32 over those bytes,
/// most significant first, so text order, byte order and (time, id) order agree:
/// scanning documents by id is scanning them by creation time.
public struct DocumentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 16 raw bytes, in the layout above.
    public let bytes: [UInt8]

    /// Number of raw bytes in an id.
    public static let byteCount = 16
    /// Number of characters in an id's text form.
    public static let textLength = 26

    /// An id from its raw bytes. Throws `INVALID_DOCUMENT_ID` unless there are exactly 16.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw EngramError(.invalidDocumentID, "a document id has \(Self.byteCount) bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// An id from its fields.
    public init(milliseconds: UInt64, sequence: UInt16, collectionTag: UInt16, routing: UInt32, random: UInt16) {
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(i)))) }
        b[6] = UInt8(sequence >> 8); b[7] = UInt8(truncatingIfNeeded: sequence)
        b[8] = UInt8(collectionTag >> 8); b[9] = UInt8(truncatingIfNeeded: collectionTag)
        for i in 0..<4 { b[10 + i] = UInt8(truncatingIfNeeded: routing >> (8 * (3 - UInt32(i)))) }
        b[14] = UInt8(random >> 8); b[15] = UInt8(truncatingIfNeeded: random)
        self.bytes = b
    }

    /// Parses the 26-character text form. Throws `INVALID_DOCUMENT_ID` for anything else.
    public init(_ text: String) throws {
        let utf8 = Array(text.utf8)
        guard utf8.count == Self.textLength else {
            throw EngramError(.invalidDocumentID, "'\(text.prefix(64))' is not a document id")
        }
        var acc: UInt32 = 0, bits = 0
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for c in utf8 {
            guard let v = Self.decodeTable[Int(c)] else {
                throw EngramError(.invalidDocumentID, "'\(text.prefix(64))' is not a document id")
            }
            acc = (acc << 5) | UInt32(v)
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        // 26 * 5 = 130 bits: the final two padding bits must be zero for a canonical id.
        guard out.count == 16, acc == 0 else {
            throw EngramError(.invalidDocumentID, "'\(text.prefix(64))' is not a document id")
        }
        self.bytes = out
    }

    /// The creation time in milliseconds since the epoch.
    public var milliseconds: UInt64 {
        bytes[0..<6].reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// The per-process sequence number within the millisecond.
    public var sequence: UInt16 { UInt16(bytes[6]) << 8 | UInt16(bytes[7]) }

    /// The collection tag (see `CollectionSchema.tag`).
    public var collectionTag: UInt16 { UInt16(bytes[8]) << 8 | UInt16(bytes[9]) }

    /// The routing hash from which the shard is derived.
    public var routing: UInt32 { bytes[10..<14].reduce(0) { ($0 << 8) | UInt32($1) } }

    /// The 26-character text form.
    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(Self.textLength)
        var acc: UInt32 = 0, bits = 0
        for b in bytes {
            acc = (acc << 8) | UInt32(b)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(Self.alphabet[Int((acc >> UInt32(bits)) & 31)])
            }
            acc &= (1 << UInt32(bits)) - 1
        }
        out.append(Self.alphabet[Int((acc << UInt32(5 - bits)) & 31)])
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: DocumentID, b: DocumentID) -> Bool {
        a.bytes.lexicographicallyPrecedes(b.bytes)
    }

    private static let alphabet: [UInt8] = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    private static let decodeTable: [UInt8?] = {
        var t = [UInt8?](repeating: nil, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()
}

/// Makes document ids: one per call, unique within the process and time-ordered.
public final class DocumentIDGenerator: Sendable {
    private let state = Mutex<(lastMillis: UInt64, sequence: UInt16)>((0, 0))

    /// A generator.
    public init() {}

    /// A new id created at `milliseconds`, for the collection `collectionTag`, routed by `routing`.
    ///
    /// Ids made in the same millisecond get increasing sequence numbers, so their
    /// order is the order they were made.
    public func make(milliseconds: UInt64, collectionTag: UInt16, routing: UInt32) -> DocumentID {
        let seq: UInt16 = state.withLock { s in
            if s.lastMillis == milliseconds {
                s.sequence &+= 1
            } else {
                s.lastMillis = milliseconds
                s.sequence = 0
            }
            return s.sequence
        }
        return DocumentID(
            milliseconds: milliseconds, sequence: seq, collectionTag: collectionTag,
            routing: routing, random: UInt16.random(in: .min ... .max))
    }
}
