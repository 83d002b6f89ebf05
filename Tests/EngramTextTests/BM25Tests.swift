import EngramCore
import EngramStorage
import EngramText
import Foundation
import Testing

@Suite struct BM25Tests {
    /// Three documents; N = 3, total length 10, avgdl = 10/3.
    func seed(_ db: Database) async throws -> [Document] {
        var docs: [Document] = []
        for text in ["the quick brown fox", "the lazy dog", "quick quick dog"] {
            docs.append(try await db.insert("notes", ["space": "s", "body": .string(text)]))
        }
        return docs
    }

    @Test func scoresEqualHandComputedValues() async throws {
        try await withTextDatabase([notesSchema()]) { db in
            let d = try await seed(db)
            // quick: df 2, idf = ln(1 + 1.5/2.5) = ln 1.6.
            // d1: tf 1, dl 4: 1 / (1 + 1.2 (0.25 + 0.75 · 4 / (10/3))) = 1 / 2.38
            // d3: tf 2, dl 3: 2 / (2 + 1.2 (0.25 + 0.75 · 0.9)) = 2 / 3.11
            let quick = try search(db, "quick")
            #expect(quick.map(\.document.id) == [d[2].id, d[0].id])
            #expect(abs(quick[0].score - log(1.6) * 2 / 3.11) < 1e-12)
            #expect(abs(quick[1].score - log(1.6) / 2.38) < 1e-12)

            // fox: df 1, idf = ln(1 + 2.5/1.5) = ln(8/3); dog: idf ln 1.6, dl 3 → 1 / 2.11.
            let hits = try search(db, "dog fox")
            #expect(hits.map(\.document.id) == [d[0].id, d[2].id, d[1].id])  // d2, d3 tie: newer first
            #expect(abs(hits[0].score - log(8.0 / 3) / 2.38) < 1e-12)
            #expect(abs(hits[1].score - log(1.6) / 2.11) < 1e-12)
            #expect(hits[1].score == hits[2].score)

            // Both terms in one document add up; unknown terms add nothing.
            let both = try search(db, "quick dog zebra")
            #expect(both.first?.document.id == d[2].id)
            #expect(abs(both[0].score - (log(1.6) * 2 / 3.11 + log(1.6) / 2.11)) < 1e-12)
        }
    }

    @Test func parametersComeFromTheDeclaration() async throws {
        let schema = CollectionSchema(
            name: "notes", placement: .shardKey("space"),
            indexes: [TextIndex.definition("by_body", text: "body", filters: ["space"], bm25: BM25Parameters(k1: 2, b: 0))])
        try await withTextDatabase([schema]) { db in
            _ = try await seed(db)
            // b = 0: no length normalisation; k1 = 2: tf / (tf + 2).
            let hits = try search(db, "quick")
            #expect(abs(hits[0].score - log(1.6) * 2 / 4) < 1e-12)
            #expect(abs(hits[1].score - log(1.6) / 3) < 1e-12)
        }
    }

    @Test func scoresDoNotDependOnTheShardCount() async throws {
        var rng = SystemRandomNumberGenerator()
        let vocabulary = (0..<40).map { "w\($0)" }
        let texts = (0..<300).map { _ in
            (0..<Int.random(in: 1...12, using: &rng)).map { _ in vocabulary[Int(Double(vocabulary.count) * pow(Double.random(in: 0..<1, using: &rng), 2))] }
                .joined(separator: " ")
        }
        let queries = ["w0", "w1 w7", "w3 w12 w30", "w39 w2", "w1"]
        var results: [[[String]]] = []
        var scores: [[[Double]]] = []
        for shards in [1, 4] {
            try await withTextDatabase([notesSchema(placement: .byID)], shards: shards) { db in
                for (i, t) in texts.enumerated() { try await db.insert("notes", ["space": .string("s\(i % 3)"), "body": .string(t)]) }
                var r: [[String]] = [], s: [[Double]] = []
                for q in queries {
                    for filter in [nil, Predicate.eq("space", "s1")] {
                        let hits = try search(db, q, filter: filter, limit: 20)
                        r.append(hits.map(\.body))
                        s.append(hits.map(\.score))
                    }
                }
                results.append(r)
                scores.append(s)
            }
        }
        #expect(results[0] == results[1])
        #expect(scores[0] == scores[1])  // bitwise equal
    }
}
