import EngramCore
import EngramStorage

/// The `facts` mutations on single facts: store, the two kinds of revision
/// (`update` creates a version, `updateInPlace` patches), supersession and soft deletion.
///
/// A fact is found by `factId` in every shard (oldest match), then changed in one
/// transaction in its space's shard, where it is read again by id.
enum FactWrites {
    private typealias R = FactRecords

    static func store(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        var fields: ValueMap = ["factId": .string(LogicalID.make("fact", now: context.now))]
        for key in [
            "memorySpaceId", "participantId", "userId", "tenantId", "fact", "factType", "subject", "predicate", "object",
            "confidence", "sourceType", "sourceRef", "metadata", "tags", "category", "searchAliases", "semanticContext",
            "entities", "relations", "validUntil",
        ] {
            if let v = args[key] { fields[key] = v }
        }
        fields["validFrom"] = JavaScript.isTruthy(args["validFrom"]) ? args["validFrom"] : context.nowValue
        fields["version"] = 1.0
        fields["createdAt"] = context.nowValue
        fields["updatedAt"] = context.nowValue
        let stored = R.ordered(fields)
        let space = Value.string(try args.requiredString("memorySpaceId"))
        return try await context.database.shard(forShardKey: space).write(now: context.now) { scope in
            try scope.insert(R.table, stored)
        }.value
    }

    /// A new document (new factId, version + 1, `supersedes` = the old id) carrying the
    /// changes; the old one gets `supersededBy` and `validUntil = now`.
    static func update(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        let found = try R.owned(context, try args.requiredString("factId"), in: space)
        let newFactId = Value.string(LogicalID.make("fact", now: context.now))
        let now = context.nowValue
        return try await context.database.shard(of: found.id).write(now: context.now) { scope in
            let old = try R.reread(scope, found)
            var fields: ValueMap = ["factId": newFactId]
            for key in R.copiedAcrossVersions + R.revisableFields { fields[key] = old.fields[key] }
            for key in R.revisableFields {
                guard let value = args[key] else { continue }
                // `fact` and `metadata` apply only when truthy; the rest whenever given.
                if (key == "fact" || key == "metadata") && !JavaScript.isTruthy(value) { continue }
                fields[key] = value
            }
            fields["version"] = .double((old.fields["version"]?.doubleValue ?? 0) + 1)
            fields["supersedes"] = old.fields["factId"]
            fields["updatedAt"] = now
            let inserted = try scope.insert(R.table, R.ordered(fields))
            try R.revise(scope, old, set: ["supersededBy": newFactId, "validUntil": now])
            return inserted.value
        }
    }

    /// Ends the fact's validity now; it stays active.
    static func deleteFact(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let factId = try args.requiredString("factId")
        let found = try R.owned(context, factId, in: try args.requiredString("memorySpaceId"))
        let now = context.nowValue
        try await context.database.shard(of: found.id).write(now: context.now) { scope in
            try R.revise(scope, try R.reread(scope, found), set: ["validUntil": now, "updatedAt": now])
        }
        return ["deleted": true, "factId": .string(factId)]
    }

    /// Links two existing facts of one space: old → `supersededBy` new (and expires),
    /// new → `supersedes` old. No state checks; `oldFactId == newFactId` makes a self-loop.
    static func supersede(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let space = try args.requiredString("memorySpaceId")
        let oldId = try args.requiredString("oldFactId"), newId = try args.requiredString("newFactId")
        guard let old = try R.find(context, oldId) else { throw EngramError.coded("OLD_FACT_NOT_FOUND") }
        guard old.fields["memorySpaceId"]?.stringValue == space else { throw EngramError.coded(R.permissionDenied) }
        guard let new = try R.find(context, newId) else { throw EngramError.coded("NEW_FACT_NOT_FOUND") }
        guard new.fields["memorySpaceId"]?.stringValue == space else {
            throw EngramError.coded("FACTS_MUST_BE_IN_SAME_SPACE")
        }
        let now = context.nowValue
        try await context.database.shard(of: old.id).write(now: context.now) { scope in
            try R.revise(scope, try R.reread(scope, old), set: ["supersededBy": .string(newId), "validUntil": now, "updatedAt": now])
            // Read the new fact after the first write: it may be the same document.
            try R.revise(scope, try R.reread(scope, new), set: ["supersedes": .string(oldId), "updatedAt": now])
        }
        var out: ValueMap = ["superseded": true, "oldFactId": .string(oldId), "newFactId": .string(newId)]
        if let reason = args["reason"] { out["reason"] = reason }
        return .map(out)
    }

    /// Sets exactly the given fields (even `""`, or `null` metadata) and `updatedAt`.
    static func updateInPlace(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let found = try R.owned(context, try args.requiredString("factId"), in: try args.requiredString("memorySpaceId"))
        var set: ValueMap = [:]
        for key in R.revisableFields { if let v = args[key] { set[key] = v } }
        set["updatedAt"] = context.nowValue
        let changes = set
        return try await context.database.shard(of: found.id).write(now: context.now) { scope in
            try R.revise(scope, try R.reread(scope, found), set: changes)
        }.value
    }
}
