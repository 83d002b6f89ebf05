import EngramCore
import EngramStorage

/// The `immutable` table: lookups, version views and history retention shared by
/// every `immutable:*` function.
///
/// The table is sharded by the record's `id`, so every document of one (type, id)
/// lives in one shard and a store, purge or trim is one transaction there.
enum ImmutableRecord {
    static let table = "immutable"
    static let notFound = EngramError.coded("IMMUTABLE_ENTRY_NOT_FOUND")

    /// The shard holding the records with logical id `id`.
    static func shard(_ ctx: FunctionContext, id: String) -> Shard {
        ctx.database.shard(forShardKey: .string(id))
    }

    /// The tenant lookup rule: with a tenant, the oldest record of (tenant, type, id);
    /// without one, the oldest *global* record of (type, id). (The reference examines
    /// only the oldest record of any tenant and reports "not found" if it is a
    /// tenant's; see Operations.md.)
    static func lookup(_ reader: some TableReader, type: String, id: String, tenantId: String?) throws -> Document? {
        if let tenantId {
            return try reader.first(table, index: "by_tenant_type_id", [.string(tenantId), .string(type), .string(id)], where: nil)
        }
        return try reader.first(table, index: "by_type_id", [.string(type), .string(id)], where: .tenantless)
    }

    /// The oldest record of (type, id) of any tenant the caller sees (for the
    /// functions without a tenant argument).
    static func anyTenant(_ ctx: FunctionContext, _ reader: some TableReader, type: String, id: String) throws -> Document? {
        try reader.first(table, index: "by_type_id", [.string(type), .string(id)], where: ctx.visibility)
    }

    /// A version view: type, id, version, data, userId?, metadata?, timestamp, createdAt,
    /// with unset keys left out.
    static func view(_ record: ValueMap, version: Value?, data: Value?, metadata: Value?, timestamp: Value?) -> Value {
        var v = ValueMap()
        v["type"] = record["type"]
        v["id"] = record["id"]
        v["version"] = version
        v["data"] = data
        v["userId"] = record["userId"]
        v["metadata"] = metadata
        v["timestamp"] = timestamp
        v["createdAt"] = record["createdAt"]
        return .map(v)
    }

    /// The view of the current version (its timestamp is `updatedAt`).
    static func currentView(_ record: ValueMap) -> Value {
        view(record, version: record["version"], data: record["data"], metadata: record["metadata"], timestamp: record["updatedAt"])
    }

    /// The view of one `previousVersions` entry.
    static func previousView(_ record: ValueMap, _ entry: Value) -> Value {
        let e = entry.mapValue ?? [:]
        return view(record, version: e["version"], data: e["data"], metadata: e["metadata"], timestamp: e["timestamp"])
    }

    /// The retained prior versions, oldest first.
    static func previousVersions(_ record: ValueMap) -> [Value] { record.array("previousVersions") ?? [] }

    /// `versions` trimmed to the newest `retention` entries (all when nil).
    static func retained(_ versions: [Value], _ retention: Int?) -> [Value] {
        guard let retention, versions.count > retention else { return versions }
        return Array(versions.suffix(max(0, retention)))
    }

    /// How many versions a record holds: its retained prior versions plus the current one.
    static func versionCount(_ record: ValueMap) -> Double { Double(previousVersions(record).count + 1) }
}
