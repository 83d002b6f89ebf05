import EngramCore
import EngramStorage

/// Graph maintenance: loading a partition's mirror, linking new vectors, and repairing
/// deletions out of the graph.
///
/// Every step runs inside one write request on the shard's writer thread (see
/// ``GraphMaintainer`` and ``Database/settleVectorIndexes()``), persists what it
/// changes in that request's transaction, and is bounded so user writes queued behind
/// it wait at most one step.
extension VectorIndex {
    /// Nodes linked per step.
    static let linksPerStep = 64
    /// Nodes whose lists a repair step rebuilds.
    static let repairsPerStep = 4096

    /// Tombstones from which a partition is repaired: 64, or 5% of its live vectors.
    static func repairThreshold(live: Int) -> Int { max(64, live / 20) }

    /// Whether `meta`'s partition has graph work pending.
    static func needsWork(_ meta: PartitionMeta) -> Bool {
        meta.hasGraph && (meta.unlinked > 0 || meta.tombstones >= repairThreshold(live: meta.live))
    }

    /// The partitions with graph work pending, or a graph not loaded in memory yet.
    func partitionsNeedingWork(in txn: Transaction) throws -> [UInt32] {
        try tables.allPartitions(in: txn).compactMap { p, meta in
            Self.needsWork(meta) || (meta.hasGraph && mirror(p) == nil) ? p : nil
        }
    }

    /// One bounded step of work on `partition`; returns true when more remains.
    func maintain(_ partition: UInt32, in txn: Transaction) throws -> Bool {
        guard var meta = try tables.meta(partition, in: txn), meta.hasGraph else { return false }
        let mirror = try loadedMirror(partition, meta: meta, in: txn)
        if meta.unlinked > 0 { try link(mirror, meta: &meta, in: txn) }
        if meta.tombstones >= Self.repairThreshold(live: meta.live) || repairs[partition] != nil {
            try repairStep(mirror, meta: &meta, in: txn)
        }
        try tables.put(meta, partition, in: txn)
        return Self.needsWork(meta) || repairs[partition] != nil
    }

    /// Runs maintenance steps on every partition until none has work left.
    func maintainAll(in txn: Transaction) throws -> Bool {
        var more = false
        for p in try partitionsNeedingWork(in: txn) { more = try maintain(p, in: txn) || more }
        return more
    }

    // MARK: Loading

    /// The mirror of `partition`, loaded from LMDB when it is not in memory yet.
    func loadedMirror(_ partition: UInt32, meta: PartitionMeta, in txn: Transaction) throws -> PartitionMirror {
        if let m = mirror(partition) { return m }
        let m = PartitionMirror(partition: partition, meta: meta, options: options, filterPaths: filterPaths)
        let prefix = VectorTables.partitionKey(partition)
        let nodes = try txn.cursor(tables.nodes)
        var e = try nodes.seek(atLeast: prefix)
        while let entry = e, entry.key.starts(with: prefix) {
            let record = NodeRecord.View(raw: entry.value, dimension: meta.dimension)
            guard entry.key.count == 8, record.isWellFormed else {
                throw EngramError(.storage, "vector index '\(definition.name)': malformed node record in partition \(partition)")
            }
            m.loadLinked(
                VectorTables.readBigEndian(entry.key, at: 4), state: record.state, level: record.level, id: record.rawID,
                vector: record.vector, projection: filterRoots.isEmpty ? nil : try record.projection())
            e = try nodes.next()
        }
        let graph = try txn.cursor(tables.graph)
        e = try graph.seek(atLeast: prefix)
        while let entry = e, entry.key.starts(with: prefix) {
            guard entry.key.count == 9 else {
                throw EngramError(.storage, "vector index '\(definition.name)': malformed graph key in partition \(partition)")
            }
            m.loadNeighbours(VectorTables.readBigEndian(entry.key, at: 4), layer: Int(entry.key[8]), Self.nodeList(entry.value))
            e = try graph.next()
        }
        m.finishLoading(entryPoint: meta.entryPoint, maxLevel: meta.maxLevel)
        install(m)
        return m
    }

    /// A stored neighbour list (u32 little-endian each).
    static func nodeList(_ raw: UnsafeRawBufferPointer) -> [UInt32] {
        (0..<(raw.count / 4)).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
    }

    // MARK: Linking

    private func link(_ mirror: PartitionMirror, meta: inout PartitionMeta, in txn: Transaction) throws {
        touched(mirror.partition)
        var done = 0
        for node in mirror.unlinked where done < Self.linksPerStep {
            // A node deleted earlier in this batch is still in the mirror: skip it, its
            // removal reaches the mirror when the batch commits.
            guard let raw = try txn.get(tables.nodes, VectorTables.nodeKey(mirror.partition, node)),
                raw.count > 0, raw[0] == NodeRecord.live
            else { continue }
            let plan = mirror.link(node)
            for change in plan.lists {
                try change.list.withUnsafeBufferPointer { list in
                    try tables.putNeighbours(list, mirror.partition, change.node, layer: change.layer, in: txn)
                }
            }
            if plan.becomesEntry {
                meta.entryPoint = node
                meta.maxLevel = mirror.graph.level(node)
            }
            meta.unlinked -= 1
            done += 1
        }
    }

    // MARK: Repairing

    /// A repair in progress: the dead nodes captured when it began, and the next node
    /// whose lists to rebuild. Tied to the mirror it began on.
    struct RepairProgress {
        let mirror: ObjectIdentifier
        let dead: Set<UInt32>
        var next: Int
    }

    private func repairStep(_ mirror: PartitionMirror, meta: inout PartitionMeta, in txn: Transaction) throws {
        touched(mirror.partition)
        var progress: RepairProgress
        if let p = repairs[mirror.partition], p.mirror == ObjectIdentifier(mirror) {
            progress = p
        } else {
            progress = RepairProgress(mirror: ObjectIdentifier(mirror), dead: mirror.tombstoneNodes(), next: 0)
        }
        let end = min(progress.next + Self.repairsPerStep, mirror.graph.count)
        let dead = progress.dead
        for change in mirror.repair(progress.next..<end, isDead: { dead.contains($0) }) {
            try change.list.withUnsafeBufferPointer { list in
                try tables.putNeighbours(list, mirror.partition, change.node, layer: change.layer, in: txn)
            }
        }
        progress.next = end
        guard end >= mirror.graph.count else {
            repairs[mirror.partition] = progress
            return
        }
        repairs[mirror.partition] = nil
        for node in dead.sorted() {
            try tables.removeNeighbours(mirror.partition, node, level: mirror.graph.level(node), in: txn)
            try txn.delete(tables.nodes, VectorTables.nodeKey(mirror.partition, node))
        }
        mirror.detach(Array(dead))
        meta.tombstones -= dead.count
        meta.entryPoint = mirror.graph.entryPoint
        meta.maxLevel = mirror.graph.maxLevel
    }
}
