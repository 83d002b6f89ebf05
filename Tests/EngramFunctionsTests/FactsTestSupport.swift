import EngramCore
import EngramFunctions
import EngramStorage
import Testing

extension CatalogueHarness {
    /// Stores a fact through `facts:store` (knowledge, confidence 80, manual, no tags
    /// unless `extra` says otherwise), at `now` when given.
    @discardableResult
    func storeFact(
        _ space: String, _ text: String, at now: UInt64? = nil, _ extra: ValueMap = [:], caller: Caller = .unbound
    ) async throws -> Value {
        if let now { fixedNow = now }
        var args: ValueMap = [
            "memorySpaceId": .string(space), "fact": .string(text), "factType": "knowledge", "confidence": 80,
            "sourceType": "manual", "tags": [],
        ]
        for (k, v) in extra { args[k] = v }
        return try await call("facts:store", args, caller: caller)
    }

    /// The whole fact document of the first fact with this id (any space), or nil.
    func fact(_ factId: Value?) throws -> Value? {
        let docs = try db.queryAll(Query("facts", filter: .eq("factId", factId ?? .null)))
        return docs.first?.value
    }

    /// The `factId`s of an array of fact documents.
    func ids(_ name: String, _ args: ValueMap, caller: Caller = .unbound) async throws -> [Value?] {
        try await call(name, args, caller: caller).items.map { $0["factId"] }
    }
}

extension Value {
    /// Whether this is a logical id `<prefix>-<now>-<9 chars of [0-9a-z]>`.
    func isLogicalID(prefix: String, now: UInt64) -> Bool {
        guard let s = stringValue, s.hasPrefix("\(prefix)-\(now)-") else { return false }
        let suffix = s.dropFirst("\(prefix)-\(now)-".count)
        return suffix.count == 9 && suffix.allSatisfy { $0.isNumber || ("a"..."z").contains($0) }
    }
}
