import EngramCore
import EngramStorage

/// The full-text seam of `facts:search`: the facts of one space whose `fact` text
/// matches a query, in relevance order.
///
/// The contract serves this from the search index `by_content` on `facts.fact` (filter
/// fields `memorySpaceId`, `tenantId`, `factType`): BM25 ranking with proximity and
/// exact-match signals, ties newest first; terms split at whitespace and punctuation
/// and lower-cased, at most 16 query terms; a fact matches when it contains any query
/// term, the last term also matching as a prefix; no fuzzy matching; a query without
/// terms matches nothing. Only `fact` is searched.
///
/// **Stand-in.** Until the BM25 text index is merged, this file holds an exact scan of
/// the space with a simple term match that has the same matching rule and a simple
/// ranking: the number of distinct query terms a fact contains, most first, ties newest
/// first. It is the only place `facts:search` touches text search; replacing this file
/// (same signature) with the index-backed lookup changes nothing else.
enum FactTextCandidates {
    /// The most query terms used, as in the reference's search engine.
    static let maxQueryTerms = 16

    /// The facts of `memorySpaceId` matching `query`, best first. The caller applies
    /// the standard filters (tenant, superseded, …), sorting and paging afterwards.
    static func matching(_ context: FunctionContext, memorySpaceId: String, query: String) throws -> [Document] {
        var queryTerms: [String] = []
        for term in terms(of: query) where !queryTerms.contains(term) { queryTerms.append(term) }
        queryTerms = Array(queryTerms.prefix(maxQueryTerms))
        guard let last = queryTerms.last else { return [] }
        func score(_ doc: Document) -> Int {
            let words = Set(terms(of: doc.fields["fact"]?.stringValue ?? ""))
            var score = queryTerms.filter(words.contains).count
            if !words.contains(last), words.contains(where: { $0.hasPrefix(last) }) { score += 1 }
            return score
        }
        let scored = try FactRecords.scanSpace(context, memorySpaceId) { score($0) > 0 }.map { (doc: $0, score: score($0)) }
        // Newest first among equal scores: reverse the oldest-first scan, then a stable sort.
        return JavaScript.stableSorted(scored.reversed()) { $0.score > $1.score }.map(\.doc)
    }

    /// The lower-cased words of `text`: maximal runs of letters, marks and digits.
    static func terms(of text: String) -> [String] {
        var out: [String] = [], current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar.properties.generalCategory == .nonspacingMark {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                out.append(current.lowercased())
                current = ""
            }
        }
        if !current.isEmpty { out.append(current.lowercased()) }
        return out
    }
}
