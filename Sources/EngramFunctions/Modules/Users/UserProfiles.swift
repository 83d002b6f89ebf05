import EngramCore
import EngramStorage

/// The `users` module's reads of user profiles: `immutable` documents with
/// `type = "user"` and `id = userId` (users.md). No tenant in the contract; a
/// tenant-bound caller sees only its tenant's profiles.
enum UserProfiles {
    static let table = "immutable"

    /// The profile lookup: the oldest `immutable` document of type `user` with this id,
    /// in any tenant (in the bound tenant for a bound caller).
    static func lookup(_ reader: some TableReader, _ userId: String, _ context: FunctionContext) throws -> Document? {
        if let bound = context.boundTenant {
            return try reader.first(table, index: "by_tenant_type_id", [.string(bound), "user", .string(userId)])
        }
        return try reader.first(table, index: "by_type_id", ["user", .string(userId)])
    }

    /// The profile of `userId`, read from the shard that holds it.
    static func find(_ context: FunctionContext, _ args: ValueMap) throws -> Document? {
        let userId = try args.requiredString("userId")
        return try context.database.shard(forShardKey: .string(userId)).read { try lookup($0, userId, context) }
    }

    /// `{id, data, version, createdAt, updatedAt}`.
    static func projection(_ doc: Document) -> Value {
        let f = doc.fields
        var out = ValueMap()
        for key in ["id", "data", "version", "createdAt", "updatedAt"] { out[key] = f[key] }
        return .map(out)
    }

    /// `{version, data, timestamp}` of the current version.
    static func currentVersion(_ doc: Document) -> Value {
        version(doc.fields["version"], doc.fields["data"], doc.fields["updatedAt"])
    }

    /// `{version, data, timestamp}` of a `previousVersions` element.
    static func storedVersion(_ element: Value) -> Value {
        version(element["version"], element["data"], element["timestamp"])
    }

    private static func version(_ version: Value?, _ data: Value?, _ timestamp: Value?) -> Value {
        var out = ValueMap()
        out["version"] = version
        out["data"] = data
        out["timestamp"] = timestamp
        return .map(out)
    }

    static func previousVersions(_ doc: Document) -> [Value] {
        doc.fields["previousVersions"]?.arrayValue ?? []
    }

    /// Every profile the caller may see, in creation order, at most `limit`.
    static func all(_ context: FunctionContext, limit: Int?) throws -> [Document] {
        var filter: Predicate = .indexEquals(table: table, index: "by_type", ["user"])
        if let bound = context.boundTenant { filter = .and([filter, .eq("tenantId", .string(bound))]) }
        let query = Query(table, filter: filter, index: .named("by_type"), limit: limit)
        return limit == nil ? try context.database.queryAll(query) : try context.database.query(query).documents
    }

    // MARK: Handlers

    static func get(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        try find(context, args).map(projection) ?? .null
    }

    static func list(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        var limit: Int?
        if JavaScript.isTruthy(args["limit"]) { limit = try JavaScript.takeCount(try args.requiredNumber("limit")) }
        return .array(try all(context, limit: limit).map(projection))
    }

    /// The number of profiles. `filters` (sent by the Python SDK) is accepted and ignored.
    static func count(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        var filter: Predicate = .indexEquals(table: table, index: "by_type", ["user"])
        if let bound = context.boundTenant { filter = .and([filter, .eq("tenantId", .string(bound))]) }
        return .double(Double(try context.database.count(Query(table, filter: filter, index: .named("by_type")))))
    }

    static func getVersion(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let doc = try find(context, args) else { return .null }
        let wanted = Value.double(try args.requiredNumber("version"))
        if doc.fields["version"] == wanted { return currentVersion(doc) }
        return previousVersions(doc).first { $0["version"] == wanted }.map(storedVersion) ?? .null
    }

    static func getHistory(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let doc = try find(context, args) else { return .array([]) }
        let versions = [currentVersion(doc)] + previousVersions(doc).map(storedVersion)
        func number(_ v: Value) -> Double { v["version"]?.doubleValue ?? 0 }
        return .array(JavaScript.stableSorted(versions) { number($0) > number($1) })
    }

    static func getAtTimestamp(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let doc = try find(context, args) else { return .null }
        let at = try args.requiredNumber("timestamp")
        if let created = doc.fields["createdAt"]?.doubleValue, created > at { return .null }
        if let updated = doc.fields["updatedAt"]?.doubleValue, updated <= at { return currentVersion(doc) }
        func time(_ v: Value) -> Double { v["timestamp"]?.doubleValue ?? .nan }
        let candidates = previousVersions(doc).filter { time($0) <= at }
        return JavaScript.stableSorted(candidates) { time($0) > time($1) }.first.map(storedVersion) ?? .null
    }

    static func deleteUserProfile(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let userId = try args.requiredString("userId")
        let deleted = try await context.database.shard(forShardKey: .string(userId)).write(now: context.now) { scope in
            guard let doc = try lookup(scope, userId, context) else { return false }
            try scope.delete(table, doc.id)
            return true
        }
        return ["deleted": .bool(deleted)]
    }

    static func exists(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        .bool(try find(context, args) != nil)
    }
}
