import EngramCore
import EngramStorage

/// `immutable:store`, `purge`, `purgeVersions`, `purgeMany` and `purgeAll`.
enum ImmutableWrites {
    typealias R = ImmutableRecord

    /// Creates version 1, or pushes the current version into `previousVersions` and
    /// makes the new data current.
    static func store(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let type = args.string("type") ?? "", id = args.string("id") ?? "", tenant = args.setString("tenantId")
        let retention = ctx.settings.versionRetention, now = ctx.nowValue
        return try await R.shard(ctx, id: id).write(now: ctx.now) { scope in
            if let doc = try R.lookup(scope, type: type, id: id, tenantId: tenant) {
                var entry: ValueMap = ["version": doc.fields["version"] ?? .double(0), "data": doc.fields["data"] ?? .null]
                entry["timestamp"] = doc.fields["updatedAt"]
                entry["metadata"] = doc.fields["metadata"]
                var set: ValueMap = [
                    "data": args["data"] ?? .null, "version": .double((doc.fields.number("version") ?? 0) + 1),
                    "previousVersions": .array(R.retained(R.previousVersions(doc.fields) + [.map(entry)], retention)),
                    "updatedAt": now,
                ]
                if args.isSet("metadata") { set["metadata"] = args["metadata"] }
                return try scope.patch(R.table, doc.id, Patch(set: set)).value
            }
            var fields: ValueMap = ["type": .string(type), "id": .string(id), "data": args["data"] ?? .null]
            fields["userId"] = args["userId"]
            fields["tenantId"] = args["tenantId"]
            fields["version"] = .double(1)
            fields["previousVersions"] = .array([])
            fields["metadata"] = args["metadata"]
            fields["createdAt"] = now
            fields["updatedAt"] = now
            return try scope.insert(R.table, fields).value
        }
    }

    /// Deletes one record with all its versions.
    static func purge(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let type = args.string("type") ?? "", id = args.string("id") ?? "", tenant = args.setString("tenantId")
        let versions = try await R.shard(ctx, id: id).write(now: ctx.now) { scope in
            guard let doc = try R.lookup(scope, type: type, id: id, tenantId: tenant) else { throw R.notFound }
            try scope.delete(R.table, doc.id)
            return R.versionCount(doc.fields)
        }
        return ["deleted": true, "type": .string(type), "id": .string(id), "versionsDeleted": .double(versions)]
    }

    /// Keeps the newest `keepLatest` versions (the current one always stays).
    static func purgeVersions(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let type = args.string("type") ?? "", id = args.string("id") ?? ""
        let keep = args.number("keepLatest") ?? .nan
        return try await R.shard(ctx, id: id).write(now: ctx.now) { scope in
            guard let doc = try R.anyTenant(ctx, scope, type: type, id: id) else { throw R.notFound }
            let previous = R.previousVersions(doc.fields)
            let total = Double(previous.count + 1)
            if total <= keep { return ["versionsPurged": .double(0), "versionsRemaining": .double(total)] }
            // slice(total - keepLatest): what the reference keeps; the counts report
            // what was actually removed and what actually remains.
            let kept = JavaScript.slice(previous, start: total - keep)
            if kept.count != previous.count {
                try scope.patch(R.table, doc.id, Patch(set: ["previousVersions": .array(kept)]))
            }
            return [
                "versionsPurged": .double(Double(previous.count - kept.count)), "versionsRemaining": .double(Double(kept.count + 1)),
            ]
        }
    }

    /// Deletes every record matching type and/or userId, across all tenants.
    static func purgeMany(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        var conditions: [Predicate] = []
        if let type = args.setString("type") { conditions.append(.eq("type", .string(type))) }
        if let user = args.setString("userId") { conditions.append(.eq("userId", .string(user))) }
        if let v = ctx.visibility { conditions.append(v) }
        let condition: Predicate? = conditions.isEmpty ? nil : .and(conditions)
        let deleted = try await ctx.database.deleteEach(R.table, in: ctx.database.shards, now: ctx.now) { scope in
            try scope.scan(R.table, where: condition)
        }
        return [
            "deleted": .double(Double(deleted.count)),
            "totalVersionsDeleted": .double(deleted.reduce(0) { $0 + R.versionCount($1.fields) }),
            "entries": .array(deleted.map { ["type": $0.fields["type"] ?? .null, "id": $0.fields["id"] ?? .null] }),
        ]
    }

    /// Deletes every record (when purges are allowed).
    static func purgeAll(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        try ctx.requirePurgeAllowed()
        let visibility = ctx.visibility
        let deleted = try await ctx.database.deleteEach(R.table, in: ctx.database.shards, now: ctx.now) { scope in
            try scope.scan(R.table, where: visibility)
        }
        return ["deleted": .double(Double(deleted.count))]
    }
}
