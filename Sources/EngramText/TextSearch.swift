import EngramCore
import EngramStorage

extension Database {
    /// The documents of `query.collection` best matching `query` by BM25, best first
    /// (ties: newer document first), at most `query.limit`.
    ///
    /// Fans out over the shards that may hold matches, in one consistent snapshot per
    /// shard, with term statistics summed over every shard, so scores and order are
    /// those a single-shard database would give. The filter is applied exactly before
    /// the limit. Throws `COLLECTION_NOT_FOUND`, `INDEX_NOT_FOUND`, `WRONG_INDEX_KIND`
    /// (not a text index), `INDEX_NOT_READY` (still being built), or `INVALID_ARGUMENT`
    /// (limit or bounds out of range, a filter on a field the index does not declare).
    public func textSearch(_ query: TextQuery) throws -> [TextHit] {
        try TextSearcher(database: self, query: query).run(fetchDocuments: true).map { c in
            guard let document = c.document else {
                throw EngramError(.internal, "text search lost the document \(c.id)")
            }
            return TextHit(document: document, score: c.score)
        }
    }

    /// As ``textSearch(_:)``, returning ids and scores only (documents are read only
    /// where a filter needs them): the text half of a hybrid search.
    public func textSearchIDs(_ query: TextQuery) throws -> [ScoredID] {
        try TextSearcher(database: self, query: query).run(fetchDocuments: false).map { ScoredID(id: $0.id, score: $0.score) }
    }
}

/// One text search: resolves the index, tokenizes the query, gathers collection-wide
/// statistics and runs ``MaxScore`` over the relevant partitions of the target shards.
struct TextSearcher {
    let database: Database
    let query: TextQuery

    func run(fetchDocuments: Bool) throws -> [Candidate] {
        try query.validate()
        let schema = try database.schema(of: query.collection)
        guard let definition = schema.index(named: query.index) else {
            throw EngramError(.indexNotFound, "collection '\(query.collection)' has no index '\(query.index)'")
        }
        guard definition.kind == TextIndex.kind else {
            throw EngramError(
                .wrongIndexKind, "index '\(query.collection).\(query.index)' is a \(definition.kind) index, not a text index")
        }
        let indexes: [TextIndex] = try database.shards.map { shard in
            guard let slot = try shard.collection(query.collection).slot(named: query.index), let index = slot.index as? TextIndex
            else {
                throw EngramError(.internal, "shard \(shard.index) has no text index '\(query.index)'")
            }
            guard slot.isReady else {
                throw EngramError(.indexNotReady, "text index '\(query.collection).\(query.index)' is still being built")
            }
            return index
        }
        let index = indexes[0]
        if let filter = query.filter { try Self.checkFields(filter, allowed: Set(index.filterFields), index: query.index) }

        var terms: [[UInt8]] = []
        index.tokenizer.forEachTerm(query.text) { t in
            if terms.count < query.maxTerms, !terms.contains(t) { terms.append(t) }
        }
        guard !terms.isEmpty else { return [] }

        let selection = partitionSelection(index)
        let targets = try database.shards(for: Query(query.collection, filter: query.filter))
        return try Self.withSnapshots(database.shards) { scopes in
            // Term groups: one per term; the last one expanded by prefix.
            var groups: [[[UInt8]]] = terms.map { [$0] }
            if query.prefixLastTerm, let last = terms.last {
                var expansions = Set<[UInt8]>()
                for (k, scope) in scopes.enumerated() {
                    let found = try indexes[k].terms(
                        withPrefix: last, partitions: selection?.keys, limit: query.maxPrefixExpansions, in: scope.transaction)
                    expansions.formUnion(found)
                }
                let regular = Set(terms.dropLast())
                let kept = expansions.filter { !regular.contains($0) }.sorted { $0.lexicographicallyPrecedes($1) }
                groups[groups.count - 1] = Array(kept.prefix(query.maxPrefixExpansions))
            }

            // Collection-wide statistics.
            var statistics = CorpusStatistics()
            let allTerms = Set(groups.joined())
            for (k, scope) in scopes.enumerated() {
                try indexes[k].addStatistics(terms: allTerms, to: &statistics, in: scope.transaction)
            }
            guard statistics.documents > 0 else { return [] }
            let scorer = BM25Scorer(index.bm25, statistics: statistics)

            var top = TopResults(capacity: query.limit)
            for shard in targets {
                let k = shard.index
                let txn = scopes[k].transaction
                let store = try scopes[k].collection(query.collection)
                let shardIndex = indexes[k]
                let partitions = try selection?.keys ?? shardIndex.allPartitions(in: txn)
                for partition in partitions {
                    var cursors: [TermCursor] = []
                    for (g, group) in groups.enumerated() {
                        for term in group {
                            let idf = BM25Scorer.idf(
                                documentFrequency: statistics.documentFrequency[term] ?? 0, documents: statistics.documents)
                            if let c = try TermCursor(
                                database: shardIndex.postings, prefix: TextIndexLayout.termPrefix(partition: partition, term: term),
                                group: g, idf: idf, scorer: scorer, in: txn)
                            {
                                cursors.append(c)
                            }
                        }
                    }
                    try MaxScore.run(cursors, groups: groups.count, pruning: query.pruning, top: { top }) { docnum, score in
                        let id = try shardIndex.documentID(docnum, in: txn)
                        guard top.enters(score, id) else { return }
                        var document: Document?
                        if selection?.exact != true, let filter = query.filter {
                            guard let doc = try store.document(id, in: txn), filter.matches(doc) else { return }
                            document = doc
                        }
                        top.insert(Candidate(score: score, id: id, shard: k, document: document))
                    }
                }
            }
            var results = top.sorted()
            if fetchDocuments {
                for i in results.indices where results[i].document == nil {
                    let k = results[i].shard
                    results[i].document = try scopes[k].collection(query.collection).document(results[i].id, in: scopes[k].transaction)
                }
            }
            return results
        }
    }

