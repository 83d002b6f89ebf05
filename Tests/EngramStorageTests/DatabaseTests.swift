import EngramCore
import EngramStorage
import Testing

@Suite struct DatabaseTests {
    static let people = CollectionSchema(
        name: "people", placement: .shardKey("team"),
        indexes: [
            .secondary("by_team", ["team"]),
            .secondary("by_team_age", ["team", "age"]),
            .secondary("by_tags", ["tags"], multiEntry: true),
            .secondary("by_city", ["address.city"]),
        ],
        versions: .all)

    @Test func insertGetPatchDeleteKeepIndexesExact() async throws {
        let t = try TestDatabase(schema: [Self.people])
        let db = t.db
        let a = try await db.insert("people", ["team": "red", "age": 30, "tags": ["x", "y"], "address": ["city": "Oslo"]])
        let b = try await db.insert("people", ["team": "red", "age": 25, "tags": ["y"]])
        _ = try await db.insert("people", ["team": "blue", "age": 40])
        #expect(try db.get("people", a.id)?.fields["age"] == 30)
        #expect(a.value["_id"] == .string(a.id.description))

        let red = try db.query(Query("people", filter: .eq("team", "red"), index: .named("by_team_age")))
        #expect(red.documents.map(\.id) == [b.id, a.id])
        let young = try db.query(Query("people", filter: .and([.eq("team", "red"), .lt("age", 28)])))
        #expect(young.documents.map(\.id) == [b.id])
        let tagged = try db.query(Query("people", filter: .contains("tags", "y")))
        #expect(Set(tagged.documents.map(\.id)) == [a.id, b.id])
        #expect(try db.count(Query("people", filter: .eq("address.city", "Oslo"))) == 1)

        try await db.patch("people", a.id, Patch([.set("address.city", "Bergen"), .remove("tags")]))
        #expect(try db.count(Query("people", filter: .eq("address.city", "Oslo"))) == 0)
        #expect(try db.count(Query("people", filter: .contains("tags", "y"))) == 1)
        #expect(try db.versions("people", a.id).count == 1)

        try await db.delete("people", b.id)
        #expect(try db.get("people", b.id) == nil)
        #expect(try db.check() == [])
        await t.destroy()
    }

    @Test func pagesAreFullAndCursorsResume() async throws {
        let t = try TestDatabase(schema: [Self.people], shards: 3)
        for i in 0..<50 {
            try await t.db.insert("people", ["team": .string(i % 2 == 0 ? "red" : "blue"), "age": .int(Int64(i))])
        }
        var q = Query("people", filter: .eq("team", "red"), sort: [.init("age", descending: true)], limit: 7)
        var ages: [Int64] = []
        while true {
            let page = try t.db.query(q)
            #expect(page.documents.count == 7 || page.cursor == nil)
            ages += page.documents.compactMap { $0.fields["age"]?.int64Value }
            guard let c = page.cursor else { break }
            q.cursor = c
        }
        #expect(ages == stride(from: 48, through: 0, by: -2).map { Int64($0) })

        // Fan-out in creation order across shards, filtered before the limit.
        var all = Query("people", filter: .ge("age", 10), index: .creationOrder, limit: 9)
        var seen: [Int64] = []
        while true {
            let page = try t.db.query(all)
            seen += page.documents.compactMap { $0.fields["age"]?.int64Value }
            guard let c = page.cursor else { break }
            all.cursor = c
        }
        #expect(seen == Array(10..<50))
        await t.destroy()
    }
}
