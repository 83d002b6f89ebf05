import EngramCore
import EngramStorage

/// The benchmark collection and its documents.
enum BenchData {
    static let schema = CollectionSchema(
        name: "docs", placement: .byID,
        indexes: [
            .secondary("by_user", ["userId"]),
            .secondary("by_space_time", ["space", "createdAt"]),
            .secondary("by_kind", ["kind"]),
        ])

    /// A ~1 KB document: three indexed fields and a text body.
    static func document(_ i: Int) -> ValueMap {
        [
            "userId": .string("user-\(i)"),
            "space": .string("space-\(i % 50)"),
            "createdAt": .double(Double(1_700_000_000_000 + i)),
            "kind": .string(["note", "fact", "event"][i % 3]),
            "body": .string(String(repeating: "lorem ipsum dolor sit amet ", count: 35)),
        ]
    }

    /// Inserts documents `0..<count` from `writers` concurrent tasks.
    static func load(_ db: Database, count: Int, writers: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in stride(from: w, to: count, by: writers) { try await db.insert("docs", document(i)) }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// Seconds elapsed while running `body`.
func timed(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    let d = clock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// The p-th percentile (0…100) of `samples`, in microseconds.
func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p / 100))] * 1e6
}

struct InsertWorkload {
    let db: Database
    let options: BenchOptions

    func run() async throws -> String {
        let seconds = try await timed { try await BenchData.load(db, count: options.docs, writers: options.writers) }
        let stored = try db.count(Query("docs"))
        return "{\"mode\":\"insert\",\"docs\":\(stored),\"writers\":\(options.writers),\"shards\":\(options.shards),"
            + "\"durable\":\(options.durable),\"seconds\":\(seconds),\"docsPerSecond\":\(Double(stored) / seconds)}"
    }
}

struct ReadWorkload {
    let db: Database
    let options: BenchOptions

    func run() async throws -> String {
        try await BenchData.load(db, count: options.docs, writers: 64)
        let lookups = 20_000, ranges = 2_000
        var point: [Double] = [], range: [Double] = []
        point.reserveCapacity(lookups)
        for k in 0..<lookups {
            let user = Value.string("user-\((k &* 7919) % options.docs)")
            let q = Query("docs", filter: .eq("userId", user), index: .named("by_user"), limit: 1)
            var found = 0
            point.append(try await timed { found = try db.query(q).documents.count })
            precondition(found == 1, "lookup missed")
        }
        for k in 0..<ranges {
            let space = Value.string("space-\(k % 50)")
            let from = Value.double(Double(1_700_000_000_000 + (k * 37) % max(1, options.docs - 5000)))
            let q = Query("docs", filter: .and([.eq("space", space), .ge("createdAt", from)]), index: .named("by_space_time"), limit: 100)
            range.append(try await timed { _ = try db.query(q) })
        }
        var scanned = 0
        let scanSeconds = try await timed {
            var q = Query("docs", index: .named("by_user"), limit: 1000)
            while true {
                let page = try db.query(q)
                scanned += page.documents.count
                guard let c = page.cursor else { break }
                q.cursor = c
            }
        }
        precondition(scanned == options.docs, "scan saw \(scanned) of \(options.docs)")
        return "{\"mode\":\"reads\",\"docs\":\(options.docs),\"shards\":\(options.shards),"
            + "\"pointP50us\":\(percentile(point, 50)),\"pointP99us\":\(percentile(point, 99)),"
            + "\"range100P50us\":\(percentile(range, 50)),\"range100P99us\":\(percentile(range, 99)),"
            + "\"orderedScanDocsPerSecond\":\(Double(scanned) / scanSeconds)}"
    }
}
