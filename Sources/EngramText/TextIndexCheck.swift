import EngramCore
import EngramStorage

extension TextIndex {
    /// Verifies the index against the documents and returns one line per disagreement:
    ///
    /// - every document with text has a document number (`ids`) whose `docs` record
    ///   names it with its length, and no other numbers or ids are recorded;
    /// - the postings of each document are exactly its terms, in its partition, with
    ///   its term counts and length (compared per document through a sum of hashes,
    ///   then listed term by term for the documents that disagree);
    /// - every block decodes, holds 1 to 128 postings in increasing order, starts at the
    ///   document number in its key and has a correct header;
    /// - the statistics (documents, total length, next number, df of every term) and the
    ///   partition counts equal what the documents imply.
    public func check(documents store: CollectionStore, in txn: Transaction) throws -> [String] {
        var problems: [String] = []
        func report(_ text: String) { problems.append("text index '\(definition.name)': \(text)") }

        // What the documents imply.
        var expected: [UInt64: (id: DocumentID, sum: UInt64, count: Int)] = [:]
        var entries: [UInt64: Entry] = [:]
        var expectedDocs: UInt64 = 0, expectedLength: UInt64 = 0, maxDocnum: UInt64?
        var expectedDF: [[UInt8]: UInt64] = [:]
        var expectedParts: [[UInt8]: UInt64] = [:]
        try store.forEach(in: txn) { doc in
            guard let e = entry(doc) else {
                if try txn.get(ids, doc.id.bytes) != nil { report("document \(doc.id) has no text but is indexed") }
                return true
            }
            expectedDocs += 1
            expectedLength += UInt64(e.length)
            expectedParts[e.partition, default: 0] += 1
            for term in e.frequencies.keys { expectedDF[term, default: 0] += 1 }
            guard let raw = try txn.get(ids, doc.id.bytes), let docnum = BigEndian.read(raw, at: 0), raw.count == 8 else {
                report("document \(doc.id) is missing")
                return true
            }
            maxDocnum = max(maxDocnum ?? 0, docnum)
            if let rec = try txn.get(documents, BigEndian.bytes(docnum)) {
                var at = 16
                let named = rec.count >= 16 ? Array(rec[0..<16]) : []
                if named != doc.id.bytes || Varint.read(rec, at: &at) != UInt64(e.length) || at != rec.count {
                    report("document \(doc.id): record of number \(docnum) disagrees (id or length \(e.length))")
                }
            } else {
                report("document \(doc.id): number \(docnum) has no record")
            }
            if expected[docnum] != nil { report("document \(doc.id): number \(docnum) is used twice") }
            var sum: UInt64 = 0
            for (term, tf) in e.frequencies {
                sum &+= Self.postingHash(partition: e.partition, term: term, tf: tf, length: e.length)
            }
            expected[docnum] = (doc.id, sum, e.frequencies.count)
            entries[docnum] = e
            return true
        }

        // What the postings hold.
        var actual: [UInt64: (sum: UInt64, count: Int)] = [:]
        var actualDF: [[UInt8]: UInt64] = [:]
        var decoded: [Posting] = []
        var previous: (prefix: [UInt8], lastDoc: UInt64)?
        let cursor = try txn.cursor(postings)
        var item = try cursor.first()
        while let e = item {
            defer { item = try? cursor.next() }
            guard let (partition, term, first) = TextIndexLayout.parseBlockKey(e.key) else {
                report("malformed postings key")
                continue
            }
            guard let header = PostingBlock.header(e.value, firstDoc: first),
                PostingBlock.decode(e.value, firstDoc: first, header: header, into: &decoded)
            else {
                report("malformed postings block for term '\(Self.display(term))' at \(first)")
                continue
            }
            let prefix = TextIndexLayout.termPrefix(partition: partition, term: term)
            if let p = previous, p.prefix == prefix, p.lastDoc >= first {
                report("postings blocks of term '\(Self.display(term))' overlap at \(first)")
            }
            previous = (prefix, header.lastDoc)
            if header.lastDoc != decoded.last?.doc || header.maxTf != decoded.map(\.tf).max()
                || header.minLength != decoded.map(\.length).min()
            {
                report("postings block header of term '\(Self.display(term))' at \(first) is wrong")
            }
            for p in decoded {
                actualDF[term, default: 0] += 1
                let h = Self.postingHash(partition: partition, term: term, tf: p.tf, length: p.length)
                actual[p.doc, default: (0, 0)].sum &+= h
                actual[p.doc, default: (0, 0)].count += 1
            }
        }

        // Postings against documents, then the disagreeing documents term by term.
        var wrong: Set<UInt64> = []
        for (docnum, exp) in expected {
            let act = actual[docnum] ?? (0, 0)
            if act.sum != exp.sum || act.count != exp.count { wrong.insert(docnum) }
        }
        for docnum in actual.keys where expected[docnum] == nil {
            report("postings for document number \(docnum), which no document with text has")
        }
        if !wrong.isEmpty { problems += try describe(wrong, entries: entries, expected: expected, in: txn) }

        // Tables of numbers and ids.
        if try txn.count(documents) != expected.count {
            report("\(try txn.count(documents)) document records for \(expected.count) documents with text")
        }
        if try txn.count(ids) != expected.count {
            report("\(try txn.count(ids)) id records for \(expected.count) documents with text")
        }

        // Statistics and partitions.
        let counters = try Counters(stats, in: txn)
        if counters.documents != expectedDocs { report("statistics count \(counters.documents) documents, not \(expectedDocs)") }
        if counters.length != expectedLength { report("statistics count total length \(counters.length), not \(expectedLength)") }
        if let m = maxDocnum, counters.next <= m { report("next document number \(counters.next) is already used") }
        let statCursor = try txn.cursor(stats)
        var s = try statCursor.seek(atLeast: [1])
        var seenTerms = 0
        while let e = s {
            let term = Array(e.key.dropFirst())
            let df = Varint.decode(e.value) ?? 0
            if expectedDF[term] != df {
                report("df of term '\(Self.display(term))' is \(df), not \(expectedDF[term] ?? 0)")
            }
            if actualDF[term] != df, expectedDF[term] == df {
                report("df of term '\(Self.display(term))' is \(df) but its postings hold \(actualDF[term] ?? 0)")
            }
            seenTerms += 1
            s = try statCursor.next()
        }
        if seenTerms != expectedDF.count {
            let missing = expectedDF.keys.filter { (try? txn.get(stats, TextIndexLayout.dfKey($0))) == nil }
            for term in missing.prefix(20) { report("df of term '\(Self.display(term))' is missing") }
        }
        let partCursor = try txn.cursor(partitions)
        var pe = try partCursor.first()
        var seenParts = 0
        while let e = pe {
            let key = Array(e.key)
            if expectedParts[key] != Varint.decode(e.value) {
                report("a partition counts \(Varint.decode(e.value) ?? 0) documents, not \(expectedParts[key] ?? 0)")
            }
            seenParts += 1
            pe = try partCursor.next()
        }
        if seenParts != expectedParts.count { report("\(seenParts) partitions recorded, \(expectedParts.count) expected") }
        return problems
    }

