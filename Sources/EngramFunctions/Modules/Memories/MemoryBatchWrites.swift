import EngramCore
import EngramStorage

/// The `memories` mutations on many memories: `deleteMany` and `updateMany` over one
/// space (one transaction), `deleteByIds` across spaces, and the gated `purgeAll`.
enum MemoryBatchWrites {
    private typealias R = MemoryRecords

    /// Hard-deletes the space's memories that pass the filters (all of them without
    /// filters); returns their number and memoryIds, oldest first.
    static func deleteMany(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        let query = R.spaceQuery(space, where: MemoryFilter.predicate(context, args, [.userOrSourceUser, .sourceType]))
        let deleted = try await R.shard(context, space).write(now: context.now) { scope in
            let matches = try scope.drain(query)
            for doc in matches { try scope.delete(R.table, doc.id) }
            return matches
        }
        return ["deleted": .double(Double(deleted.count)), "memoryIds": .array(deleted.map { $0.fields["memoryId"] ?? .null })]
    }

    /// Sets `importance` and/or `tags` (when given) and `updatedAt` on every memory of
    /// the space that passes the filters, without versioning; returns their number and
    /// memoryIds, oldest first.
    static func updateMany(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        let query = R.spaceQuery(space, where: MemoryFilter.predicate(context, args, [.user, .sourceType]))
        var set: ValueMap = [:]
        for key in ["importance", "tags"] { if let v = args[key] { set[key] = v } }
        set["updatedAt"] = context.nowValue
        let patch = Patch(set: set)  // fields every memory has: their places are kept
        let updated = try await R.shard(context, space).write(now: context.now) { scope in
            let matches = try scope.drain(query)
            for doc in matches { try scope.patch(R.table, doc.id, patch) }
            return matches
        }
        return ["updated": .double(Double(updated.count)), "memoryIds": .array(updated.map { $0.fields["memoryId"] ?? .null })]
    }

    /// Hard-deletes, in input order, the first memory of each listed id in any space.
    /// An id listed k times deletes the first k memories with that id (the reference's
    /// sequential lookups, each seeing the deletions before it), so with unique ids a
    /// repeated id is deleted and reported once. One transaction per shard involved.
    static func deleteByIds(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let ids = args.strings("memoryIds") ?? []
        var matches: [String: [Document]] = [:]
        for id in Set(ids) { matches[id] = try R.findAll(context, id) }
        // The k-th occurrence of an id deletes its k-th match, if there is one.
        var seen: [String: Int] = [:]
        var planned: [(id: String, doc: Document)] = []
        for id in ids {
            let k = seen[id, default: 0]
            seen[id] = k + 1
            if let docs = matches[id], k < docs.count { planned.append((id, docs[k])) }
        }
        let router = context.database.router
        let shards = Set(planned.map { router.shard(of: $0.doc.id) }).sorted().map { context.database.shards[$0] }
        let targets = planned.map(\.doc.id)
        let deleted = try await context.database.deleteEach(R.table, in: shards, now: context.now) { scope in
            // Each planned memory of this shard that still exists.
            try targets.filter { router.shard(of: $0) == scope.shard.index }.compactMap { try scope.get(R.table, $0) }
        }
        let gone = Set(deleted.map(\.id))
        let deletedIds = planned.filter { gone.contains($0.doc.id) }.map { Value.string($0.id) }
        return ["deleted": .double(Double(deletedIds.count)), "memoryIds": .array(deletedIds)]
    }

    /// Hard-deletes every memory of every space (a tenant-bound caller: of its own
    /// tenant), shard by shard in batches; only when purges are allowed.
    static func purgeAll(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        try context.requirePurgeAllowed(text: purgeDisabledText)
        let deleted = try await context.database.purge(R.table, where: context.visibility, now: context.now)
        return ["deleted": .double(Double(deleted))]
    }

    /// The contract's exact text of the gate's plain error.
    static let purgeDisabledText =
        "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments. Use deleteMany with specific memorySpaceId for targeted deletions."
}
