import EngramCore
import EngramStorage
import EngramVector
import Foundation

/// The query predicate (Foundation has a type of the same name).
typealias Predicate = EngramStorage.Predicate

/// A small deterministic generator, so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Clustered vectors: a Gaussian mixture, like real embeddings (and harder than
/// uniform noise for a graph).
struct ClusteredVectors {
    var generator: SeededGenerator
    let centres: [[Float]]
    let spread: Float

    init(dimension: Int, centres count: Int, spread: Float = 0.35, seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        var g = generator
        centres = (0..<count).map { _ in (0..<dimension).map { _ in Float.random(in: -1...1, using: &g) } }
        generator = g
        self.spread = spread
    }

    /// A normal deviate (Box–Muller).
    mutating func gaussian() -> Float {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }

    mutating func next() -> [Float] {
        let c = centres[Int.random(in: 0..<centres.count, using: &generator)]
        return c.map { $0 + spread * gaussian() }
    }
}

/// A database in a fresh temporary directory with the vector index kind registered.
final class VectorTestDatabase {
    let path: String
    var db: Database
    let schema: [CollectionSchema]
    let shards: Int

    init(schema: [CollectionSchema], shards: Int = 2, background: Bool = true) throws {
        path = NSTemporaryDirectory() + "engram-vector-\(UUID().uuidString)"
        self.schema = schema
        self.shards = shards
        db = try Self.open(path, schema: schema, shards: shards, background: background)
    }

    static func open(_ path: String, schema: [CollectionSchema], shards: Int, background: Bool = true) throws -> Database {
        var options = StorageOptions()
        options.shardCount = shards
        options.environment.durable = false
        options.buildIndexesInBackground = background
        options.indexFactories = [VectorIndex.factory]
        return try Database.open(at: path, schema: schema, options: options)
    }

    /// Closes and opens the database again.
    func reopen() async throws {
        await db.close()
        db = try Self.open(path, schema: schema, shards: shards)
    }

    func destroy() async {
        await db.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a fresh database and always destroys it.
func withVectorDatabase(
    _ schema: [CollectionSchema], shards: Int = 2, background: Bool = true, _ body: (VectorTestDatabase) async throws -> Void
) async throws {
    let t = try VectorTestDatabase(schema: schema, shards: shards, background: background)
    do {
        try await body(t)
    } catch {
        await t.destroy()
        throw error
    }
    await t.destroy()
}

/// The `items` collection most tests use: vector `v` partitioned by `space`, filter
/// fields `tag` and `kind`, a graph from `threshold` vectors on.
func itemsSchema(threshold: Int = 300, metric: VectorMetric = .cosine, placement: Placement = .shardKey("space")) -> CollectionSchema {
    var o = VectorIndexOptions()
    o.partition = ["space"]
    o.exactThreshold = threshold
    o.metric = metric
    return CollectionSchema(name: "items", placement: placement, indexes: [.vector("by_v", field: "v", filters: ["tag", "kind"], options: o)])
}

/// Inserts `vectors` into space `space`, tag = i % 10, kind = i % 3; returns their ids in order.
@discardableResult
func insert(_ db: Database, _ vectors: [[Float]], space: String = "a", startingAt start: Int = 0) async throws -> [DocumentID] {
    try await withThrowingTaskGroup(of: (Int, DocumentID).self) { group in
        for (i, v) in vectors.enumerated() {
            group.addTask {
                let n = start + i
                let doc = try await db.insert(
                    "items", ["space": .string(space), "tag": .int(Int64(n % 10)), "kind": .int(Int64(n % 3)), "n": .int(Int64(n)), "v": .vector(v)])
                return (i, doc.id)
            }
        }
        var ids = [DocumentID?](repeating: nil, count: vectors.count)
        for try await (i, id) in group { ids[i] = id }
        return ids.map { $0! }  // every task filled its slot
    }
}

/// Searches `items.by_v`.
func search(
    _ db: Database, _ vector: [Float], k: Int = 10, space: String? = "a", filter: Predicate? = nil, exact: Bool = false, ef: Int? = nil
) throws -> [VectorHit] {
    try db.vectorSearch(
        VectorQuery(
            collection: "items", index: "by_v", vector: vector, limit: k, partition: space.map { [.string($0)] } ?? [],
            filter: filter, ef: ef, exact: exact))
}

/// The fraction of `exact`'s ids that `approximate` found.
func recall(_ approximate: [VectorHit], _ exact: [VectorHit]) -> Double {
    guard !exact.isEmpty else { return 1 }
    let found = Set(approximate.map(\.document.id))
    return Double(exact.filter { found.contains($0.document.id) }.count) / Double(exact.count)
}
