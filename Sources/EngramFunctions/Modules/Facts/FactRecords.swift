import EngramCore
import EngramStorage

/// The `facts` table (schema.md §1.5): argument types, the field order of stored
/// facts, and the lookups every facts function shares.
///
/// Facts are sharded by `memorySpaceId`, so a space's facts live in one shard. A
/// lookup by `factId` (not the shard key) reads every shard and takes the oldest
/// match. A tenant-bound caller only ever finds facts of its own tenant.
enum FactRecords {
    static let table = "facts"
    static let notFound = "FACT_NOT_FOUND"
    static let permissionDenied = "PERMISSION_DENIED"

    static let factType: ArgumentType = .literals([
        "preference", "identity", "knowledge", "relationship", "event", "observation", "custom",
    ])
    static let sourceType: ArgumentType = .literals(["conversation", "system", "tool", "manual", "a2a"])
    static let sourceRef: ArgumentType = .object([
        .optional("conversationId", .string), .optional("messageIds", .array(.string)), .optional("memoryId", .string),
    ])
    static let entity: ArgumentType = .object([
        .required("name", .string), .required("type", .string), .optional("fullValue", .string),
    ])
    static let relation: ArgumentType = .object([
        .required("subject", .string), .required("predicate", .string), .required("object", .string),
    ])

    /// The stored fields in the table's order (schema.md §1.5).
    static let fieldOrder: [String] = [
        "factId", "memorySpaceId", "participantId", "userId", "tenantId", "fact", "factType", "subject", "predicate",
        "object", "confidence", "sourceType", "sourceRef", "metadata", "tags", "category", "searchAliases",
        "semanticContext", "entities", "relations", "validFrom", "validUntil", "version", "supersededBy", "supersedes",
        "createdAt", "updatedAt",
    ]

    /// The optional content fields that `update` and `updateInPlace` may change.
    static let revisableFields: [String] = [
        "fact", "confidence", "tags", "validUntil", "metadata", "category", "searchAliases", "semanticContext",
        "entities", "relations",
    ]

    /// The fields a new version (`update`) copies unchanged from the one it replaces.
    static let copiedAcrossVersions: [String] = [
        "memorySpaceId", "participantId", "userId", "tenantId", "factType", "subject", "predicate", "object",
        "sourceType", "sourceRef", "validFrom", "createdAt",
    ]

    /// `fields` with its keys in ``fieldOrder`` (keys outside it, which the contract
    /// never writes, keep their relative order at the end).
    static func ordered(_ fields: ValueMap) -> ValueMap {
        var out = ValueMap(minimumCapacity: fields.count)
        for key in fieldOrder { if let v = fields[key] { out[key] = v } }
        for (key, v) in fields where out[key] == nil { out[key] = v }
        return out
    }

    /// Whether the fact is active: `supersededBy` absent (facts.md, Fact lifecycle).
    static func isActive(_ fields: ValueMap) -> Bool { fields["supersededBy"] == nil }

    /// The filter that confines a tenant-bound caller to its tenant's facts; nil for
    /// an unbound caller.
    static func tenantConfinement(_ context: FunctionContext) -> Predicate? {
        context.boundTenant.map { .eq("tenantId", .string($0)) }
    }

    /// The first (oldest) fact with this `factId` in any space, in every shard —
    /// within the bound tenant for a tenant-bound caller.
    static func find(_ context: FunctionContext, _ factId: String) throws -> Document? {
        var conditions: [Predicate] = [.indexEquals(table: table, index: "by_factId", [.string(factId)])]
        if let confine = tenantConfinement(context) { conditions.append(confine) }
        let query = Query(table, filter: .and(conditions), index: .named("by_factId"), limit: 1)
        return try context.database.query(query).documents.first
    }

    /// The fact `factId` for a mutation of space `memorySpaceId`: throws
    /// `FACT_NOT_FOUND` when no fact has the id, `PERMISSION_DENIED` when the oldest
    /// one belongs to another space (checked in that order).
    static func owned(_ context: FunctionContext, _ factId: String, in memorySpaceId: String) throws -> Document {
        guard let doc = try find(context, factId) else { throw EngramError.coded(notFound) }
        guard doc.fields["memorySpaceId"]?.stringValue == memorySpaceId else { throw EngramError.coded(permissionDenied) }
        return doc
    }

    /// The current fields of a document found before the write, re-read inside the
    /// write; a document deleted in between counts as not found.
    static func reread(_ scope: WriteScope, _ doc: Document) throws -> Document {
        guard let current = try scope.get(table, doc.id) else { throw EngramError.coded(notFound) }
        return current
    }

    /// Sets `set` and removes `remove` on the fact, keeping the table's field order,
    /// and returns the document as stored.
    @discardableResult
    static func revise(_ scope: WriteScope, _ doc: Document, set: ValueMap, remove: [String] = []) throws -> Document {
        var fields = doc.fields
        for (key, value) in set { fields[key] = value }
        for key in remove { fields.removeValue(forKey: key) }
        let next = ordered(fields)
        if next == doc.fields { return doc }  // ordered maps compare key order too
        return try scope.replace(table, doc.id, with: next)
    }

    /// Every fact of a space in `by_memorySpace` order (oldest first) that passes
    /// `keep`, read in one snapshot of the space's shard, stopping once `needed`
    /// facts are kept (all when nil). A tenant-bound caller sees only its tenant's facts.
    static func scanSpace(
        _ context: FunctionContext, _ memorySpaceId: String, subject: String? = nil, needed: Int? = nil,
        keep: (Document) throws -> Bool
    ) throws -> [Document] {
        let space = Value.string(memorySpaceId)
        var query: Query
        if let subject {
            query = Database.indexQuery(table, index: "by_memorySpace_subject", [space, .string(subject)])
        } else {
            query = Database.indexQuery(table, index: "by_memorySpace", [space])
        }
        if let confine = tenantConfinement(context), let filter = query.filter { query.filter = .and([filter, confine]) }
        if needed == 0 { return [] }
        let pageSize = 256
        query.limit = pageSize
        return try context.database.shard(forShardKey: space).read { scope in
            var kept: [Document] = []
            while true {
                let page = try scope.query(query)
                for doc in page.documents where try keep(doc) {
                    kept.append(doc)
                    if let needed, kept.count >= needed { return kept }
                }
                guard let cursor = page.cursor else { return kept }
                query.cursor = cursor
            }
        }
    }

    /// The number of a "take the first n" or slice bound when it is a plain
    /// non-negative integer (so the scan may stop early), else nil.
    static func plainCount(_ n: Double?) -> Int? {
        guard let n, n >= 0, n == n.rounded(), n < 1e15 else { return nil }
        return Int(n)
    }
}
