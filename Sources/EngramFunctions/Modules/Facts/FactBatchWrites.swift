import EngramCore
import EngramStorage

/// The `facts` mutations on many facts: hard deletion of a space's facts,
/// consolidation, soft deletion by id list, and the purge.
enum FactBatchWrites {
    private typealias R = FactRecords

    /// Hard-deletes the space's facts (active, superseded and expired alike) matching
    /// the truthy `userId` / `factType` arguments, in one transaction.
    static func deleteMany(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        var conditions: [Predicate] = [.indexEquals(table: R.table, index: "by_memorySpace", [.string(space)])]
        for key in ["userId", "factType"] where JavaScript.isTruthy(args[key]) {
            conditions.append(.eq(FieldPath([key]), args[key] ?? .null))
        }
        if let confine = R.tenantConfinement(context) { conditions.append(confine) }
        let query = Query(R.table, filter: .and(conditions), index: .named("by_memorySpace"))
        let deleted = try await context.database.shard(forShardKey: .string(space)).write(now: context.now) { scope in
            let matches = try scope.drain(query)
            for doc in matches { try scope.delete(R.table, doc.id) }
            return matches.count
        }
        return ["deleted": .double(Double(deleted)), "memorySpaceId": .string(space)]
    }

    /// Supersedes every listed fact of the space by `keepFactId` and gives the kept
    /// fact the rounded mean confidence of every listed fact found (in any space).
    static func consolidate(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        let ids = args.strings("factIds") ?? []
        let keepId = try args.requiredString("keepFactId")
        guard ids.contains(keepId) else { throw EngramError.plain("KEEP_FACT_NOT_IN_LIST") }
        // Look every entry up once (duplicates find the same document).
        var found: [String: Document] = [:]
        for id in Set(ids) { found[id] = try R.find(context, id) }
        let inSpace: @Sendable (Document) -> Bool = { $0.fields["memorySpaceId"]?.stringValue == space }
        let shard = context.database.shard(forShardKey: .string(space))
        let now = context.nowValue
        let snapshot = found
        try await shard.write(now: context.now) { scope in
            for id in ids where id != keepId {
                guard let doc = snapshot[id], inSpace(doc), let current = try scope.get(R.table, doc.id) else { continue }
                try R.revise(scope, current, set: ["supersededBy": .string(keepId), "validUntil": now])
            }
            guard let kept = snapshot[keepId], inSpace(kept), let current = try scope.get(R.table, kept.id) else { return }
            // Facts of this shard are read again in this transaction; facts of other
            // spaces (the contract does not check their space here) come from the lookup.
            var total = 0.0, count = 0
            for id in ids {
                guard let doc = snapshot[id] else { continue }
                let fields = context.database.shard(of: doc.id) === shard ? try scope.get(R.table, doc.id)?.fields : doc.fields
                guard let fields else { continue }
                total += fields["confidence"]?.doubleValue ?? .nan
                count += 1
            }
            try R.revise(scope, current, set: ["confidence": .double(JavaScript.round(total / Double(count))), "updatedAt": now])
        }
        return ["consolidated": true, "keptFactId": .string(keepId), "mergedCount": .double(Double(ids.count - 1))]
    }

    /// Soft-deletes (`validUntil = updatedAt = now`) the first fact of each id, in any
    /// space; a repeated id is counted again. One transaction per shard involved.
    static func deleteByIds(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let ids = args.strings("factIds") ?? []
        var found: [(id: String, doc: Document)] = []
        for id in ids { if let doc = try R.find(context, id) { found.append((id, doc)) } }
        let now = context.nowValue
        var deleted = Set<Int>()
        for shardIndex in Set(found.map { context.database.router.shard(of: $0.doc.id) }).sorted() {
            let mine = found.enumerated().filter { context.database.router.shard(of: $0.element.doc.id) == shardIndex }
            let done = try await context.database.shards[shardIndex].write(now: context.now) { scope in
                var done: [Int] = []
                for (position, entry) in mine {
                    guard let current = try scope.get(R.table, entry.doc.id) else { continue }
                    try R.revise(scope, current, set: ["validUntil": now, "updatedAt": now])
                    done.append(position)
                }
                return done
            }
            deleted.formUnion(done)
        }
        let deletedIds = found.enumerated().filter { deleted.contains($0.offset) }.map { Value.string($0.element.id) }
        return ["deleted": .double(Double(deletedIds.count)), "factIds": .array(deletedIds)]
    }

    /// Hard-deletes every fact of every space (a tenant-bound caller: of its own
    /// tenant), shard by shard in batches; only when purges are allowed.
    static func purgeAll(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        try context.requirePurgeAllowed()
        let deleted = try await context.database.purge(R.table, where: context.visibility, now: context.now)
        return ["deleted": .double(Double(deleted))]
    }
}
