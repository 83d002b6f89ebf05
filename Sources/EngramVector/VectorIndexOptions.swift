import EngramCore
import EngramStorage

/// The parameters of a vector index, recorded in its ``IndexDefinition/options``.
///
/// A vector index is declared on one field (a ``Value/vector`` or an array of numbers)
/// with optional filter fields. Documents are grouped into partitions by the values of
/// ``partition`` and by dimension: a search always names one partition (the catalogue
/// partitions by `memorySpaceId`), and vectors of different dimensions never meet.
/// A partition is searched exactly (a scan) until it holds ``exactThreshold`` vectors;
/// from then on it also gets an HNSW graph, built in the background.
public struct VectorIndexOptions: Sendable, Hashable {
    /// How vectors compare.
    public var metric: VectorMetric = .cosine
    /// HNSW: neighbours per node on the upper layers (twice as many on layer 0).
    public var m: Int = 16
    /// HNSW: candidate list size while linking a node.
    public var efConstruction: Int = 200
    /// HNSW: candidate list size of a search; nil adapts it to the result count.
    public var ef: Int?
    /// Live vectors from which a partition gets a graph; smaller ones are scanned.
    public var exactThreshold: Int = VectorIndexOptions.defaultExactThreshold
    /// The largest dimension accepted.
    public var maxDimension: Int = 4096
    /// The fields whose values, with the dimension, name a partition.
    public var partition: [FieldPath] = []
    /// True: a write whose vector is unusable fails with `INVALID_VECTOR`. False: such
    /// a document is simply not indexed, and a zero vector under the cosine metric is
    /// indexed with similarity 0 to everything (what the catalogue's contract needs).
    public var strict: Bool = true

    /// Partition size from which a graph pays off, measured (see Benchmarks.md).
    public static let defaultExactThreshold = 10_000
    /// Search breadth used when ``ef`` is nil, for `limit` results.
    static func adaptiveEF(limit: Int) -> Int { max(64, 2 * limit) }

    public init() {}

    /// Reads options recorded by ``encoded``; throws `INVALID_ARGUMENT` for a bad value.
    public init(decoding value: Value) throws {
        func int(_ key: String) throws -> Int? {
            guard let v = value[key] else { return nil }
            guard let i = v.int64Value, let n = Int(exactly: i) else {
                throw EngramError(.invalidArgument, "vector index option '\(key)' must be an integer")
            }
            return n
        }
        if let m = value["metric"] {
            guard let name = m.stringValue, let metric = VectorMetric(rawValue: name) else {
                throw EngramError(.invalidArgument, "vector index option 'metric' must be one of cosine, dot, l2")
            }
            self.metric = metric
        }
        if let m = try int("m") { self.m = m }
        if let e = try int("efConstruction") { efConstruction = e }
        ef = try int("ef")
        if let t = try int("exactThreshold") { exactThreshold = t }
        if let d = try int("maxDimension") { maxDimension = d }
        if let p = value["partition"] {
            guard let paths = p.arrayValue else {
                throw EngramError(.invalidArgument, "vector index option 'partition' must be a list of field paths")
            }
            partition = try paths.map { try FieldPath(parsing: $0.stringValue ?? "") }
        }
        if let s = value["strict"] {
            guard let b = s.boolValue else { throw EngramError(.invalidArgument, "vector index option 'strict' must be a boolean") }
            strict = b
        }
        try validate()
    }

    /// The options as recorded on disk.
    public var encoded: Value {
        var m: ValueMap = [
            "metric": .string(metric.rawValue), "m": .int(Int64(self.m)), "efConstruction": .int(Int64(efConstruction)),
            "exactThreshold": .int(Int64(exactThreshold)), "maxDimension": .int(Int64(maxDimension)),
            "partition": .array(partition.map { .string($0.description) }), "strict": .bool(strict),
        ]
        if let ef { m["ef"] = .int(Int64(ef)) }
        return .map(m)
    }

    /// Throws `INVALID_ARGUMENT` unless every parameter is in range.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw EngramError(.invalidArgument, "vector index: \(message)") }
        }
        try check((2...128).contains(m), "m must be 2 to 128, got \(m)")
        try check((m...4096).contains(efConstruction), "efConstruction must be m to 4096, got \(efConstruction)")
        try check(ef.map { (1...10_000).contains($0) } ?? true, "ef must be 1 to 10000")
        try check(exactThreshold >= 0, "exactThreshold must not be negative")
        try check((1...65_536).contains(maxDimension), "maxDimension must be 1 to 65536, got \(maxDimension)")
    }
}

extension IndexDefinition {
    /// The kind name of vector indexes.
    public static let vectorKind = "vector"

    /// A vector index on `field`, whose searches may filter on `filters` (fields of the
    /// same documents; a path's whole top-level field is kept with each vector).
    public static func vector(
        _ name: String, field: FieldPath, filters: [FieldPath] = [], options: VectorIndexOptions = VectorIndexOptions()
    ) -> IndexDefinition {
        IndexDefinition(name: name, kind: vectorKind, fields: [field] + filters, options: options.encoded)
    }
}
