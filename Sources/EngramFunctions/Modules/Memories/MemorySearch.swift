import EngramCore
import EngramStorage

/// `memories:search`: semantic search when a non-empty embedding is given, keyword
/// search otherwise (memories.md), with the filters applied before the limit.
///
/// Candidates come from ``MemorySearchCandidates``; this file only decides the mode,
/// builds the filter, and applies the reference's limit, weighting, re-sort and
/// `minScore` to whatever the seam returns.
enum MemorySearch {
    /// Acknowledgement phrases that halve the score of a short agent memory.
    static let acknowledgements = ["got it", "i've noted", "i'll remember", "noted", "understood", "i'll set", "i'll call"]

    /// Semantic results (documents with `_score`) for a non-empty `embedding` (fused
    /// hybrid results with the `hybrid` extension, see ``MemoryHybridSearch``), else the
    /// keyword results (documents without it). Keyword mode fails with the platform's
    /// `take` error for a negative or fractional limit.
    static func search(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        let limit = args.number("limit", orDefault: 20)
        let filter = MemoryFilter.predicate(context, args, [.userOrSourceUser, .anyTag, .sourceType, .minImportance])
        if let embedding = args.array("embedding"), !embedding.isEmpty {
            let query = embedding.map { $0.doubleValue ?? .nan }
            if let hybrid = args["hybrid"]?.mapValue {
                return try MemoryHybridSearch.search(
                    context, options: hybrid, space: space, query: try args.requiredString("query"), embedding: query, filter: filter,
                    limit: limit)
            }
            return try semantic(context, args, space: space, query: query, filter: filter, limit: limit)
        }
        let docs = try MemorySearchCandidates.keyword(
            context, memorySpaceId: space, query: try args.requiredString("query"), filter: filter,
            limit: try JavaScript.takeCount(limit))
        return .array(docs.map(\.value))
    }

    /// The first `limit` candidates by raw cosine (JavaScript `slice` semantics for odd
    /// limits), each weighted, stable-sorted by weighted score, cut at `minScore`, and
    /// again the first `limit`; each result is the document plus `_score`.
    private static func semantic(
        _ context: FunctionContext, _ args: ValueMap, space: String, query: [Double], filter: Predicate?, limit: Double
    ) throws -> Value {
        let candidates = try MemorySearchCandidates.semantic(
            context, memorySpaceId: space, embedding: query, filter: filter, limit: candidateCount(limit))
        let queryCategory = JavaScript.isTruthy(args["queryCategory"]) ? args["queryCategory"] : nil
        let weightedCandidates = JavaScript.slice(candidates, start: 0, end: limit).map {
            (document: $0.document, score: weighted($0.score, $0.document.fields, queryCategory: queryCategory))
        }
        var ranked = JavaScript.stableSorted(weightedCandidates) { $0.score > $1.score }
        if let minScore = args.number("minScore") { ranked = ranked.filter { $0.score >= minScore } }
        return .array(JavaScript.slice(ranked, start: 0, end: limit).map { item in
            var doc = item.document.value.mapValue ?? [:]
            doc["_score"] = .double(item.score)
            return .map(doc)
        })
    }

    /// How many candidates `slice(0, limit)` can keep: the truncated limit when it is
    /// not negative, else all (a negative end counts from the end of the list).
    static func candidateCount(_ limit: Double) -> Int {
        guard limit >= 0 else { return Int.max }
        return limit >= Double(Int.max) ? Int.max : Int(limit.rounded(.towardZero))
    }

    /// The reference's weighting, multiplied in this order: ×1.25 for a user message;
    /// ×0.5 for an agent message whose lower-cased content is shorter than 60 UTF-16
    /// units and contains an acknowledgement; ×1.3 when `factCategory` equals the set
    /// `queryCategory`; ×1.1 when `enrichedContent` is set.
    static func weighted(_ score: Double, _ fields: ValueMap, queryCategory: Value?) -> Double {
        var s = score
        if fields["messageRole"] == "user" { s *= 1.25 }
        if fields["messageRole"] == "agent" {
            let content = JavaScript.lowercase(fields["content"]?.stringValue ?? "")
            if JavaScript.length(content) < 60, acknowledgements.contains(where: { JavaScript.includes(content, $0) }) { s *= 0.5 }
        }
        if let queryCategory, fields["factCategory"] == queryCategory { s *= 1.3 }
        if JavaScript.isTruthy(fields["enrichedContent"]) { s *= 1.1 }
        return s
    }
}
