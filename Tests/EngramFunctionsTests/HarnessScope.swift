import EngramCore
import EngramFunctions
import EngramStorage
import Testing

/// Runs `body` with a fresh catalogue harness and always destroys it afterwards.
func withCatalogue(
    shards: Int = 2, allowPurge: Bool = true, _ body: (CatalogueHarness) async throws -> Void
) async throws {
    let h = try CatalogueHarness(shards: shards, allowPurge: allowPurge)
    do {
        try await body(h)
    } catch {
        await h.destroy()
        throw error
    }
    await h.destroy()
}

extension Value {
    /// The keys of a map value, in order (empty for anything else).
    var keyList: [String] { mapValue.map { Array($0.keys) } ?? [] }

    /// The elements of an array value (empty for anything else).
    var items: [Value] { arrayValue ?? [] }
}

extension CatalogueHarness {
    /// Inserts a raw document into a catalogue table (as another module would have).
    @discardableResult
    func seed(_ table: String, _ fields: ValueMap, now: UInt64? = nil) async throws -> Document {
        try await db.insert(table, fields, now: now ?? fixedNow)
    }

    /// The number of documents in `table`, all shards.
    func count(_ table: String) throws -> Int {
        try db.count(Query(table))
    }
}
