import EngramCore

/// One stored vector: the value of a `nodes` entry.
///
/// Layout: state (u8: 1 live, 2 deleted but still in the graph), level (u8), document id
/// (16 bytes), the vector (dimension × float32, little-endian, as prepared), then the
/// filter projection (MessagePack map of the filter fields' top-level values; absent
/// when the index has no filter fields).
enum NodeRecord {
    static let live: UInt8 = 1
    static let tombstone: UInt8 = 2
    static let vectorOffset = 18

    static func encode(state: UInt8, level: Int, id: [UInt8], vector: [Float], projection: ValueMap?) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(vectorOffset + 4 * vector.count + 64)
        out.append(state)
        out.append(UInt8(level))
        out.append(contentsOf: id)
        vector.withUnsafeBytes { out.append(contentsOf: $0) }
        if let projection { out.append(contentsOf: MessagePack.encode(.map(projection))) }
        return out
    }

    /// A zero-copy view of a stored record (valid while its transaction is).
    struct View {
        let raw: UnsafeRawBufferPointer
        let dimension: Int

        var state: UInt8 { raw[0] }
        var level: Int { Int(raw[1]) }
        var idBytes: [UInt8] { Array(raw[2..<18]) }
        var rawID: RawDocumentID { RawDocumentID(raw.baseAddress! + 2) }  // records are at least 18 bytes (checked by isWellFormed)
        /// The vector's first byte, straight from the memory map (2-byte aligned at least).
        var vector: UnsafeRawPointer { raw.baseAddress! + NodeRecord.vectorOffset }  // see rawID
        var vectorBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: raw[NodeRecord.vectorOffset..<projectionOffset]) }
        var projectionOffset: Int { NodeRecord.vectorOffset + 4 * dimension }

        var isWellFormed: Bool { raw.count >= projectionOffset && (raw[0] == NodeRecord.live || raw[0] == NodeRecord.tombstone) }

        /// The filter projection (empty when none is stored).
        func projection() throws -> ValueMap {
            guard raw.count > projectionOffset else { return [:] }
            guard case .map(let m) = try MessagePack.decode(UnsafeRawBufferPointer(rebasing: raw[projectionOffset...])) else {
                throw EngramError(.storage, "malformed filter values in a vector record")
            }
            return m
        }

        func vectorComponents() -> [Float] {
            (0..<dimension).map { vector.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
        }
    }
}

/// A document id held as two integers (no allocation), ordered as the id bytes are.
struct RawDocumentID: Hashable, Comparable {
    let high: UInt64
    let low: UInt64

    init(_ p: UnsafeRawPointer) {
        high = UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
        low = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    init(_ id: DocumentID) {
        self = id.bytes.withUnsafeBytes { RawDocumentID($0.baseAddress!) }  // a DocumentID always has 16 bytes
    }

    static func < (a: RawDocumentID, b: RawDocumentID) -> Bool { (a.high, a.low) < (b.high, b.low) }

    var bytes: [UInt8] {
        withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
    }

    func documentID() throws -> DocumentID {
        try DocumentID(bytes: bytes)
    }
}
