import EngramCore
import EngramStorage
@testable import EngramText
import Foundation
import Testing

@Suite struct TextIndexTests {
    @Test func updatesAndDeletesAreVisibleAtOnce() async throws {
        try await withTextDatabase([notesSchema()]) { db in
            let a = try await db.insert("notes", ["space": "s", "body": "apples and pears"])
            let b = try await db.insert("notes", ["space": "s", "body": "pears only"])
            #expect(try search(db, "apples").map(\.document.id) == [a.id])
            try await db.replace("notes", a.id, with: ["space": "s", "body": "bananas now"])
            #expect(try search(db, "apples").isEmpty)
            #expect(try search(db, "bananas").map(\.document.id) == [a.id])
            #expect(try search(db, "pears").map(\.document.id) == [b.id])
            try await db.patch("notes", b.id, Patch(set: ["body": "pears pears pears"]))
            #expect(try search(db, "pears").first?.body == "pears pears pears")
            try await db.patch("notes", b.id, Patch(remove: ["body"]))  // no text: leaves the index
            #expect(try search(db, "pears").isEmpty)
            try await db.patch("notes", b.id, Patch(set: ["body": .int(5)]))  // not a string: not indexed
            #expect(try search(db, "5").isEmpty)
            try await db.delete("notes", a.id)
            #expect(try search(db, "bananas").isEmpty)
            #expect(try db.check() == [])
            // Statistics follow: one document with text left after re-adding one.
            try await db.patch("notes", b.id, Patch(set: ["body": "kiwi"]))
            let hits = try search(db, "kiwi")
            #expect(abs(hits[0].score - log(1 + 0.5 / 1.5) * 1 / (1 + 1.2)) < 1e-12)
            #expect(try db.check() == [])
        }
    }

    @Test func filtersAreExactAndCompleteAgainstAReference() async throws {
        var rng = SystemRandomNumberGenerator()
        let words = ["red", "green", "blue", "cyan", "magenta", "yellow", "black", "white", "grey", "brown", "blueberry", "bluish"]
        try await withTextDatabase([notesSchema()], shards: 3) { db in
            var docs: [(id: DocumentID, terms: [[UInt8]], fields: ValueMap)] = []
            let tokenizer = Tokenizer()
            for i in 0..<400 {
                let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in words.randomElement(using: &rng) ?? "" }.joined(separator: " ")
                var fields: ValueMap = ["space": .string("s\(Int.random(in: 0..<4, using: &rng))"), "body": .string(text)]
                if i % 5 != 0 { fields["kind"] = .int(Int64.random(in: 0..<3, using: &rng)) }
                let d = try await db.insert("notes", fields)
                docs.append((d.id, tokenizer.terms(text), fields))
            }
            // Delete and rewrite some, keeping the reference in step.
            for k in stride(from: 0, to: 400, by: 9) {
                try await db.delete("notes", docs[k].id)
            }
            docs = docs.enumerated().filter { $0.offset % 9 != 0 }.map(\.element)
            for k in stride(from: 1, to: docs.count, by: 7) {
                var fields = docs[k].fields
                fields["body"] = .string("blue blue \(words[k % words.count])")
                try await db.replace("notes", docs[k].id, with: fields)
                docs[k] = (docs[k].id, tokenizer.terms(fields["body"]?.stringValue ?? ""), fields)
            }
            let reference = ReferenceBM25(tokenizer: tokenizer, docs: docs)
            let filters: [Predicate?] = [
                nil, .eq("space", "s1"), .and([.eq("space", "s2"), .eq("kind", 1)]), .eq("kind", 2),
                .isIn("space", ["s0", "s3"]), .and([.eq("space", "s0"), .not(.exists("kind"))]),
                .or([.eq("kind", 0), .eq("space", "s3")]), .and([.eq("space", "s1"), .ne("kind", 1)]),
            ]
            for filter in filters {
                for q in ["blue", "red green", "white black grey", "blu", "nothing", "yellow blue red"] {
                    for prefix in [false, true] {
                        let expected = reference.ranked(q, filter: { f in filter?.matches(Document(id: docs[0].id, fields: f)) ?? true }, prefixLast: prefix)
                        let all = try search(db, q, filter: filter, limit: 1000, prefix: prefix)
                        #expect(all.allSatisfy { filter?.matches($0.document) ?? true }, "a hit violates \(String(describing: filter))")
                        #expect(all.map(\.document.id) == expected.map(\.id), "\(q) \(prefix) \(String(describing: filter))")
                        for (hit, e) in zip(all, expected) { #expect(abs(hit.score - e.score) < 1e-9) }
                        for limit in [1, 3, 10] {
                            let top = try search(db, q, filter: filter, limit: limit, prefix: prefix)
                            let exhaustive = try search(db, q, filter: filter, limit: limit, prefix: prefix, pruning: false)
                            #expect(top.map(\.document.id) == Array(expected.prefix(limit)).map(\.id))
                            #expect(top.map(\.document.id) == exhaustive.map(\.document.id))
                            #expect(top.map(\.score) == exhaustive.map(\.score))
                        }
                    }
                }
            }
            #expect(try db.check() == [])
        }
    }

