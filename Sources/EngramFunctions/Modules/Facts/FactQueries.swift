import EngramCore
import EngramStorage

/// The `facts` queries: lookups, the standard-filter reads and the chain walk.
enum FactQueries {
    private typealias R = FactRecords

    /// The fact, or null when missing, in another space, or (with a truthy `tenantId`)
    /// of another tenant. Superseded and expired facts are returned too.
    static func get(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let doc = try R.find(context, try args.requiredString("factId")),
            doc.fields["memorySpaceId"]?.stringValue == (try args.requiredString("memorySpaceId"))
        else { return .null }
        if JavaScript.isTruthy(args["tenantId"]), doc.fields["tenantId"] != args["tenantId"] { return .null }
        return doc.value
    }

    /// The space's facts (oldest first, or by the subject index when `subject` is
    /// given) through the standard filters, sorting and paging. Reading stops early
    /// when paging needs only the first matches.
    private static func filtered(
        _ context: FunctionContext, _ args: ValueMap, subject: String? = nil, usesTenant: Bool,
        extra: (ValueMap) -> Bool = { _ in true }
    ) throws -> [Document] {
        let filter = FactFilter(args, usesTenant: usesTenant)
        let space = try args.requiredString("memorySpaceId")
        let matches = try R.scanSpace(context, space, subject: subject, needed: filter.neededMatches) {
            extra($0.fields) ? try filter.matches($0.fields) : false
        }
        return filter.page(filter.sorted(matches))
    }

    static func list(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        .array(try filtered(context, args, usesTenant: true).map(\.value))
    }

    static func count(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let filter = FactFilter(args, usesTenant: true)
        let matches = try R.scanSpace(context, try args.requiredString("memorySpaceId")) { try filter.matches($0.fields) }
        return .double(Double(matches.count))
    }

    /// Full-text candidates in relevance order, then the standard filters (sorting
    /// replaces relevance order when it applies) and paging. No score field.
    static func search(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let candidates = try FactTextCandidates.matching(
            context, memorySpaceId: try args.requiredString("memorySpaceId"), query: try args.requiredString("query"))
        return .array(try FactFilter(args, usesTenant: true).apply(candidates).map(\.value))
    }

    static func queryBySubject(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        .array(try filtered(context, args, subject: try args.requiredString("subject"), usesTenant: false).map(\.value))
    }

    static func queryByRelationship(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let predicate = args["predicate"]
        let docs = try filtered(context, args, subject: try args.requiredString("subject"), usesTenant: false) {
            $0["predicate"] == predicate
        }
        return .array(docs.map(\.value))
    }

    /// Active facts of the space with the given equalities, oldest first; the first
    /// `limit` (10 when absent), with slice semantics for odd limits.
    static func findByStructure(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let limit = args.number("limit") ?? 10
        let keys = ["subject", "predicate", "object", "userId", "factType"]
        let matches = try R.scanSpace(
            context, try args.requiredString("memorySpaceId"), subject: args.string("subject"), needed: R.plainCount(limit)
        ) { doc in
            R.isActive(doc.fields) && keys.allSatisfy { key in args[key].map { doc.fields[key] == $0 } ?? true }
        }
        return .array(JavaScript.slice(matches, start: 0, end: limit).map(\.value))
    }

    /// The supersession chain holding the fact, oldest first: back through
    /// `supersedes` to the oldest, then forward through `supersededBy`. Each walk stops
    /// at a missing fact or at a factId it has already visited (a cycle).
    static func getHistory(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let start = try R.find(context, try args.requiredString("factId")),
            start.fields["memorySpaceId"]?.stringValue == (try args.requiredString("memorySpaceId"))
        else { return .array([]) }
        var oldest = start
        var seen: Set<String> = [start.fields["factId"]?.stringValue ?? ""]
        while let previous = oldest.fields["supersedes"]?.stringValue, seen.insert(previous).inserted,
            let doc = try R.find(context, previous)
        {
            oldest = doc
        }
        var chain = [oldest]
        seen = [oldest.fields["factId"]?.stringValue ?? ""]
        while let next = chain[chain.count - 1].fields["supersededBy"]?.stringValue, seen.insert(next).inserted,
            let doc = try R.find(context, next)
        {
            chain.append(doc)
        }
        return .array(chain.map(\.value))
    }
}
