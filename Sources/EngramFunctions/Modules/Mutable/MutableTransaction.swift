import EngramCore
import EngramStorage

/// `mutable:transaction`: set / update / delete / increment / decrement operations run
/// in order, all or nothing.
///
/// Operations on namespaces of one shard run in one transaction, exactly as the
/// reference. When they span shards, the whole list is first checked against a
/// snapshot (so a missing key or value fails the call before anything is written),
/// then each shard runs its own operations, in order, in one transaction; the
/// operations of different namespaces never touch the same record, so the results
/// are those of the sequential run.
enum MutableTransaction {
    typealias R = MutableRecord

    /// One validated operation and its position in the call.
    struct Operation: Sendable {
        let position: Int
        let op: String
        let namespace: String
        let key: String
        let value: Value?
        let amount: Value?

        init(_ position: Int, _ fields: ValueMap) {
            self.position = position
            op = fields.string("op") ?? ""
            namespace = fields.string("namespace") ?? ""
            key = fields.string("key") ?? ""
            value = fields["value"]
            amount = fields["amount"]
        }

        var notFound: EngramError { .coded("MUTABLE_KEY_NOT_FOUND: \(namespace)/\(key)") }
    }

    /// Runs the operations in order, all or nothing; throws `MUTABLE_KEY_NOT_FOUND: ns/key` for a missing key.
    static func transaction(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let ops = (args.array("operations") ?? []).enumerated().map { Operation($0, $1.mapValue ?? [:]) }
        let tenant = args.setString("tenantId"), tenantField = args["tenantId"], now = ctx.nowValue
        let byShard = Dictionary(grouping: ops) { ctx.database.router.shard(forShardKey: .string($0.namespace)) }
        if byShard.count > 1 { try check(ctx, ops, tenant: tenant) }
        var results = [Value](repeating: .null, count: ops.count)
        for (shard, group) in byShard.sorted(by: { $0.key < $1.key }) {
            let done = try await ctx.database.shards[shard].write(now: ctx.now) { scope in
                try group.map { ($0.position, try run($0, in: scope, tenant: tenant, tenantField: tenantField, now: now)) }
            }
            for (position, result) in done { results[position] = result }
        }
        return ["success": true, "operationsExecuted": .double(Double(ops.count)), "results": .array(results)]
    }

    /// Runs one operation and returns its result.
    static func run(_ op: Operation, in scope: WriteScope, tenant: String?, tenantField: Value?, now: Value) throws -> Value {
        let found = try R.lookup(scope, namespace: op.namespace, key: op.key, tenantId: tenant)
        switch op.op {
        case "set":
            guard let value = op.value else { throw R.missingValue }
            if let doc = found { return try scope.patch(R.table, doc.id, Patch(set: ["value": value, "updatedAt": now])).value }
            var fields: ValueMap = ["namespace": .string(op.namespace), "key": .string(op.key), "value": value]
            fields["tenantId"] = tenantField
            fields["createdAt"] = now
            fields["updatedAt"] = now
            return try scope.insert(R.table, fields).value
        case "delete":
            guard let doc = found else { throw op.notFound }
            try scope.delete(R.table, doc.id)
            return ["deleted": true, "namespace": .string(op.namespace), "key": .string(op.key)]
        default:
            guard let doc = found else { throw op.notFound }
            let next: Value
            if op.op == "update" {
                guard let value = op.value else { throw R.missingValue }
                next = value
            } else {
                next = R.arithmetic(doc.fields["value"], op.amount, increment: op.op == "increment")
            }
            return try scope.patch(R.table, doc.id, Patch(set: ["value": next, "updatedAt": now])).value
        }
    }

    /// Replays the operations against a snapshot, tracking how many records each
    /// lookup would see, and throws the error the sequential run would throw first.
    static func check(_ ctx: FunctionContext, _ ops: [Operation], tenant: String?) throws {
        struct Target: Hashable { let namespace: String, key: String }
        var visible: [Target: Int] = [:]
        for op in ops {
            let target = Target(namespace: op.namespace, key: op.key)
            var n = try visible[target] ?? ctx.database.count(R.lookupQuery(namespace: op.namespace, key: op.key, tenantId: tenant))
            switch op.op {
            case "set":
                guard op.value != nil else { throw R.missingValue }
                n = max(n, 1)
            case "delete":
                guard n > 0 else { throw op.notFound }
                n -= 1
            default:
                guard n > 0 else { throw op.notFound }
                if op.op == "update", op.value == nil { throw R.missingValue }
            }
            visible[target] = n
        }
    }
}
