import EngramCore
import EngramStorage
import EngramText

/// The full-text seam of `facts:search`: the facts of one space whose `fact` text
/// matches a query, in relevance order.
///
/// Served by the text index `by_content` on `facts.fact` (filter fields `memorySpaceId`,
/// `tenantId`, `factType`; see `Tables.facts`), with the contract's matching rule: the
/// catalogue tokenizer (terms split at whitespace and punctuation, lower-cased, cut at
/// 32 characters), any query term matches, the last term also as a prefix, at most 16
/// query terms, no fuzzy matching, a query without terms matches nothing; BM25 ranking,
/// equal scores newest first. Proximity and exact-match signals of the reference engine
/// are not modelled. Only `fact` is searched.
enum FactTextCandidates {
    /// The most query terms used, as in the reference's search engine.
    static let maxQueryTerms = 16

    /// The facts of `memorySpaceId` matching `query`, best first (at most
    /// `TextQuery.maxLimit`; the reference fails beyond 1,024). The caller applies the
    /// standard filters (tenant, superseded, …), sorting and paging afterwards.
    static func matching(_ context: FunctionContext, memorySpaceId: String, query: String) throws -> [Document] {
        var filter = Predicate.eq("memorySpaceId", .string(memorySpaceId))
        if let confine = FactRecords.tenantConfinement(context) { filter = .and([filter, confine]) }
        let search = TextQuery(
            collection: FactRecords.table, index: "by_content", text: query, filter: filter, limit: TextQuery.maxLimit,
            prefixLastTerm: true, maxTerms: maxQueryTerms)
        return try context.database.textSearch(search).map(\.document)
    }
}
