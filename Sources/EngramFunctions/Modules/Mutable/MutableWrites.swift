import EngramCore
import EngramStorage

/// `mutable:set`, `update`, `deleteKey`, `purgeNamespace`, `purgeMany` and `purgeAll`.
enum MutableWrites {
    typealias R = MutableRecord

    /// Creates the key, or overwrites its value (and userId/metadata when given).
    static func set(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let namespace = args.string("namespace") ?? "", key = args.string("key") ?? "", tenant = args.setString("tenantId")
        let value = args["value"] ?? .null, now = ctx.nowValue
        return try await R.shard(ctx, namespace).write(now: ctx.now) { scope in
            if let doc = try R.lookup(scope, namespace: namespace, key: key, tenantId: tenant) {
                var set: ValueMap = ["value": value]
                set["userId"] = args["userId"]
                set["metadata"] = args["metadata"]
                set["updatedAt"] = now
                return try scope.patch(R.table, doc.id, Patch(set: set)).value
            }
            return try scope.insert(R.table, R.newFields(namespace: namespace, key: key, value: value, args: args, now: now)).value
        }
    }

    /// Applies increment / decrement / append / custom to an existing key.
    static func update(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let namespace = args.string("namespace") ?? "", key = args.string("key") ?? "", tenant = args.setString("tenantId")
        let operation = args.string("operation") ?? "", operand = args["operand"], now = ctx.nowValue
        return try await R.shard(ctx, namespace).write(now: ctx.now) { scope in
            guard let doc = try R.lookup(scope, namespace: namespace, key: key, tenantId: tenant) else { throw R.notFound }
            let current = doc.fields["value"]
            let next: Value
            switch operation {
            case "increment", "decrement": next = R.arithmetic(current, operand, increment: operation == "increment")
            case "append":
                guard case .array(let items) = current else { throw EngramError.plain("MUTABLE_VALUE_NOT_ARRAY") }
                guard let operand else {
                    throw EngramError(.invalidArgument, "undefined is not a valid value: an array element cannot be undefined")
                }
                next = .array(items + [operand])
            default:
                guard let operand else { throw R.missingValue }
                next = operand
            }
            return try scope.patch(R.table, doc.id, Patch(set: ["value": next, "updatedAt": now])).value
        }
    }

    /// Deletes one key; throws `MUTABLE_KEY_NOT_FOUND`.
    static func deleteKey(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let namespace = args.string("namespace") ?? "", key = args.string("key") ?? "", tenant = args.setString("tenantId")
        try await R.shard(ctx, namespace).write(now: ctx.now) { scope in
            guard let doc = try R.lookup(scope, namespace: namespace, key: key, tenantId: tenant) else { throw R.notFound }
            try scope.delete(R.table, doc.id)
        }
        return ["deleted": true, "namespace": .string(namespace), "key": .string(key)]
    }

    /// Deletes (or, in a dry run, lists) every key of a namespace.
    static func purgeNamespace(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let namespace = args.string("namespace") ?? "", tenant = args.setString("tenantId")
        if args.isSet("dryRun") {
            let docs = try R.namespace(ctx.database, namespace, tenantId: tenant)
            return [
                "deleted": .double(Double(docs.count)), "namespace": .string(namespace),
                "keys": .array(docs.map { $0.fields["key"] ?? .null }), "dryRun": true,
            ]
        }
        let deleted = try await ctx.database.deleteEach(R.table, in: [R.shard(ctx, namespace)], now: ctx.now) { scope in
            try R.namespace(scope, namespace, tenantId: tenant)
        }
        return ["deleted": .double(Double(deleted.count)), "namespace": .string(namespace), "dryRun": false]
    }

    /// Deletes the keys of a namespace that pass the filters.
    static func purgeMany(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let namespace = args.string("namespace") ?? "", tenant = args.setString("tenantId")
        let keep = R.matches(args)
        let deleted = try await ctx.database.deleteEach(R.table, in: [R.shard(ctx, namespace)], now: ctx.now) { scope in
            try R.namespace(scope, namespace, tenantId: tenant).filter(keep)
        }
        return [
            "deleted": .double(Double(deleted.count)), "namespace": .string(namespace),
            "keys": .array(deleted.map { $0.fields["key"] ?? .null }),
        ]
    }

    /// Deletes every record, or every record of one tenant (when purges are allowed).
    static func purgeAll(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        try ctx.requirePurgeAllowed()
        let tenant = args.setString("tenantId"), visibility = ctx.visibility
        let deleted = try await ctx.database.deleteEach(R.table, in: ctx.database.shards, now: ctx.now) { scope in
            if let tenant { return try scope.all(R.table, index: "by_tenantId", [.string(tenant)], where: nil) }
            return try scope.scan(R.table, where: visibility)
        }
        return ["deleted": .double(Double(deleted.count))]
    }
}
