import EngramCore
import EngramFunctions
import EngramStorage
import Testing

extension CatalogueHarness {
    /// Stores a memory through `memories:store` (raw, system, importance 50, no tags
    /// unless `extra` says otherwise), at `now` when given.
    @discardableResult
    func storeMemory(
        _ space: String, _ content: String, at now: UInt64? = nil, _ extra: ValueMap = [:], caller: Caller = .unbound
    ) async throws -> Value {
        if let now { fixedNow = now }
        var args: ValueMap = [
            "memorySpaceId": .string(space), "content": .string(content), "contentType": "raw", "sourceType": "system",
            "importance": 50, "tags": [],
        ]
        for (k, v) in extra { args[k] = v }
        return try await call("memories:store", args, caller: caller)
    }

    /// The stored memory document of the first memory with this id (any space), or nil.
    func memory(_ memoryId: Value?) throws -> Value? {
        try db.queryAll(Query("memories", filter: .eq("memoryId", memoryId ?? .null))).first?.value
    }

    /// The `memoryId`s of an array of memory documents returned by `name`.
    func memoryIds(_ name: String, _ args: ValueMap, caller: Caller = .unbound) async throws -> [Value?] {
        try await call(name, args, caller: caller).items.map { $0["memoryId"] }
    }
}

/// The keys a freshly stored memory has when only the required arguments are given.
let requiredMemoryKeys = [
    "_id", "_creationTime", "memoryId", "memorySpaceId", "content", "contentType", "sourceType", "sourceTimestamp",
    "importance", "tags", "version", "previousVersions", "createdAt", "updatedAt", "accessCount",
]
