import EngramCore
import EngramStorage

/// Edits postings lists in place inside a write transaction: one block read and one
/// or two block writes per change.
///
/// Invariants kept (and verified by ``TextIndex/check(documents:in:)``): every block
/// holds 1 to ``PostingBlock/capacity`` postings in increasing document order, its key
/// carries its first document number, and blocks of one list do not overlap. Appending
/// past the last posting of a full block starts a new block (lists grown by inserts in
/// document order stay full); inserting inside a full block splits it in half. Blocks
/// thinned by deletes are not merged.
struct PostingLists {
    let database: SubDatabase

    /// The block that holds `doc` or would: the last one whose first doc ≤ `doc`, or
    /// else the list's first block.
    private func locate(prefix: [UInt8], doc: UInt64, in txn: Transaction) throws
        -> (firstDoc: UInt64, postings: [Posting])?
    {
        let cursor = try txn.cursor(database)
        var entry = try cursor.seek(before: prefix + BigEndian.bytes(doc &+ 1))
        if let e = entry, !(e.key.count == prefix.count + 8 && e.key.starts(with: prefix)) { entry = nil }
        if entry == nil, let e = try cursor.seek(atLeast: prefix), e.key.count == prefix.count + 8, e.key.starts(with: prefix) {
            entry = e
        }
        guard let e = entry else { return nil }
        guard let first = BigEndian.read(e.key, at: prefix.count), let postings = PostingBlock.decode(e.value, firstDoc: first) else {
            throw EngramError(.storage, "malformed postings block in '\(database.name)'")
        }
        return (first, postings)
    }

    private func write(prefix: [UInt8], replacing oldFirst: UInt64?, _ postings: [Posting], in txn: Transaction) throws {
        if let oldFirst, postings.first?.doc != oldFirst {
            try txn.delete(database, TextIndexLayout.blockKey(prefix: prefix, firstDoc: oldFirst))
        }
        guard let first = postings.first else { return }
        try txn.put(database, TextIndexLayout.blockKey(prefix: prefix, firstDoc: first.doc), PostingBlock.encode(postings))
    }

    /// Adds (or replaces) the posting of `posting.doc` in the list at `prefix`.
    func insert(prefix: [UInt8], _ posting: Posting, in txn: Transaction) throws {
        guard let (first, found) = try locate(prefix: prefix, doc: posting.doc, in: txn) else {
            try write(prefix: prefix, replacing: nil, [posting], in: txn)
            return
        }
        var postings = found
        let at = postings.firstIndex { $0.doc >= posting.doc } ?? postings.count
        if at < postings.count, postings[at].doc == posting.doc {
            postings[at] = posting
            try write(prefix: prefix, replacing: first, postings, in: txn)
            return
        }
        if at == postings.count, postings.count >= PostingBlock.capacity {
            try write(prefix: prefix, replacing: nil, [posting], in: txn)  // a new block after a full one
            return
        }
        postings.insert(posting, at: at)
        if postings.count > PostingBlock.capacity {
            let half = postings.count / 2
            try write(prefix: prefix, replacing: first, Array(postings[..<half]), in: txn)
            try write(prefix: prefix, replacing: nil, Array(postings[half...]), in: txn)
        } else {
            try write(prefix: prefix, replacing: first, postings, in: txn)
        }
    }

    /// Removes the posting of `doc` from the list at `prefix`; false if it was not there.
    @discardableResult
    func remove(prefix: [UInt8], doc: UInt64, in txn: Transaction) throws -> Bool {
        guard let (first, found) = try locate(prefix: prefix, doc: doc, in: txn),
            let at = found.firstIndex(where: { $0.doc == doc })
        else { return false }
        var postings = found
        postings.remove(at: at)
        if postings.isEmpty {
            try txn.delete(database, TextIndexLayout.blockKey(prefix: prefix, firstDoc: first))
        } else {
            try write(prefix: prefix, replacing: first, postings, in: txn)
        }
        return true
    }
}
