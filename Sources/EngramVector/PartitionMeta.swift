import EngramCore

/// What a shard records about one partition of a vector index (MessagePack map).
///
/// Counts are kept in the transactions that change them, so they always agree with
/// the node records; `engram check` verifies that they do.
struct PartitionMeta: Equatable {
    /// The partition key: the encoded partition values, then the dimension (u32 BE).
    var key: [UInt8]
    /// The dimension of every vector in the partition.
    var dimension: Int
    /// The next node number to assign.
    var nextNode: UInt32 = 0
    /// Nodes whose document exists.
    var live = 0
    /// Deleted nodes kept in the graph until repaired out of it.
    var tombstones = 0
    /// Live nodes not yet linked into the graph.
    var unlinked = 0
    /// True once the partition reached the exact threshold: it has (or is building) a graph.
    var hasGraph = false
    /// The graph's entry point and top layer.
    var entryPoint: UInt32?
    var maxLevel = 0

    init(key: [UInt8], dimension: Int) {
        self.key = key
        self.dimension = dimension
    }

    var encoded: [UInt8] {
        var m: ValueMap = [
            "key": .bytes(key), "dim": .int(Int64(dimension)), "next": .int(Int64(nextNode)), "live": .int(Int64(live)),
            "tomb": .int(Int64(tombstones)), "unlinked": .int(Int64(unlinked)), "graph": .bool(hasGraph),
            "maxLevel": .int(Int64(maxLevel)),
        ]
        if let entryPoint { m["entry"] = .int(Int64(entryPoint)) }
        return MessagePack.encode(.map(m))
    }

    init(decoding raw: UnsafeRawBufferPointer) throws {
        let v = try MessagePack.decode(raw)
        func int(_ k: String) throws -> Int {
            guard let i = v[k]?.int64Value, let n = Int(exactly: i) else {
                throw EngramError(.storage, "malformed vector partition record (field '\(k)')")
            }
            return n
        }
        guard case .bytes(let key)? = v["key"], let graph = v["graph"]?.boolValue else {
            throw EngramError(.storage, "malformed vector partition record")
        }
        self.key = key
        dimension = try int("dim")
        nextNode = UInt32(truncatingIfNeeded: try int("next"))
        live = try int("live")
        tombstones = try int("tomb")
        unlinked = try int("unlinked")
        hasGraph = graph
        maxLevel = try int("maxLevel")
        entryPoint = v["entry"] == nil ? nil : UInt32(truncatingIfNeeded: try int("entry"))
    }
}
