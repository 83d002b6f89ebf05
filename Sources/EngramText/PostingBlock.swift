/// One document in a postings list: its document number in the shard's text index, how
/// often the term occurs in it, and the document's length in terms (kept inline, so
/// scoring reads no other table).
struct Posting: Equatable, Sendable {
    var doc: UInt64
    var tf: UInt32
    var length: UInt32
}

/// The value of one postings block: up to ``capacity`` postings of one term in one
/// partition, in increasing document number. The block's first document number is in
/// its key (see ``TextIndexLayout``).
///
/// Layout, every number a ``Varint``:
///
///     count, lastDoc − firstDoc, max tf, min length,   then per posting:
///     doc − previous doc (the first: doc − firstDoc = 0), tf, length
///
/// The header lets a search skip a block (by its document range) or bound its best
/// score (by max tf and min length) without decoding it.
enum PostingBlock {
    /// Most postings in one block.
    static let capacity = 128

    /// A block's header.
    struct Header: Equatable {
        var count: Int
        var lastDoc: UInt64
        var maxTf: UInt32
        var minLength: UInt32
        /// Where the postings start in the value.
        var bodyOffset: Int
    }

    /// Encodes `postings` (non-empty, increasing doc). The first doc goes in the key.
    static func encode(_ postings: [Posting]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + postings.count * 4)
        let first = postings[0].doc  // callers never encode an empty block
        Varint.append(UInt64(postings.count), to: &out)
        Varint.append((postings.last?.doc ?? first) - first, to: &out)
        Varint.append(UInt64(postings.lazy.map(\.tf).max() ?? 0), to: &out)
        Varint.append(UInt64(postings.lazy.map(\.length).min() ?? 0), to: &out)
        var previous = first
        for p in postings {
            Varint.append(p.doc - previous, to: &out)
            Varint.append(UInt64(p.tf), to: &out)
            Varint.append(UInt64(p.length), to: &out)
            previous = p.doc
        }
        return out
    }

    /// The header of a block whose first document is `firstDoc`; nil if malformed.
    static func header(_ bytes: UnsafeRawBufferPointer, firstDoc: UInt64) -> Header? {
        var at = 0
        guard let count = Varint.read(bytes, at: &at), count > 0, count <= UInt64(capacity),
            let span = Varint.read(bytes, at: &at), let maxTf = Varint.read(bytes, at: &at),
            let minLength = Varint.read(bytes, at: &at), maxTf <= UInt64(UInt32.max), minLength <= UInt64(UInt32.max)
        else { return nil }
        let (last, overflow) = firstDoc.addingReportingOverflow(span)
        guard !overflow else { return nil }
        return Header(count: Int(count), lastDoc: last, maxTf: UInt32(maxTf), minLength: UInt32(minLength), bodyOffset: at)
    }

    /// Decodes the postings of a block into `out` (replacing its contents). Returns false
    /// if the block is malformed (numbers cut short, or out of order).
    static func decode(_ bytes: UnsafeRawBufferPointer, firstDoc: UInt64, header: Header, into out: inout [Posting]) -> Bool {
        out.removeAll(keepingCapacity: true)
        var at = header.bodyOffset
        var doc = firstDoc
        for k in 0..<header.count {
            guard let delta = Varint.read(bytes, at: &at), let tf = Varint.read(bytes, at: &at),
                let length = Varint.read(bytes, at: &at), tf <= UInt64(UInt32.max), length <= UInt64(UInt32.max),
                k == 0 ? delta == 0 : delta > 0
            else { return false }
            doc &+= delta
            out.append(Posting(doc: doc, tf: UInt32(tf), length: UInt32(length)))
        }
        return at == bytes.count
    }

    /// Decodes a whole block value (copying); nil if malformed.
    static func decode(_ bytes: UnsafeRawBufferPointer, firstDoc: UInt64) -> [Posting]? {
        guard let h = header(bytes, firstDoc: firstDoc) else { return nil }
        var out: [Posting] = []
        out.reserveCapacity(h.count)
        return decode(bytes, firstDoc: firstDoc, header: h, into: &out) ? out : nil
    }
}
