import EngramCore
@testable import EngramStorage
import Testing

/// Applies thousands of random inserts, patches, replaces and deletes both to the store
/// and to an in-memory reference, and compares query results after every step.
@Suite struct ModelBasedIndexTests {
    static let schema = CollectionSchema(
        name: "m", placement: .shardKey("s"),
        indexes: [
            .secondary("by_a", ["a"]),
            .secondary("by_a_b", ["a", "b"]),
            .secondary("by_tags", ["tags"], multiEntry: true),
            .secondary("by_nx", ["n.x"]),
        ],
        versions: .last(2))

    struct Model {
        var docs: [DocumentID: ValueMap] = [:]

        func ids(where predicate: (Document) -> Bool) -> [DocumentID] {
            docs.map { Document(id: $0.key, fields: $0.value) }.filter(predicate).map(\.id).sorted()
        }
    }

    static let aValues: [Value] = [0, 1, .double(1), 2, "x", "y", .null]

    static func randomFields() -> ValueMap {
        var f = ValueMap()
        f["s"] = .string("s\(Int.random(in: 0..<4))")
        if Int.random(in: 0..<6) > 0 { f["a"] = aValues.randomElement()! }
        if Bool.random() { f["b"] = Bool.random() ? .int(Int64.random(in: 0..<6)) : .double(Double(Int.random(in: 0..<12)) / 2) }
        if Bool.random() { f["tags"] = .array((0..<Int.random(in: 0...3)).map { _ in .string("t\(Int.random(in: 0..<4))") }) }
        if Bool.random() { f["n"] = ["x": Bool.random() ? .string("nx\(Int.random(in: 0..<3))") : .int(Int64.random(in: 0..<3))] }
        return f
    }

    @Test func queriesAgreeWithAReferenceModelAfterEveryStep() async throws {
        let t = try TestDatabase(schema: [Self.schema], shards: 2)
        let db = t.db
        var model = Model()
        for step in 0..<2500 {
            let existing = Array(model.docs.keys)
            switch existing.isEmpty ? 0 : Int.random(in: 0..<10) {
            case 0..<4:
                let doc = try await db.insert("m", Self.randomFields())
                model.docs[doc.id] = doc.fields
            case 4..<6:
                let id = existing.randomElement()!
                var ops: [PatchOperation] = []
                let fresh = Self.randomFields()
                for key in ["a", "b", "tags", "n"] where Bool.random() {
                    ops.append(fresh[key].map { .set(FieldPath([key]), $0) } ?? .remove(FieldPath([key])))
                }
                if Bool.random() { ops.append(.set("n.x", .string("nx\(Int.random(in: 0..<3))"))) }
                let patched = try await db.patch("m", id, Patch(ops))
                model.docs[id] = patched.fields
            case 6..<8:
                let id = existing.randomElement()!
                var fresh = Self.randomFields()
                fresh["s"] = model.docs[id]!["s"]  // the shard key cannot change
                try await db.replace("m", id, with: fresh)
                model.docs[id] = fresh
            default:
                let id = existing.randomElement()!
                try await db.delete("m", id)
                model.docs[id] = nil
            }
            try compare(db, model, step: step)
        }
        #expect(try db.check() == [])
        await t.destroy()
    }

    private func compare(_ db: Database, _ model: Model, step: Int) throws {
        let a = Self.aValues.randomElement()!
        let byA = try db.queryAll(Query("m", filter: .eq("a", a), index: .named("by_a"))).map(\.id)
        #expect(byA == model.ids { $0.fields["a"] == a }, "by_a = \(a) at step \(step)")

        let lower: Value = .double(Double(Int.random(in: 0..<6)) / 2)
        let expectedRange = model.docs.map { Document(id: $0.key, fields: $0.value) }
            .filter { $0.fields["a"] == a && ($0.fields["b"].map { $0.isNumber && $0 > lower } ?? false) }
            .sorted { ($0.fields["b"]!, $0.id) < ($1.fields["b"]!, $1.id) }
            .map(\.id)
        let range = try db.queryAll(Query("m", filter: .and([.eq("a", a), .gt("b", lower)]), index: .named("by_a_b"))).map(\.id)
        #expect(range == expectedRange, "by_a_b a = \(a), b > \(lower) at step \(step)")

        let tag: Value = .string("t\(Int.random(in: 0..<4))")
        let tagged = try db.queryAll(Query("m", filter: .contains("tags", tag), index: .named("by_tags"))).map(\.id)
        #expect(tagged == model.ids { $0.lookupAll("tags").contains(tag) }, "tags contains \(tag) at step \(step)")

        let nx: Value = Bool.random() ? .string("nx\(Int.random(in: 0..<3))") : .int(Int64.random(in: 0..<3))
        #expect(try db.count(Query("m", filter: .eq("n.x", nx))) == model.ids { $0.lookup("n.x") == nx }.count)

        if step % 50 == 0 {
            // A paged fan-out scan with a filter no index serves.
            var q = Query("m", filter: .ne("a", a), index: .creationOrder, limit: 7)
            var paged: [DocumentID] = []
            while true {
                let page = try db.query(q)
                paged += page.documents.map(\.id)
                guard let c = page.cursor else { break }
                q.cursor = c
            }
            #expect(paged == model.ids { $0.fields["a"] != a }, "scan a != \(a) at step \(step)")
        }
    }
}
