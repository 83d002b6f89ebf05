import EngramCore
import EngramStorage

/// The LMDB layout of one vector index in one shard.
///
/// | sub-database | key → value |
/// |---|---|
/// | `nodes` | partition (u32 BE) + node (u32 BE) → ``NodeRecord`` |
/// | `docs` | document id (16 bytes) → partition + node |
/// | `graph` | partition + node + layer (u8) → neighbour node numbers (u32 LE each) |
/// | `pkeys` | partition key (encoded partition values + dimension) → partition |
/// | `partitions` | partition → ``PartitionMeta`` (and the id counter under `FFFFFFFF`) |
///
/// A node is linked into its partition's graph exactly when its layer-0 `graph` entry
/// exists (possibly empty). Everything here is written in the transactions of the
/// documents it describes, or of the graph maintenance that links and repairs nodes.
struct VectorTables {
    let nodes: SubDatabase
    let documents: SubDatabase
    let graph: SubDatabase
    let partitionKeys: SubDatabase
    let partitions: SubDatabase

    init(context: IndexContext) throws {
        nodes = try context.openDatabase("nodes")
        documents = try context.openDatabase("docs")
        graph = try context.openDatabase("graph")
        partitionKeys = try context.openDatabase("pkeys")
        partitions = try context.openDatabase("partitions")
    }

    // MARK: Keys

    static func nodeKey(_ partition: UInt32, _ node: UInt32) -> [UInt8] {
        var k = [UInt8]()
        k.reserveCapacity(8)
        appendBigEndian(partition, to: &k)
        appendBigEndian(node, to: &k)
        return k
    }

    static func graphKey(_ partition: UInt32, _ node: UInt32, layer: Int) -> [UInt8] {
        nodeKey(partition, node) + [UInt8(layer)]
    }

    static func partitionKey(_ partition: UInt32) -> [UInt8] {
        var k = [UInt8]()
        appendBigEndian(partition, to: &k)
        return k
    }

    static func appendBigEndian(_ v: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: v >> 24))
        out.append(UInt8(truncatingIfNeeded: v >> 16))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
        out.append(UInt8(truncatingIfNeeded: v))
    }

    static func readBigEndian(_ b: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        (UInt32(b[offset]) << 24) | (UInt32(b[offset + 1]) << 16) | (UInt32(b[offset + 2]) << 8) | UInt32(b[offset + 3])
    }

    private static let counterKey: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]

    // MARK: Partitions

    /// The partition named by `key`, if it exists.
    func partition(forKey key: [UInt8], in txn: Transaction) throws -> UInt32? {
        guard let raw = try txn.get(partitionKeys, key) else { return nil }
        return Self.readBigEndian(raw, at: 0)
    }

    /// The partition named by `key`, created empty when absent.
    func partitionCreating(key: [UInt8], dimension: Int, in txn: Transaction) throws -> (UInt32, PartitionMeta) {
        if let p = try partition(forKey: key, in: txn), let meta = try meta(p, in: txn) { return (p, meta) }
        let next = try txn.get(partitions, Self.counterKey).map { Self.readBigEndian($0, at: 0) } ?? 0
        guard next < UInt32.max else { throw EngramError(.limitExceeded, "a vector index holds at most \(UInt32.max) partitions") }
        var counter = [UInt8]()
        Self.appendBigEndian(next + 1, to: &counter)
        try txn.put(partitions, Self.counterKey, counter)
        try txn.put(partitionKeys, key, Self.partitionKey(next))
        let meta = PartitionMeta(key: key, dimension: dimension)
        try put(meta, next, in: txn)
        return (next, meta)
    }

    func meta(_ partition: UInt32, in txn: Transaction) throws -> PartitionMeta? {
        try txn.get(partitions, Self.partitionKey(partition)).map { try PartitionMeta(decoding: $0) }
    }

    func put(_ meta: PartitionMeta, _ partition: UInt32, in txn: Transaction) throws {
        try txn.put(partitions, Self.partitionKey(partition), meta.encoded)
    }

    /// Every partition with its meta, in partition order.
    func allPartitions(in txn: Transaction) throws -> [(UInt32, PartitionMeta)] {
        var out: [(UInt32, PartitionMeta)] = []
        let cursor = try txn.cursor(partitions)
        var e = try cursor.first()
        while let entry = e, entry.key.count == 4, Array(entry.key) != Self.counterKey {
            out.append((Self.readBigEndian(entry.key, at: 0), try PartitionMeta(decoding: entry.value)))
            e = try cursor.next()
        }
        return out
    }

    // MARK: Documents and nodes

    /// Where document `id` is indexed, if it is.
    func location(of id: [UInt8], in txn: Transaction) throws -> (partition: UInt32, node: UInt32)? {
        guard let raw = try txn.get(documents, id) else { return nil }
        return (Self.readBigEndian(raw, at: 0), Self.readBigEndian(raw, at: 4))
    }

    func setLocation(of id: [UInt8], partition: UInt32, node: UInt32, in txn: Transaction) throws {
        try txn.put(documents, id, Self.nodeKey(partition, node))
    }

    /// True when `node` has a layer-0 graph entry, i.e. is linked.
    func isLinked(_ partition: UInt32, _ node: UInt32, in txn: Transaction) throws -> Bool {
        try txn.contains(graph, Self.graphKey(partition, node, layer: 0))
    }

    /// Writes one neighbour list.
    func putNeighbours(_ list: UnsafeBufferPointer<UInt32>, _ partition: UInt32, _ node: UInt32, layer: Int, in txn: Transaction) throws {
        try txn.put(graph, Self.graphKey(partition, node, layer: layer), UnsafeRawBufferPointer(list))
    }

    /// Deletes every graph entry of `node` (layers 0 through `level`).
    func removeNeighbours(_ partition: UInt32, _ node: UInt32, level: Int, in txn: Transaction) throws {
        for layer in 0...level { try txn.delete(graph, Self.graphKey(partition, node, layer: layer)) }
    }
}