    @Test func prefixLastTermAndTieOrder() async throws {
        try await withTextDatabase([notesSchema(tokenizer: .catalogue)]) { db in
            let a = try await db.insert("notes", ["space": "s", "body": "Teapots are great"])
            let b = try await db.insert("notes", ["space": "s", "body": "tea time"])
            let c = try await db.insert("notes", ["space": "s", "body": "coffee time"])
            let d = try await db.insert("notes", ["space": "t", "body": "teaching"])
            #expect(try search(db, "tea").map(\.document.id) == [b.id])
            #expect(Set(try search(db, "tea", prefix: true).map(\.document.id)) == [a.id, b.id, d.id])
            #expect(Set(try search(db, "te", filter: .eq("space", "s"), prefix: true).map(\.document.id)) == [a.id, b.id])
            #expect(Set(try search(db, "tea coff", prefix: true).map(\.document.id)) == [b.id, c.id])
            #expect(try search(db, "te coffee", prefix: true).map(\.document.id) == [c.id])
            #expect(try search(db, "", prefix: true).isEmpty)
            #expect(try search(db, " !? ", prefix: true).isEmpty)
            // Equal scores (same text, same length): newest first.
            let e = try await db.insert("notes", ["space": "s", "body": "coffee time"])
            #expect(try search(db, "coffee").map(\.document.id) == [e.id, c.id])
            #expect(try search(db, "time", filter: .eq("space", "s"), limit: 2).map(\.document.id) == [e.id, c.id])
            // Expansion is bounded: the first expansions in byte order.
            let bounded = try db.textSearch(
                TextQuery(collection: "notes", index: "by_body", text: "te", limit: 10, prefixLastTerm: true, maxPrefixExpansions: 1))
            #expect(bounded.map(\.document.id) == [b.id])  // "tea" < "teaching" < "teapots"
        }
    }

    @Test func queryTermsAreCapped() async throws {
        try await withTextDatabase([notesSchema()]) { db in
            let x = try await db.insert("notes", ["space": "s", "body": "zulu"])
            let words = (0..<16).map { "w\($0)" }.joined(separator: " ")
            #expect(try search(db, words + " zulu").isEmpty)  // the 17th term is ignored
            #expect(try search(db, "w1 w1 w1 zulu").map(\.document.id) == [x.id])  // repeats count once
        }
    }