    /// The partitions a filter confines the search to (nil: every partition), and
    /// whether the filter is exactly that confinement (then no document is read to
    /// check it).
    private func partitionSelection(_ index: TextIndex) -> (keys: [[UInt8]], exact: Bool)? {
        guard let field = index.partitionField, let filter = query.filter else { return nil }
        let conjuncts = Self.conjuncts(filter)
        for c in conjuncts {
            switch c {
            case .compare(let p, .equal, let v) where p == field:
                let (key, truncated) = TextIndexLayout.partition(v, hasFilterFields: true)
                return ([key], conjuncts.count == 1 && !truncated)
            case .isIn(let p, let values) where p == field:
                let keys = Set(values.map { TextIndexLayout.partition($0, hasFilterFields: true).key })
                return (keys.sorted { $0.lexicographicallyPrecedes($1) }, false)
            default: continue
            }
        }
        return nil
    }

    private static func conjuncts(_ p: Predicate) -> [Predicate] {
        if case .and(let ps) = p { return ps.flatMap(conjuncts) }
        return [p]
    }

    /// Throws `INVALID_ARGUMENT` when the filter names a field that is not a filter field.
    private static func checkFields(_ p: Predicate, allowed: Set<FieldPath>, index: String) throws {
        func check(_ path: FieldPath) throws {
            guard allowed.contains(path) else {
                throw EngramError(.invalidArgument, "text index '\(index)' has no filter field '\(path)'")
            }
        }
        switch p {
        case .compare(let path, _, _), .isIn(let path, _), .contains(let path, _), .exists(let path): try check(path)
        case .and(let ps), .or(let ps): for q in ps { try checkFields(q, allowed: allowed, index: index) }
        case .not(let q): try checkFields(q, allowed: allowed, index: index)
        }
    }

    /// Runs `body` with a read snapshot of every shard open at once.
    private static func withSnapshots<T>(_ shards: [Shard], _ body: ([ReadScope]) throws -> T) throws -> T {
        func open(_ k: Int, _ scopes: [ReadScope]) throws -> T {
            guard k < shards.count else { return try body(scopes) }
            return try shards[k].read { scope in try open(k + 1, scopes + [scope]) }
        }
        return try open(0, [])
    }
}

extension TextIndex {
    /// Indexed terms starting with `prefix` (the prefix itself included when indexed),
    /// at most `limit`, the first in byte order: of the given partitions, or of the
    /// whole shard when `partitions` is nil.
    func terms(withPrefix prefix: [UInt8], partitions: [[UInt8]]?, limit: Int, in txn: Transaction) throws -> [[UInt8]] {
        var found = Set<[UInt8]>()
        guard let partitions else {
            let start = [1] + prefix
            let cursor = try txn.cursor(stats)
            var e = try cursor.seek(atLeast: start)
            while let entry = e, entry.key.starts(with: start), found.count < limit {
                found.insert(Array(entry.key.dropFirst()))
                e = try cursor.next()
            }
            return Array(found)
        }
        let cursor = try txn.cursor(postings)
        for partition in partitions {
            let start = partition + prefix
            var e = try cursor.seek(atLeast: start)
            var taken = 0
            while let entry = e, entry.key.starts(with: start), entry.key.count >= partition.count + 9, taken < limit {
                let term = Array(entry.key[partition.count..<(entry.key.count - 9)])
                found.insert(term)
                taken += 1
                e = try cursor.seek(atLeast: partition + term + [1])  // past this term's blocks
            }
        }
        return Array(found)
    }

    /// Adds this shard's documents, total length and the df of `terms` to `statistics`.
    func addStatistics(terms: Set<[UInt8]>, to statistics: inout CorpusStatistics, in txn: Transaction) throws {
        let counters = try Counters(stats, in: txn)
        statistics.documents += counters.documents
        statistics.totalLength += counters.length
        for term in terms {
            statistics.documentFrequency[term, default: 0] += try Self.count(stats, TextIndexLayout.dfKey(term), in: txn)
        }
    }

    /// Every partition holding documents in this shard.
    func allPartitions(in txn: Transaction) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        let cursor = try txn.cursor(partitions)
        var e = try cursor.first()
        while let entry = e {
            out.append(Array(entry.key))
            e = try cursor.next()
        }
        return out
    }

    /// The document id of a document number.
    func documentID(_ docnum: UInt64, in txn: Transaction) throws -> DocumentID {
        guard let raw = try txn.get(documents, BigEndian.bytes(docnum)), raw.count >= DocumentID.byteCount else {
            throw EngramError(.storage, "text index '\(definition.name)' has no document number \(docnum)")
        }
        return try DocumentID(bytes: Array(raw[0..<DocumentID.byteCount]))
    }
}
