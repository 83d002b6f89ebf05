import EngramCore
import EngramStorage

/// The standard filters, sorting and paging of `list`, `count`, `search`,
/// `queryBySubject` and `queryByRelationship` (facts.md, "Standard filters, sorting
/// and paging"), with the reference's JavaScript semantics.
struct FactFilter {
    private let args: ValueMap
    private let usesTenant: Bool

    /// The filters `args` describe; `usesTenant` for the functions whose contract
    /// honours a `tenantId` argument (list, count, search).
    init(_ args: ValueMap, usesTenant: Bool) {
        self.args = args
        self.usesTenant = usesTenant
    }

    /// The filter arguments every standard-filter function declares.
    static let arguments: [ArgumentField] = [
        .optional("factType", FactRecords.factType), .optional("subject", .string), .optional("predicate", .string),
        .optional("object", .string), .optional("minConfidence", .number), .optional("confidence", .number),
        .optional("userId", .string), .optional("participantId", .string), .optional("tags", .array(.string)),
        .optional("tagMatch", .literals(["any", "all"])), .optional("sourceType", FactRecords.sourceType),
        .optional("createdBefore", .number), .optional("createdAfter", .number), .optional("updatedBefore", .number),
        .optional("updatedAfter", .number), .optional("version", .number), .optional("includeSuperseded", .boolean),
        .optional("validAt", .number), .optional("metadata", .any),
    ]

    /// The sorting and paging arguments (not declared by `count`).
    static let pagingArguments: [ArgumentField] = [
        .optional("limit", .number), .optional("offset", .number), .optional("sortBy", .string),
        .optional("sortOrder", .literals(["asc", "desc"])),
    ]

    /// Whether the fact passes every filter whose argument is provided.
    ///
    /// Throws the plain TypeError `Cannot convert undefined or null to object` when
    /// `metadata` is `null` and the fact, having passed every other filter, has
    /// truthy metadata (what the reference's `Object.entries(null)` does).
    func matches(_ fields: ValueMap) throws -> Bool {
        if !JavaScript.isTruthy(args["includeSuperseded"]), fields["supersededBy"] != nil { return false }
        if usesTenant, JavaScript.isTruthy(args["tenantId"]), fields["tenantId"] != args["tenantId"] { return false }
        if JavaScript.isTruthy(args["factType"]), fields["factType"] != args["factType"] { return false }
        for key in ["subject", "predicate", "object", "userId", "participantId", "sourceType"] {
            if let want = args[key], fields[key] != want { return false }
        }
        let confidence = fields["confidence"]?.doubleValue
        if let min = args.number("minConfidence"), !(confidence.map { $0 >= min } ?? false) { return false }
        if let exact = args.number("confidence"), confidence != exact { return false }
        if let version = args.number("version"), fields["version"]?.doubleValue != version { return false }
        if !tagsMatch(fields) || !timesMatch(fields) || !validAtMatches(fields) { return false }
        return try metadataMatches(fields)
    }

    private func tagsMatch(_ fields: ValueMap) -> Bool {
        guard let wanted = args.strings("tags"), !wanted.isEmpty else { return true }
        let have = Set((fields["tags"]?.arrayValue ?? []).compactMap(\.stringValue))
        return args.string("tagMatch") == "all" ? wanted.allSatisfy(have.contains) : wanted.contains(where: have.contains)
    }

    /// The inclusive `createdAfter/Before` and `updatedAfter/Before` bounds.
    private func timesMatch(_ fields: ValueMap) -> Bool {
        func within(_ field: String, after: String, before: String) -> Bool {
            let t = fields[field]?.doubleValue
            if let a = args.number(after), !(t.map { $0 >= a } ?? false) { return false }
            if let b = args.number(before), !(t.map { $0 <= b } ?? false) { return false }
            return true
        }
        return within("createdAt", after: "createdAfter", before: "createdBefore")
            && within("updatedAt", after: "updatedAfter", before: "updatedBefore")
    }

    /// Valid at `validAt`: started (no truthy `validFrom`, or `validFrom ≤ validAt`) and
    /// not ended (no truthy `validUntil`, or `validUntil > validAt`).
    private func validAtMatches(_ fields: ValueMap) -> Bool {
        guard let at = args.number("validAt") else { return true }
        if JavaScript.isTruthy(fields["validFrom"]), !((fields["validFrom"]?.doubleValue).map { $0 <= at } ?? false) {
            return false
        }
        if JavaScript.isTruthy(fields["validUntil"]), !((fields["validUntil"]?.doubleValue).map { $0 > at } ?? false) {
            return false
        }
        return true
    }

    /// Facts without truthy metadata fail; the others pass when every own key of the
    /// argument holds a strictly equal primitive in the fact's metadata.
    private func metadataMatches(_ fields: ValueMap) throws -> Bool {
        guard let wanted = args["metadata"] else { return true }
        guard JavaScript.isTruthy(fields["metadata"]) else { return false }
        if wanted.isNull { throw EngramError.plain("Cannot convert undefined or null to object") }
        let have = JavaScript.spread([fields["metadata"] ?? .null])
        for (key, value) in JavaScript.spread([wanted]) where !Self.strictlyEqual(have[key], value) { return false }
        return true
    }

    /// JavaScript `===` on stored values: primitives by type and value (NaN never
    /// equal), objects and arrays never (they are distinct references).
    static func strictlyEqual(_ a: Value?, _ b: Value) -> Bool {
        guard let a else { return false }
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        default:
            guard a.isNumber, b.isNumber, let x = a.doubleValue, let y = b.doubleValue else { return false }
            return x == y
        }
    }

    /// The field to sort on: `sortBy` when it is one of the four sortable fields
    /// (any other value is ignored, as in the reference).
    private var sortField: String? {
        args.string("sortBy").flatMap { ["createdAt", "updatedAt", "confidence", "version"].contains($0) ? $0 : nil }
    }

    /// The matches sorted on ``sortField`` (stable; descending unless `sortOrder` is
    /// "asc"); unchanged without one.
    func sorted(_ docs: [Document]) -> [Document] {
        guard let field = sortField, !docs.isEmpty else { return docs }
        let ascending = args.string("sortOrder") == "asc"
        func key(_ d: Document) -> Double { d.fields[field]?.doubleValue ?? .nan }
        return JavaScript.stableSorted(docs) { ascending ? key($0) < key($1) : key($0) > key($1) }
    }

    /// `[offset, offset + limit)` of `docs` with JavaScript slice semantics; all from
    /// `offset` without a limit. `offset` counts only when truthy.
    func page(_ docs: [Document]) -> [Document] {
        let start = JavaScript.isTruthy(args["offset"]) ? (args.number("offset") ?? 0) : 0
        let end = args.number("limit").map { start + $0 }
        return JavaScript.slice(docs, start: start, end: end)
    }

    /// How many matches (in retrieval order) paging can need, when that is known
    /// without reading them all: no sort, and plain non-negative offset and limit.
    var neededMatches: Int? {
        guard sortField == nil, let limit = FactRecords.plainCount(args.number("limit")) else { return nil }
        let offset = JavaScript.isTruthy(args["offset"]) ? args.number("offset") : 0
        guard let start = FactRecords.plainCount(offset) else { return nil }
        return start + limit
    }

    /// Filters, sorts and pages `candidates` (already in retrieval order).
    func apply(_ candidates: [Document]) throws -> [Document] {
        page(sorted(try candidates.filter { try matches($0.fields) }))
    }
}
