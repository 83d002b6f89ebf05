import EngramCore
import EngramFunctions
import EngramStorage
import Testing

/// Shared helpers for the module tests.
extension CatalogueHarness {
    /// The "now" every call of a module test uses unless it sets another.
    static let now: UInt64 = 1_700_000_000_000

    /// Runs `body` with a fresh two-shard database (purges allowed, fixed clock) and
    /// deletes it afterwards, also when `body` throws.
    static func with(shards: Int = 2, _ body: (CatalogueHarness) async throws -> Void) async throws {
        let h = try CatalogueHarness(shards: shards)
        h.fixedNow = now
        do {
            try await body(h)
        } catch {
            await h.destroy()
            throw error
        }
        await h.destroy()
    }

    /// Every document of `table`, across shards, in creation order.
    func documents(_ table: String) throws -> [Document] {
        try db.queryAll(Query(table, index: .creationOrder))
    }

    /// Two namespace/space names whose documents live in different shards.
    func namesInDifferentShards(_ prefix: String) -> (String, String) {
        let first = prefix + "-0"
        let home = db.router.shard(forShardKey: .string(first))
        for i in 1..<1000 where db.router.shard(forShardKey: .string("\(prefix)-\(i)")) != home {
            return (first, "\(prefix)-\(i)")
        }
        Issue.record("no second shard found")
        return (first, first)
    }
}

/// The keys of a returned object.
func keys(_ v: Value?) -> Set<String> {
    Set(v?.mapValue?.keys ?? [])
}

/// The elements of a returned array.
func items(_ v: Value?) -> [Value] {
    v?.arrayValue ?? []
}

/// The strings at `key` of each element of a returned array.
func strings(_ v: Value?, _ key: String) -> [String] {
    items(v).compactMap { $0[key]?.stringValue }
}

/// `base` with the keys of `changes` set (added or replaced).
func merged(_ base: ValueMap, _ changes: ValueMap) -> ValueMap {
    var out = base
    for (k, v) in changes { out[k] = v }
    return out
}
