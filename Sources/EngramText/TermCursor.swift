import EngramCore
import EngramStorage

/// Reads one postings list (one term in one partition) of a shard in document order,
/// decoding a block only when a document in it is needed.
///
/// Built from the list's block keys and headers alone; the block values are zero-copy
/// views into the read transaction's memory map, valid while it lasts. Knows the best
/// score any of its postings can reach (``upperBound``) and the best score of the block
/// holding a given document (``blockBound(at:)``).
final class TermCursor {
    /// The query term group the list scores for (the terms of a prefix expansion share one).
    let group: Int
    /// idf of the term (collection-wide).
    let idf: Double
    private let scorer: BM25Scorer
    private var firstDocs: [UInt64] = []
    private var headers: [PostingBlock.Header] = []
    private var values: [UnsafeRawBufferPointer] = []
    private var bounds: [Double] = []
    /// Best score of any posting.
    private(set) var upperBound: Double = 0

    private var block = -1
    private var postings: [Posting] = []
    private var position = 0
    /// The current document number; `UInt64.max` once exhausted.
    private(set) var doc: UInt64 = .max

    /// The list of `prefix` in `db`, or nil when it is empty. Throws for a malformed block.
    init?(database db: SubDatabase, prefix: [UInt8], group: Int, idf: Double, scorer: BM25Scorer, in txn: Transaction) throws {
        self.group = group
        self.idf = idf
        self.scorer = scorer
        let cursor = try txn.cursor(db)
        var entry = try cursor.seek(atLeast: prefix)
        while let e = entry, e.key.count == prefix.count + 8, e.key.starts(with: prefix) {
            guard let first = BigEndian.read(e.key, at: prefix.count), let h = PostingBlock.header(e.value, firstDoc: first) else {
                throw EngramError(.storage, "malformed postings block in '\(db.name)'")
            }
            firstDocs.append(first)
            headers.append(h)
            values.append(e.value)
            let bound = scorer.score(idf: idf, tf: h.maxTf, length: h.minLength)
            bounds.append(bound)
            upperBound = max(upperBound, bound)
            entry = try cursor.next()
        }
        if firstDocs.isEmpty { return nil }
        try load(0)
    }

    /// The number of postings in the list.
    var count: Int { headers.reduce(0) { $0 + $1.count } }

    /// The current posting's score.
    @inline(__always)
    var score: Double {
        let p = postings[position]
        return scorer.score(idf: idf, tf: p.tf, length: p.length)
    }

    private func load(_ b: Int) throws {
        block = b
        position = 0
        guard b < headers.count else {
            doc = .max
            return
        }
        guard PostingBlock.decode(values[b], firstDoc: firstDocs[b], header: headers[b], into: &postings) else {
            throw EngramError(.storage, "malformed postings block")
        }
        doc = postings[0].doc
    }

    /// Moves to the next posting.
    func next() throws {
        position += 1
        if position < postings.count {
            doc = postings[position].doc
        } else {
            try load(block + 1)
        }
    }

    /// Moves to the first posting whose document is ≥ `target`, skipping whole blocks by
    /// their document range without decoding them.
    func advance(to target: UInt64) throws {
        if doc >= target { return }
        if headers[block].lastDoc < target {
            var b = block + 1
            while b < headers.count, headers[b].lastDoc < target { b += 1 }
            try load(b)
            if doc >= target { return }
        }
        while position < postings.count, postings[position].doc < target { position += 1 }
        if position < postings.count { doc = postings[position].doc } else { try load(block + 1) }
    }

    /// The best score of the block that would hold `target` (0 when no block can), found
    /// from the current block on without decoding.
    func blockBound(at target: UInt64) -> Double {
        var b = max(block, 0)
        while b < headers.count, headers[b].lastDoc < target { b += 1 }
        guard b < headers.count, firstDocs[b] <= target else { return 0 }
        return bounds[b]
    }
}
