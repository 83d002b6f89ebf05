import EngramCore
import EngramStorage
import EngramText
import EngramVector

/// The candidate seam of `memories:search`: the only place that knows how memories
/// are found by embedding or by text. Everything else in the search (limits,
/// weighting, `minScore`, the result shape) is in `MemorySearch.swift` and does not
/// depend on how these functions work.
///
/// Each function receives `filter`, a predicate over the memory's own fields built by
/// ``MemoryFilter`` (`userId`/`sourceUserId`, `tags` CONTAINS, `sourceType`,
/// `importance >=`, and `tenantId` for a tenant-bound caller). A candidate must satisfy
/// it, and it applies **before** `limit` (contract policy 3), so the results are the
/// best `limit` memories among those that pass, never fewer when more exist. Only
/// memories of `memorySpaceId` are candidates.
///
/// Served by the memories' vector index `by_embedding` (partitioned by
/// `memorySpaceId`: exact while a space holds fewer than its threshold of embeddings,
/// so results equal the contract's; HNSW once larger) and text index `by_content`.
enum MemorySearchCandidates {
    /// The vector index of `memories`.
    static let vectorIndex = "by_embedding"
    /// The text index of `memories`.
    static let textIndex = "by_content"
    /// Extra vector candidates fetched beyond `limit`, so that rescoring in float64
    /// cannot push a memory ranked just past the limit in float32 into the results.
    static let rescoringSlack = 16

    /// The top `limit` memories of the space that pass `filter`, by raw cosine
    /// similarity to `embedding` (``MemorySimilarity/score(_:_:)``: same-length
    /// embeddings only, NaN and negative scores dropped, 0 kept), best first.
    ///
    /// Ties are broken oldest first: the contract's stable sort over an oldest-first
    /// scan of the space. `limit` may be `Int.max` (every candidate). A query the index
    /// cannot answer exactly as the contract scores it (all zeros or non-finite, where
    /// every score is 0 or NaN; a limit beyond the index's) is answered by scanning the
    /// space.
    static func semantic(
        _ context: FunctionContext, memorySpaceId: String, embedding: [Double], filter: Predicate?, limit: Int
    ) throws -> [(document: Document, score: Double)] {
        guard limit > 0 else { return [] }
        let query = embedding.map(Float.init)
        let searchable = query.allSatisfy(\.isFinite) && query.contains { $0 != 0 }
            && limit <= VectorQuery.maxLimit - rescoringSlack
        let documents: [Document]
        if searchable {
            documents = try context.database.vectorSearch(
                VectorQuery(
                    collection: MemoryRecords.table, index: vectorIndex, vector: query, limit: limit + rescoringSlack,
                    partition: [.string(memorySpaceId)], filter: filter)
            ).map(\.document)
        } else {
            documents = try scan(context, memorySpaceId, filter)
        }
        let scored = documents.compactMap { doc -> (document: Document, score: Double)? in
            guard let m = MemorySimilarity.embedding(doc.fields["embedding"]), let s = MemorySimilarity.score(embedding, m)
            else { return nil }
            return (doc, s)
        }
        let oldestFirst = scored.sorted { $0.document.id < $1.document.id }
        return Array(JavaScript.stableSorted(oldestFirst) { $0.score > $1.score }.prefix(limit))
    }

    /// The memories of the space that pass `filter` and whose `content` matches
    /// `query`, best first, at most `limit` (and at most `TextQuery.maxLimit`).
    ///
    /// Matching is the contract's (memories.md, search step 4) with the catalogue
    /// tokenizer: text and query are split into lower-cased terms; a memory matches
    /// when its content contains any of the first 16 distinct query terms, the last one
    /// also as a prefix; a query without terms matches nothing. Ranked by BM25, equal
    /// scores newest first.
    static func keyword(
        _ context: FunctionContext, memorySpaceId: String, query: String, filter: Predicate?, limit: Int
    ) throws -> [Document] {
        guard limit > 0 else { return [] }
        return try context.database.textSearch(textQuery(memorySpaceId: memorySpaceId, query: query, filter: filter, limit: limit))
            .map(\.document)
    }

    /// The text half of a memories search.
    static func textQuery(memorySpaceId: String, query: String, filter: Predicate?, limit: Int) -> TextQuery {
        let space = Predicate.eq("memorySpaceId", .string(memorySpaceId))
        return TextQuery(
            collection: MemoryRecords.table, index: textIndex, text: query, filter: filter.map { .and([space, $0]) } ?? space,
            limit: min(limit, TextQuery.maxLimit), prefixLastTerm: true, maxTerms: FactTextCandidates.maxQueryTerms)
    }

    /// Every memory of the space that passes `filter`, oldest first, in one snapshot.
    private static func scan(_ context: FunctionContext, _ memorySpaceId: String, _ filter: Predicate?) throws -> [Document] {
        try MemoryRecords.shard(context, memorySpaceId).read { scope in
            try scope.drain(MemoryRecords.spaceQuery(memorySpaceId, where: filter))
        }
    }
}
