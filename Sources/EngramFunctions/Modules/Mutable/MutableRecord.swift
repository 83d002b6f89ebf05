import EngramCore
import EngramStorage

/// The `mutable` table: the lookup and namespace rules shared by every `mutable:*`
/// function.
///
/// The table is sharded by `namespace`, so a key's lookups and writes, and a whole
/// namespace's scans and purges, each touch one shard.
enum MutableRecord {
    static let table = "mutable"

    static let notFound = EngramError.coded("MUTABLE_KEY_NOT_FOUND")

    /// The platform's schema error for a write that would leave `value` missing.
    static let missingValue = EngramError(
        .invalidArgument,
        "Failed to insert or update a document in table \"mutable\" because it does not match the schema: "
            + "Object is missing the required field `value`.")

    /// The shard holding namespace `namespace`.
    static func shard(_ ctx: FunctionContext, _ namespace: String) -> Shard {
        ctx.database.shard(forShardKey: .string(namespace))
    }

    /// The tenant lookup rule: with a tenant, the oldest record of (tenant, namespace,
    /// key); without one, the oldest *global* record of (namespace, key). (The
    /// reference examines only the oldest record of any tenant; see Operations.md.)
    static func lookupQuery(namespace: String, key: String, tenantId: String?) -> Query {
        if let tenantId {
            return Query(
                table, filter: .indexEquals(table: table, index: "by_tenant_namespace_key", [.string(tenantId), .string(namespace), .string(key)]),
                index: .named("by_tenant_namespace_key"))
        }
        return Query(
            table, filter: .both(.indexEquals(table: table, index: "by_namespace_key", [.string(namespace), .string(key)]), .tenantless),
            index: .named("by_namespace_key"))
    }

    /// The record the lookup rule finds, or nil.
    static func lookup(_ reader: some TableReader, namespace: String, key: String, tenantId: String?) throws -> Document? {
        var q = lookupQuery(namespace: namespace, key: key, tenantId: tenantId)
        q.limit = 1
        return try reader.query(q).documents.first
    }

    /// The namespace range rule: with a tenant, that tenant's records of the
    /// namespace; without one, every tenant's. In creation order.
    static func namespace(_ reader: some TableReader, _ namespace: String, tenantId: String?) throws -> [Document] {
        if let tenantId {
            return try reader.all(table, index: "by_tenant_namespace", [.string(tenantId), .string(namespace)], where: nil)
        }
        return try reader.all(table, index: "by_namespace", [.string(namespace)], where: nil)
    }

    /// The filters of list, count and purgeMany: keyPrefix and userId when set,
    /// updatedAfter/updatedBefore (and purgeMany's lastAccessedBefore, read as
    /// updatedBefore since reads are not tracked) when present, all strict.
    static func matches(_ args: ValueMap) -> @Sendable (Document) -> Bool {
        let prefix = args.setString("keyPrefix"), user = args.setString("userId")
        let after = args.number("updatedAfter"), before = args.number("updatedBefore")
        let accessedBefore = args.number("lastAccessedBefore")
        return { doc in
            let f = doc.fields, updated = f.number("updatedAt") ?? .nan
            if let prefix, !JavaScript.startsWith(f.string("key") ?? "", prefix) { return false }
            if let user, f["userId"] != .string(user) { return false }
            if let after, !(updated > after) { return false }
            if let before, !(updated < before) { return false }
            if let accessedBefore, !(updated < accessedBefore) { return false }
            return true
        }
    }

    /// The fields of a new record, in the contract's order.
    static func newFields(namespace: String, key: String, value: Value, args: ValueMap, now: Value) -> ValueMap {
        var f: ValueMap = ["namespace": .string(namespace), "key": .string(key), "value": value]
        f["userId"] = args["userId"]
        f["tenantId"] = args["tenantId"]
        f["metadata"] = args["metadata"]
        f["createdAt"] = now
        f["updatedAt"] = now
        return f
    }

    /// `(current or 0) ± (operand or 1)` with JavaScript semantics.
    static func arithmetic(_ current: Value?, _ operand: Value?, increment: Bool) -> Value {
        let a: Value = JavaScript.isTruthy(current) ? current ?? .double(0) : .double(0)
        let b: Value = JavaScript.isTruthy(operand) ? operand ?? .double(1) : .double(1)
        return increment ? JavaScript.add(a, b) : JavaScript.subtract(a, b)
    }
}
