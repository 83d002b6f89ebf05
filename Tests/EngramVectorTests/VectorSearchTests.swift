import EngramCore
import EngramStorage
import EngramVector
import Testing

/// Search quality and exactness: HNSW recall against exact search, filters, partitions,
/// dimensions and shard counts.
@Suite struct VectorSearchTests {
    @Test func smallPartitionsAreSearchedExactly() async throws {
        try await withVectorDatabase([itemsSchema(threshold: 10_000)]) { t in
            var data = ClusteredVectors(dimension: 16, centres: 8, seed: 1)
            let vectors = (0..<300).map { _ in data.next() }
            try await insert(t.db, vectors)
            for _ in 0..<20 {
                let q = data.next()
                let hits = try search(t.db, q, k: 10)
                let exact = try search(t.db, q, k: 10, exact: true)
                #expect(hits.map(\.document.id) == exact.map(\.document.id))
                // Scores are cosine similarities, best first.
                #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
                let best = hits[0].document.fields["v"]!.vectorValue!
                #expect(abs(hits[0].score - cosine(q, best)) < 1e-4)
            }
        }
    }

    @Test func hnswRecallIsAtLeast95PercentOfExact() async throws {
        try await withVectorDatabase([itemsSchema(threshold: 300)]) { t in
            var data = ClusteredVectors(dimension: 32, centres: 40, seed: 2)
            try await insert(t.db, (0..<3000).map { _ in data.next() })
            try await t.db.settleVectorIndexes()
            var total = 0.0
            for _ in 0..<100 {
                let q = data.next()
                total += recall(try search(t.db, q, k: 10), try search(t.db, q, k: 10, exact: true))
            }
            #expect(total / 100 >= 0.95, "recall@10 \(total / 100)")
            #expect(try t.db.check() == [])
        }
    }

    @Test func everyResultSatisfiesTheFilterOnBothPaths() async throws {
        try await withVectorDatabase([itemsSchema(threshold: 300)]) { t in
            var data = ClusteredVectors(dimension: 16, centres: 20, seed: 3)
            try await insert(t.db, (0..<2000).map { _ in data.next() })
            try await t.db.settleVectorIndexes()
            var g = SeededGenerator(seed: 33)
            for round in 0..<60 {
                let filter = randomFilter(&g)
                let q = data.next()
                let approximate = try search(t.db, q, k: 10, filter: filter)
                let exact = try search(t.db, q, k: 10, filter: filter, exact: true)
                for hit in approximate + exact {
                    #expect(filter.matches(hit.document), "round \(round): \(hit.document.fields) fails \(filter)")
                }
                // Both paths draw from the same allowed set: with enough of it, the graph
                // finds nearly what the scan finds; a selective filter is exact.
                #expect(recall(approximate, exact) >= 0.7, "round \(round): \(filter)")
                let allowed = try t.db.queryAll(Query("items", filter: .and([.compare("space", .equal, "a"), filter]))).count
                #expect(exact.count == min(10, allowed))
            }
            // A filter keeping 1% (one tag and one kind of 2000: ~67 nodes) is answered exactly.
            let narrow = Predicate.and([.compare("tag", .equal, 7), .compare("kind", .equal, 1)])
            for _ in 0..<10 {
                let q = data.next()
                #expect(try search(t.db, q, filter: narrow).map(\.document.id) == search(t.db, q, filter: narrow, exact: true).map(\.document.id))
            }
        }
    }

