import EngramCore
import EngramStorage

/// The `memories` mutations on one memory: store, update (a new version), delete,
/// archive and restore.
///
/// A memory named by `memoryId` is found in every shard (oldest match), checked
/// against the space argument, then changed in one transaction of its shard, where it
/// is read again by id.
enum MemoryWrites {
    private typealias R = MemoryRecords

    /// The arguments `store` copies into the new memory when given.
    private static let storedArguments = [
        "memorySpaceId", "participantId", "tenantId", "content", "contentType", "embedding", "sourceType", "sourceUserId",
        "sourceUserName", "messageRole", "enrichedContent", "factCategory", "userId", "agentId", "conversationRef",
        "immutableRef", "mutableRef", "factsRef", "importance", "tags",
    ]

    /// Inserts version 1 with exactly the given fields (embedding stored as given).
    static func store(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        var fields = ValueMap()
        for key in storedArguments { if let v = args[key] { fields[key] = v } }
        return try await R.insert(context, idPrefix: "mem", fields).value
    }

    /// Records the current content and embedding in `previousVersions`, applies the
    /// changes (content only when truthy; embedding, importance and tags whenever
    /// given) and bumps the version. Every call makes a version.
    static func update(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let found = try R.owned(context, args)
        let retention = context.settings.versionRetention, now = context.nowValue
        return try await R.rewrite(context, found) { fields in
            let history = (fields["previousVersions"]?.arrayValue ?? []) + [MemoryVersions.entry(replacing: fields)]
            fields["previousVersions"] = .array(ImmutableRecord.retained(history, retention))
            if args.isSet("content") { fields["content"] = args["content"] }
            for key in ["embedding", "importance", "tags"] { if let v = args[key] { fields[key] = v } }
            fields["version"] = .double((fields["version"]?.doubleValue ?? .nan) + 1)
            fields["updatedAt"] = now
        }.value
    }

    /// Hard-deletes the memory (no cascade); echoes the memoryId argument.
    static func deleteMemory(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let found = try R.owned(context, args)
        try await context.database.shard(of: found.id).write(now: context.now) { scope in
            guard try scope.get(R.table, found.id) != nil else { throw EngramError.coded(R.notFound) }
            try scope.delete(R.table, found.id)
        }
        return ["deleted": true, "memoryId": args["memoryId"] ?? .null]
    }

    /// Appends the tag "archived" (once) and caps importance at 10; no new version.
    static func archive(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let found = try R.owned(context, args)
        let now = context.nowValue
        try await R.rewrite(context, found) { fields in
            let tags = R.tags(fields)
            if !tags.contains(archivedTag) { fields["tags"] = .array(tags + [archivedTag]) }
            // Math.min: NaN stays NaN (Swift.min keeps its first argument when unordered).
            fields["importance"] = .double(Swift.min(fields["importance"]?.doubleValue ?? .nan, 10))
            fields["updatedAt"] = now
        }
        return ["archived": true, "memoryId": args["memoryId"] ?? .null, "restorable": true]
    }

    /// Removes every "archived" tag and raises importance below 50 to 50; fails with
    /// `MEMORY_NOT_ARCHIVED` when the memory has no such tag. No new version.
    static func restoreFromArchive(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let found = try R.owned(context, args)
        let now = context.nowValue
        let restored = try await R.rewrite(context, found) { fields in
            let tags = R.tags(fields)
            guard tags.contains(archivedTag) else { throw EngramError.coded("MEMORY_NOT_ARCHIVED") }
            fields["tags"] = .array(tags.filter { $0 != archivedTag })
            if let importance = fields["importance"]?.doubleValue, importance < 50 { fields["importance"] = 50.0 }
            fields["updatedAt"] = now
        }
        return ["restored": true, "memoryId": args["memoryId"] ?? .null, "memory": restored.value]
    }

    /// The tag `archive` adds and `restoreFromArchive` removes.
    static let archivedTag: Value = "archived"
}