    @Test func badInputIsRejectedWithStableCodes() async throws {
        let plain = CollectionSchema(name: "plain", indexes: [.secondary("by_a", ["a"])])
        try await withTextDatabase([notesSchema(), plain]) { db in
            func code(_ q: TextQuery) -> String? {
                do { _ = try db.textSearch(q); return nil } catch let e as EngramError { return e.code.rawValue } catch { return "?" }
            }
            #expect(code(TextQuery(collection: "nope", index: "by_body", text: "x", limit: 1)) == "COLLECTION_NOT_FOUND")
            #expect(code(TextQuery(collection: "notes", index: "nope", text: "x", limit: 1)) == "INDEX_NOT_FOUND")
            #expect(code(TextQuery(collection: "plain", index: "by_a", text: "x", limit: 1)) == "WRONG_INDEX_KIND")
            #expect(code(TextQuery(collection: "notes", index: "by_body", text: "x", limit: 0)) == "INVALID_ARGUMENT")
            #expect(code(TextQuery(collection: "notes", index: "by_body", text: "x", limit: 10_001)) == "INVALID_ARGUMENT")
            #expect(code(TextQuery(collection: "notes", index: "by_body", text: "x", limit: 5, maxTerms: 0)) == "INVALID_ARGUMENT")
            #expect(
                code(TextQuery(collection: "notes", index: "by_body", text: "x", filter: .eq("other", 1), limit: 5)) == "INVALID_ARGUMENT")
        }
        let badOptions = CollectionSchema(
            name: "bad", indexes: [IndexDefinition(name: "t", kind: "text", fields: ["body"], options: ["k1": -1])])
        #expect(throws: EngramError.self) { try TextTestDatabase(schema: [badOptions]) }
        let unknown = CollectionSchema(
            name: "bad", indexes: [IndexDefinition(name: "t", kind: "text", fields: ["body"], options: ["stem": true])])
        #expect(throws: EngramError.self) { try TextTestDatabase(schema: [unknown]) }
    }

    @Test func checkReportsDisagreements() async throws {
        try await withTextDatabase([notesSchema()], shards: 1) { db in
            let a = try await db.insert("notes", ["space": "s", "body": "one two three"])
            try await db.insert("notes", ["space": "s", "body": "two three four"])
            #expect(try db.check() == [])
            let shard = db.shards[0]
            guard let index = try shard.collection("notes").slot(named: "by_body")?.index as? TextIndex else {
                Issue.record("no text index")
                return
            }
            // Drop the posting of "one" for document a, and a df entry.
            try await shard.write { scope in
                let partition = TextIndexLayout.partition("s", hasFilterFields: true).key
                let prefix = TextIndexLayout.termPrefix(partition: partition, term: Array("one".utf8))
                try PostingLists(database: index.postings).remove(prefix: prefix, doc: 0, in: scope.transaction)
                try scope.transaction.delete(index.stats, TextIndexLayout.dfKey(Array("four".utf8)))
            }
            let problems = try db.check()
            #expect(problems.contains { $0.contains("document \(a.id): posting of 'one' missing or wrong") })
            #expect(problems.contains { $0.contains("df of term 'one' is") || $0.contains("df of term 'four' is missing") })
            #expect(problems.contains { $0.contains("df of term 'four' is missing") })
        }
    }

    @Test func indexIsBuiltOnlineForExistingDocuments() async throws {
        let path = NSTemporaryDirectory() + "engram-text-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = StorageOptions()
        options.shardCount = 2
        options.environment.durable = false
        options.indexFactories = [TextIndex.factory]
        let bare = CollectionSchema(name: "notes", placement: .shardKey("space"))
        var db = try Database.open(at: path, schema: [bare], options: options)
        for i in 0..<1200 { try await db.insert("notes", ["space": .string("s\(i % 2)"), "body": .string("item \(i) common")]) }
        await db.close()
        options.buildIndexesInBackground = false
        db = try Database.open(at: path, schema: [notesSchema()], options: options)
        #expect(throws: EngramError.self) { try search(db, "common") }  // INDEX_NOT_READY
        try await db.buildIndexes()
        #expect(try search(db, "common", limit: 2000).count == 1200)
        #expect(try search(db, "1199").count == 1)
        #expect(try db.check() == [])
        await db.close()
    }
}
