import EngramCore
import EngramStorage
import EngramVector
import Testing

/// The index over time: reopening, updates, deletes and their repair.
@Suite struct VectorDurabilityTests {
    @Test func graphSurvivesReopenWithoutRebuilding() async throws {
        try await withVectorDatabase([itemsSchema(threshold: 200)]) { t in
            var data = ClusteredVectors(dimension: 16, centres: 10, seed: 10)
            try await insert(t.db, (0..<1000).map { _ in data.next() })
            try await t.db.settleVectorIndexes()
            let queries = (0..<20).map { _ in data.next() }
            let before = try queries.map { try search(t.db, $0).map(\.document.id) }
            try await t.reopen()
            #expect(try t.db.check() == [])
            // The first searches may scan while the graph loads; after settling they use it.
            try await t.db.settleVectorIndexes()
            let exact = try queries.map { try search(t.db, $0, exact: true).map(\.document.id) }
            let after = try queries.map { try search(t.db, $0).map(\.document.id) }
            var total = 0.0
            for i in queries.indices { total += Double(Set(after[i]).intersection(exact[i]).count) / 10 }
            #expect(total / 20 >= 0.95)
            #expect(Set(before.joined()).count > 0)
        }
    }

    @Test func updatesMoveVectorsAndFilterValues() async throws {
        try await withVectorDatabase([itemsSchema(threshold: 100)]) { t in
            var data = ClusteredVectors(dimension: 8, centres: 5, seed: 11)
            let ids = try await insert(t.db, (0..<300).map { _ in data.next() })
            try await t.db.settleVectorIndexes()
            let target: [Float] = [9, 9, 9, 9, 9, 9, 9, 9]
            try await t.db.patch("items", ids[5], Patch(set: ["v": .vector(target), "tag": 42]))
            let hit = try search(t.db, target, k: 1)
            #expect(hit.first?.document.id == ids[5])
            #expect(try search(t.db, target, k: 5, filter: .compare("tag", .equal, 42)).map(\.document.id) == [ids[5]])
            // Only a filter value changes: the vector stays where it is.
            try await t.db.patch("items", ids[5], Patch(set: ["tag": 43]))
            #expect(try search(t.db, target, k: 5, filter: .compare("tag", .equal, 43)).map(\.document.id) == [ids[5]])
            #expect(try search(t.db, target, k: 5, filter: .compare("tag", .equal, 42)).isEmpty)
            // Removing the vector takes the document out of the index.
            try await t.db.patch("items", ids[5], Patch(remove: ["v"]))
            #expect(try search(t.db, target, k: 1).first?.document.id != ids[5])
            try await t.db.settleVectorIndexes()
            #expect(try t.db.check() == [])
        }
    }

    @Test func recallHoldsAfterDeletingHalfAndInsertingMore() async throws {
        try await withVectorDatabase([itemsSchema(threshold: 300)]) { t in
            var data = ClusteredVectors(dimension: 24, centres: 30, seed: 12)
            let ids = try await insert(t.db, (0..<3000).map { _ in data.next() })
            try await t.db.settleVectorIndexes()
            var g = SeededGenerator(seed: 120)
            let doomed = ids.shuffled(using: &g).prefix(1500)
            let db = t.db
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in doomed { group.addTask { try await db.delete("items", id) } }
                try await group.waitForAll()
            }
            try await insert(t.db, (0..<1500).map { _ in data.next() }, startingAt: 3000)
            try await t.db.settleVectorIndexes()
            #expect(try t.db.check() == [])
            let gone = Set(doomed)
            var total = 0.0
            for _ in 0..<100 {
                let q = data.next()
                let hits = try search(t.db, q)
                #expect(hits.allSatisfy { !gone.contains($0.document.id) })
                total += recall(hits, try search(t.db, q, exact: true))
            }
            #expect(total / 100 >= 0.95, "recall@10 after churn \(total / 100)")
        }
    }

    @Test func writesAreSearchableBeforeTheyAreLinked() async throws {
        // Without background maintenance nothing gets linked: the unlinked tail is scanned.
        try await withVectorDatabase([itemsSchema(threshold: 100)], background: false) { t in
            var data = ClusteredVectors(dimension: 8, centres: 4, seed: 13)
            let ids = try await insert(t.db, (0..<400).map { _ in data.next() })
            let q = data.next()
            #expect(try search(t.db, q, k: 10).map(\.document.id) == search(t.db, q, k: 10, exact: true).map(\.document.id))
            try await t.db.settleVectorIndexes()
            let fresh = try await t.db.insert("items", ["space": "a", "tag": 1, "kind": 1, "v": .vector(q)])
            #expect(try search(t.db, q, k: 1).first?.document.id == fresh.id)
            #expect(ids.count == 400)
            #expect(try t.db.check() == [])
        }
    }
}
