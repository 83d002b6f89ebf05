import EngramCore
import EngramStorage

/// The `memories` table (schema.md §1.4): argument types, the field order of stored
/// memories, and the lookups and rewrites every memories function shares.
///
/// Memories are sharded by `memorySpaceId`, so a space's memories live in one shard
/// and every call that names a space reads one snapshot or writes one transaction. A
/// lookup by `memoryId` (not the shard key) reads `by_memoryId` in every shard and
/// takes the oldest match, the contract's "first". A tenant-bound caller only ever
/// finds memories whose `tenantId` is its tenant; an unbound caller finds any.
enum MemoryRecords {
    static let table = "memories"
    static let notFound = "MEMORY_NOT_FOUND"
    static let permissionDenied = "PERMISSION_DENIED"

    static let contentType: ArgumentType = .literals(["raw", "summarized", "fact"])
    /// Every source type a memory can have (`store`, `list`, `count`).
    static let sourceType: ArgumentType = .literals(["conversation", "system", "tool", "a2a", "fact-extraction"])
    /// The source types `search`, `deleteMany` and `updateMany` accept (no `fact-extraction`).
    static let filterSourceType: ArgumentType = .literals(["conversation", "system", "tool", "a2a"])
    static let messageRole: ArgumentType = .literals(["user", "agent", "system"])
    static let conversationRef: ArgumentType = .object([
        .required("conversationId", .string), .required("messageIds", .array(.string)),
    ])
    static let immutableRef: ArgumentType = .object([
        .required("type", .string), .required("id", .string), .optional("version", .number),
    ])
    static let mutableRef: ArgumentType = .object([
        .required("namespace", .string), .required("key", .string), .required("snapshotValue", .any),
        .required("snapshotAt", .number),
    ])
    static let factsRef: ArgumentType = .object([.required("factId", .string), .optional("version", .number)])

    /// The stored fields in the table's order (schema.md §1.4).
    static let fieldOrder: [String] = [
        "memoryId", "memorySpaceId", "participantId", "tenantId", "content", "contentType", "embedding", "sourceType",
        "sourceUserId", "sourceUserName", "sourceTimestamp", "messageRole", "userId", "agentId", "conversationRef",
        "immutableRef", "mutableRef", "factsRef", "importance", "tags", "enrichedContent", "factCategory", "metadata",
        "version", "previousVersions", "createdAt", "updatedAt", "lastAccessed", "accessCount", "isPartial",
        "partialMetadata",
    ]

    /// `fields` with its keys in ``fieldOrder`` (keys outside it, which the contract
    /// never writes, keep their relative order at the end).
    static func ordered(_ fields: ValueMap) -> ValueMap {
        var out = ValueMap(minimumCapacity: fields.count)
        for key in fieldOrder { if let v = fields[key] { out[key] = v } }
        for (key, v) in fields where out[key] == nil { out[key] = v }
        return out
    }

    /// A new memory (version 1) of `fields`: a fresh `<prefix>-<now>-<r>` memoryId,
    /// `sourceTimestamp`, `createdAt` and `updatedAt` = now, no previous versions and
    /// `accessCount` 0, inserted in its space's shard. Returns the stored document.
    static func insert(_ context: FunctionContext, idPrefix: String, _ fields: ValueMap) async throws -> Document {
        var all = fields
        all["memoryId"] = .string(LogicalID.make(idPrefix, now: context.now))
        all["sourceTimestamp"] = context.nowValue
        all["version"] = 1.0
        all["previousVersions"] = .array([])
        all["createdAt"] = context.nowValue
        all["updatedAt"] = context.nowValue
        all["accessCount"] = 0.0
        let stored = ordered(all)
        let space = all["memorySpaceId"] ?? .null
        return try await context.database.shard(forShardKey: space).write(now: context.now) { scope in
            try scope.insert(table, stored)
        }
    }

    /// The query for `by_memoryId` = `memoryId`, within the caller's tenant when bound.
    private static func byMemoryId(_ context: FunctionContext, _ memoryId: String, limit: Int?) -> Query {
        let lookup = Predicate.indexEquals(table: table, index: "by_memoryId", [.string(memoryId)])
        return Query(table, filter: .both(lookup, context.visibility), index: .named("by_memoryId"), limit: limit)
    }

    /// The first (oldest) memory with this `memoryId` in any space, in every shard.
    static func find(_ context: FunctionContext, _ memoryId: String) throws -> Document? {
        try context.database.query(byMemoryId(context, memoryId, limit: 1)).documents.first
    }

    /// Every memory with this `memoryId`, oldest first, in every shard.
    static func findAll(_ context: FunctionContext, _ memoryId: String) throws -> [Document] {
        try context.database.queryAll(byMemoryId(context, memoryId, limit: nil))
    }

    /// Whether the memory belongs to space `memorySpaceId` (exact string equality).
    static func belongs(_ doc: Document, to memorySpaceId: String) -> Bool {
        doc.fields["memorySpaceId"] == .string(memorySpaceId)
    }

    /// The memory `memoryId` for a call on space `memorySpaceId`: throws
    /// `MEMORY_NOT_FOUND` when no memory has the id, `PERMISSION_DENIED` when the
    /// oldest one belongs to another space (checked in that order).
    static func owned(_ context: FunctionContext, _ memoryId: String, in memorySpaceId: String) throws -> Document {
        guard let doc = try find(context, memoryId) else { throw EngramError.coded(notFound) }
        guard belongs(doc, to: memorySpaceId) else { throw EngramError.coded(permissionDenied) }
        return doc
    }

    /// The memory `memoryId` named by the arguments `memoryId` and `memorySpaceId`
    /// (see ``owned(_:_:in:)``).
    static func owned(_ context: FunctionContext, _ args: ValueMap) throws -> Document {
        try owned(context, try args.requiredString("memoryId"), in: try args.requiredString("memorySpaceId"))
    }

    /// Re-reads `found` inside one write of its shard, lets `change` edit its fields
    /// and stores them in table order; returns the document as stored. A memory
    /// deleted since it was found fails with `MEMORY_NOT_FOUND`.
    static func rewrite(
        _ context: FunctionContext, _ found: Document, _ change: @escaping @Sendable (inout ValueMap) throws -> Void
    ) async throws -> Document {
        try await context.database.shard(of: found.id).write(now: context.now) { scope in
            guard let current = try scope.get(table, found.id) else { throw EngramError.coded(notFound) }
            var fields = current.fields
            try change(&fields)
            let next = ordered(fields)
            if next == current.fields { return current }  // ordered maps compare key order too
            return try scope.replace(table, current.id, with: next)
        }
    }

    /// The memories of space `memorySpaceId` satisfying `condition`, in `by_memorySpace`
    /// order (oldest first, or newest first when `descending`), at most `limit`.
    static func spaceQuery(_ memorySpaceId: String, where condition: Predicate?, descending: Bool = false, limit: Int? = nil) -> Query {
        let space = Predicate.indexEquals(table: table, index: "by_memorySpace", [.string(memorySpaceId)])
        return Query(table, filter: .both(space, condition), index: .named("by_memorySpace"), descending: descending, limit: limit)
    }

    /// The shard holding the memories of space `memorySpaceId`.
    static func shard(_ context: FunctionContext, _ memorySpaceId: String) -> Shard {
        context.database.shard(forShardKey: .string(memorySpaceId))
    }

    /// The stored `tags` array (empty when absent).
    static func tags(_ fields: ValueMap) -> [Value] {
        fields["tags"]?.arrayValue ?? []
    }
}
