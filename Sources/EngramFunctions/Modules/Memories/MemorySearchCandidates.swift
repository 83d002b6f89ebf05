import EngramCore
import EngramStorage

/// The candidate seam of `memories:search`: the only place that knows how memories
/// are found by embedding or by text. Everything else in the search (limits,
/// weighting, `minScore`, the result shape) is in `MemorySearch.swift` and does not
/// depend on how these two functions work.
///
/// Both functions receive `filter`, a predicate over the memory's own fields built by
/// ``MemoryFilter`` (`userId`/`sourceUserId`, `tags` CONTAINS, `sourceType`,
/// `importance >=`, and `tenantId` for a tenant-bound caller). A candidate must satisfy
/// it, and it applies **before** `limit` (contract policy 3), so the results are the
/// best `limit` memories among those that pass, never fewer when more exist. Only
/// memories of `memorySpaceId` are candidates.
///
/// **Stand-in.** Both bodies are an exact scan of the space's memories (one read
/// snapshot of the space's shard, `by_memorySpace` order, oldest first). They are to be
/// replaced, with these signatures, by the vector index partitioned by
/// `memorySpaceId` (exact while a space is small, HNSW once large; results must equal
/// ``semantic(_:memorySpaceId:embedding:filter:limit:)``'s) and by the BM25 text index
/// on `content`.
enum MemorySearchCandidates {
    /// The top `limit` memories of the space that pass `filter`, by raw cosine
    /// similarity to `embedding` (``MemorySimilarity/score(_:_:)``: same-length
    /// embeddings only, NaN and negative scores dropped, 0 kept), best first.
    ///
    /// Ties are broken oldest first (`_creationTime`, then `_id`): the contract's stable
    /// sort over an oldest-first scan of the space. `limit` may be `Int.max` (every
    /// candidate).
    static func semantic(
        _ context: FunctionContext, memorySpaceId: String, embedding: [Double], filter: Predicate?, limit: Int
    ) throws -> [(document: Document, score: Double)] {
        guard limit > 0 else { return [] }
        let scored = try scan(context, memorySpaceId, filter).compactMap { doc -> (document: Document, score: Double)? in
            guard let m = MemorySimilarity.embedding(doc.fields["embedding"]), let s = MemorySimilarity.score(embedding, m)
            else { return nil }
            return (doc, s)
        }
        return Array(JavaScript.stableSorted(scored) { $0.score > $1.score }.prefix(limit))
    }

    /// The first `limit` memories of the space that pass `filter` and whose `content`
    /// matches `query`, in relevance order.
    ///
    /// Matching is the contract's (memories.md, search step 4): text and query are split
    /// into lower-cased terms; a memory matches when its content contains any of the
    /// first 16 distinct query terms, the last one also as a prefix; a query without
    /// terms matches nothing. The stand-in ranks by the number of distinct query terms
    /// matched (a prefix match of the last term counts as one), most first, ties newest
    /// first; the BM25 index that replaces it ranks as the reference's engine does.
    static func keyword(
        _ context: FunctionContext, memorySpaceId: String, query: String, filter: Predicate?, limit: Int
    ) throws -> [Document] {
        var queryTerms: [String] = []
        for term in FactTextCandidates.terms(of: query) where !queryTerms.contains(term) { queryTerms.append(term) }
        queryTerms = Array(queryTerms.prefix(FactTextCandidates.maxQueryTerms))
        guard let last = queryTerms.last, limit > 0 else { return [] }
        func relevance(_ doc: Document) -> Int {
            let words = Set(FactTextCandidates.terms(of: doc.fields["content"]?.stringValue ?? ""))
            var matched = queryTerms.filter(words.contains).count
            if !words.contains(last), words.contains(where: { $0.hasPrefix(last) }) { matched += 1 }
            return matched
        }
        let scored = try scan(context, memorySpaceId, filter).map { (doc: $0, relevance: relevance($0)) }.filter { $0.relevance > 0 }
        // Newest first among equals: reverse the oldest-first scan, then a stable sort.
        return Array(JavaScript.stableSorted(scored.reversed()) { $0.relevance > $1.relevance }.prefix(limit).map(\.doc))
    }

    /// Every memory of the space that passes `filter`, oldest first, in one snapshot.
    private static func scan(_ context: FunctionContext, _ memorySpaceId: String, _ filter: Predicate?) throws -> [Document] {
        try MemoryRecords.shard(context, memorySpaceId).read { scope in
            try scope.drain(MemoryRecords.spaceQuery(memorySpaceId, where: filter))
        }
    }
}