    /// Lists, for documents whose postings disagree, each missing, wrong and stale posting.
    private func describe(
        _ wrong: Set<UInt64>, entries: [UInt64: Entry], expected: [UInt64: (id: DocumentID, sum: UInt64, count: Int)],
        in txn: Transaction
    ) throws -> [String] {
        var found: [UInt64: [([UInt8], [UInt8], Posting)]] = [:]
        var decoded: [Posting] = []
        let cursor = try txn.cursor(postings)
        var item = try cursor.first()
        while let e = item {
            if let (partition, term, first) = TextIndexLayout.parseBlockKey(e.key),
                let header = PostingBlock.header(e.value, firstDoc: first),
                PostingBlock.decode(e.value, firstDoc: first, header: header, into: &decoded)
            {
                for p in decoded where wrong.contains(p.doc) { found[p.doc, default: []].append((partition, term, p)) }
            }
            item = try cursor.next()
        }
        var out: [String] = []
        for docnum in wrong.sorted() {
            guard let e = entries[docnum], let id = expected[docnum]?.id else { continue }
            let have = found[docnum] ?? []
            for (term, tf) in e.frequencies.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                let ok = have.contains { $0.0 == e.partition && $0.1 == term && $0.2.tf == tf && $0.2.length == e.length }
                if !ok { out.append("text index '\(definition.name)': document \(id): posting of '\(Self.display(term))' missing or wrong") }
            }
            for (partition, term, _) in have where partition != e.partition || e.frequencies[term] == nil {
                out.append("text index '\(definition.name)': document \(id): stale posting of '\(Self.display(term))'")
            }
        }
        return out
    }

    static func postingHash(partition: [UInt8], term: [UInt8], tf: UInt32, length: UInt32) -> UInt64 {
        var bytes = partition + term + [0]
        Varint.append(UInt64(tf), to: &bytes)
        Varint.append(UInt64(length), to: &bytes)
        return StableHash.hash64(bytes)
    }

    static func display(_ term: [UInt8]) -> String { String(decoding: term, as: UTF8.self) }
}