    @Test func partitionsAndDimensionsAreSeparate() async throws {
        try await withVectorDatabase([itemsSchema(threshold: 50)]) { t in
            var data = ClusteredVectors(dimension: 8, centres: 4, seed: 4)
            let a = try await insert(t.db, (0..<100).map { _ in data.next() }, space: "a")
            let b = try await insert(t.db, (0..<100).map { _ in data.next() }, space: "b")
            try await t.db.insert("items", ["space": "a", "v": .vector([1, 0, 0, 0])])  // another dimension
            try await t.db.settleVectorIndexes()
            let q = data.next()
            #expect(Set(try search(t.db, q, k: 100, space: "a").map(\.document.id)) == Set(a))
            #expect(Set(try search(t.db, q, k: 100, space: "b").map(\.document.id)) == Set(b))
            #expect(Set(try search(t.db, q, k: 1000, space: nil).map(\.document.id)) == Set(a + b))
            let four = try search(t.db, [0.5, 0.5, 0, 0], k: 10, space: "a")
            #expect(four.count == 1)
            #expect(abs(four[0].score - Float(0.5).squareRoot()) < 1e-5)
        }
    }

    @Test func resultsAreTheSameWithOneAndFourShards() async throws {
        var data = ClusteredVectors(dimension: 16, centres: 10, seed: 5)
        let vectors = (0..<500).map { _ in data.next() }
        let queries = (0..<10).map { _ in data.next() }
        var answers: [[[Int64]]] = []
        for shards in [1, 4] {
            try await withVectorDatabase([itemsSchema(threshold: 10_000, placement: .byID)], shards: shards) { t in
                try await insert(t.db, vectors)
                answers.append(try queries.map { q in try search(t.db, q, k: 10, space: nil).map { $0.document.fields["n"]!.int64Value! } })
            }
        }
        #expect(answers[0] == answers[1])
    }

    @Test func metricsOrderAsDocumented() async throws {
        for metric in [VectorMetric.dot, .l2] {
            try await withVectorDatabase([itemsSchema(metric: metric)]) { t in
                try await insert(t.db, [[1, 0], [3, 0], [0, 2]])
                let hits = try search(t.db, [1, 0], k: 3)
                let ns = hits.map { $0.document.fields["n"]!.int64Value! }
                if metric == .dot {
                    #expect(ns == [1, 0, 2])
                    #expect(hits.map(\.score) == [3, 1, 0])
                } else {
                    #expect(ns == [0, 1, 2])
                    #expect(hits.map(\.score) == [0, -4, -5])
                }
            }
        }
    }

    @Test func badVectorsAreRejectedWithAClearCode() async throws {
        try await withVectorDatabase([itemsSchema()]) { t in
            for bad: Value in [.vector([1, .nan]), .vector([0, 0, 0]), .vector([Float](repeating: 1, count: 4097)), .vector([]), "text"] {
                await #expect(throws: EngramError.self) { try await t.db.insert("items", ["space": "a", "v": bad]) }
                do {
                    _ = try await t.db.insert("items", ["space": "a", "v": bad])
                } catch let e as EngramError {
                    #expect(e.code == .invalidVector)
                    #expect(e.message.contains("'v'"))
                }
            }
            #expect(throws: EngramError.self) { try search(t.db, [0, 0]) }
            #expect(throws: EngramError.self) { try search(t.db, [1, .infinity]) }
            #expect(throws: EngramError.self) { try search(t.db, [1, 0], k: 0) }
            #expect(throws: EngramError.self) { try search(t.db, [1, 0], filter: .compare("n", .equal, 1)) }  // n is not a filter field
            #expect(try t.db.queryAll(Query("items")).isEmpty)
        }
    }

    private func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in a.indices {
            dot += a[i] * b[i]
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    private func randomFilter(_ g: inout SeededGenerator) -> Predicate {
        let tag = Value.int(Int64.random(in: 0..<10, using: &g))
        let kind = Value.int(Int64.random(in: 0..<3, using: &g))
        switch Int.random(in: 0..<6, using: &g) {
        case 0: return .compare("tag", .equal, tag)
        case 1: return .isIn("tag", [tag, .int(Int64.random(in: 0..<10, using: &g))])
        case 2: return .and([.compare("tag", .equal, tag), .compare("kind", .equal, kind)])
        case 3: return .compare("tag", .less, tag)
        case 4: return .not(.compare("kind", .equal, kind))
        default: return .or([.compare("tag", .equal, tag), .compare("kind", .greater, kind)])
        }
    }
}
