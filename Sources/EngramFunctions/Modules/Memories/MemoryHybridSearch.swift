import EngramCore
import EngramStorage
import EngramText
import EngramVector

/// Engram's extension of `memories:search`: with the optional `hybrid` argument (which
/// no existing SDK sends) and both `query` and `embedding`, the results are ranked by
/// fusing the vector ranking of `embedding` and the BM25 ranking of `query`, through
/// ``Database/hybridSearch(_:)``.
///
/// `hybrid` is an object: `fusion` `"rrf"` (default: reciprocal rank fusion) or
/// `"weighted"`; `k` for rrf (default 60); `alpha` for weighted (the vector share, 0 to
/// 1, default 0.5); `candidates`, how many of each ranking are fused (default
/// max(100, 2 × limit), at most 10,000). The filters are those of semantic search,
/// applied exactly to both rankings before their limits. Each result is the memory
/// plus `_score` (the fused score) and, when the memory was a candidate of that
/// ranking, `_vectorScore` (cosine similarity) and `_textScore` (BM25). `minScore`
/// and `queryCategory` do not apply; `limit` does (default 20).
enum MemoryHybridSearch {
    /// The `hybrid` argument's declaration.
    static let argument = ArgumentField.optional(
        "hybrid",
        .object([
            .optional("fusion", .literals(["rrf", "weighted"])), .optional("k", .number), .optional("alpha", .number),
            .optional("candidates", .number),
        ]))

    static func search(
        _ context: FunctionContext, options: ValueMap, space: String, query: String, embedding: [Double], filter: Predicate?,
        limit: Double
    ) throws -> Value {
        guard limit >= 1, limit <= Double(TextQuery.maxLimit) else {
            throw EngramError(.invalidArgument, "hybrid search: limit must be 1 to \(TextQuery.maxLimit), got \(limit)")
        }
        let count = Int(limit)
        let fusion: HybridFusion
        if options["fusion"]?.stringValue == "weighted" {
            fusion = .weighted(alpha: options["alpha"]?.doubleValue ?? 0.5)
        } else {
            fusion = .reciprocalRank(k: options["k"]?.doubleValue ?? 60)
        }
        let candidates = options["candidates"]?.doubleValue.map { Int(max(1, min($0, Double(TextQuery.maxLimit)))) }
            ?? min(TextQuery.maxLimit, max(100, 2 * count))
        let hits = try context.database.hybridSearch(
            HybridQuery(
                vector: VectorQuery(
                    collection: MemoryRecords.table, index: MemorySearchCandidates.vectorIndex, vector: embedding.map(Float.init),
                    limit: candidates, partition: [.string(space)], filter: filter),
                text: MemorySearchCandidates.textQuery(memorySpaceId: space, query: query, filter: filter, limit: candidates),
                fusion: fusion, limit: count))
        return .array(hits.map { hit in
            var doc = hit.document.value.mapValue ?? [:]
            doc["_score"] = .double(hit.score)
            if let v = hit.vectorScore { doc["_vectorScore"] = .double(v) }
            if let t = hit.textScore { doc["_textScore"] = .double(t) }
            return .map(doc)
        })
    }
}
