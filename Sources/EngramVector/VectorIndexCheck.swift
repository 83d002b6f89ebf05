import EngramCore
import EngramStorage

extension VectorIndex {
    /// Verifies the index against the documents, for `engram check`.
    ///
    /// Every document with an indexable vector has exactly one live node, in the
    /// partition its fields and dimension name, holding its prepared vector and filter
    /// values; no other node is live; every neighbour list belongs to a stored node and
    /// names stored nodes only; every tombstone is still linked; each partition's
    /// counters and entry point agree with its nodes.
    public func check(documents store: CollectionStore, in txn: Transaction) throws -> [String] {
        var problems: [String] = []
        func report(_ text: String) { problems.append("vector index '\(definition.name)': \(text)") }

        var partitions: [UInt32: PartitionMeta] = [:]
        for (p, meta) in try tables.allPartitions(in: txn) { partitions[p] = meta }
        var expectedLive = Set<[UInt8]>()  // node keys the documents own

        try store.forEach(in: txn) { doc in
            let location = try tables.location(of: doc.id.bytes, in: txn)
            let vector: PreparedVector?
            do {
                vector = try prepared(doc.fields, id: doc.id)
            } catch {
                report("document \(doc.id) holds a vector the index rejects")
                return true
            }
            guard let vector else {
                if location != nil { report("document \(doc.id) has no indexable vector but is indexed") }
                return true
            }
            guard let location else {
                report("document \(doc.id) is not indexed")
                return true
            }
            let nodeKey = VectorTables.nodeKey(location.partition, location.node)
            expectedLive.insert(nodeKey)
            guard let meta = partitions[location.partition] else {
                report("document \(doc.id) points at missing partition \(location.partition)")
                return true
            }
            if try meta.key != partitionKey(doc.fields, dimension: vector.dimension) {
                report("document \(doc.id) is in partition \(location.partition), not the one its fields name")
            }
            guard let raw = try txn.get(tables.nodes, nodeKey) else {
                report("document \(doc.id) points at missing node \(location.partition)/\(location.node)")
                return true
            }
            let record = NodeRecord.View(raw: raw, dimension: meta.dimension)
            guard record.isWellFormed, record.state == NodeRecord.live, record.rawID == RawDocumentID(doc.id) else {
                report("node \(location.partition)/\(location.node) of document \(doc.id) is not its live record")
                return true
            }
            if record.vectorComponents() != vector.components {
                report("node \(location.partition)/\(location.node) holds a stale vector of document \(doc.id)")
            }
            if !filterRoots.isEmpty, try record.projection() != project(doc.fields) {
                report("node \(location.partition)/\(location.node) holds stale filter values of document \(doc.id)")
            }
            return true
        }

        for (p, meta) in partitions.sorted(by: { $0.key < $1.key }) {
            problems += try checkPartition(p, meta: meta, expectedLive: expectedLive, in: txn).map {
                "vector index '\(definition.name)': partition \(p): \($0)"
            }
        }
        return problems
    }

    /// Checks one partition's nodes, neighbour lists and counters.
    private func checkPartition(_ p: UInt32, meta: PartitionMeta, expectedLive: Set<[UInt8]>, in txn: Transaction) throws -> [String] {
        var problems: [String] = []
        let prefix = VectorTables.partitionKey(p)
        var stored = Set<UInt32>(), live = 0, tombstones = 0
        var tombstoneNodes: [UInt32] = []
        let nodes = try txn.cursor(tables.nodes)
        var e = try nodes.seek(atLeast: prefix)
        while let entry = e, entry.key.starts(with: prefix) {
            let node = VectorTables.readBigEndian(entry.key, at: 4)
            let record = NodeRecord.View(raw: entry.value, dimension: meta.dimension)
            stored.insert(node)
            if node >= meta.nextNode { problems.append("node \(node) is beyond the partition's counter \(meta.nextNode)") }
            if !record.isWellFormed {
                problems.append("node \(node) is malformed")
            } else if record.state == NodeRecord.live {
                live += 1
                if !expectedLive.contains(Array(entry.key)) { problems.append("live node \(node) belongs to no document") }
            } else {
                tombstones += 1
                tombstoneNodes.append(node)
            }
            e = try nodes.next()
        }

        var linked = Set<UInt32>()
        let graph = try txn.cursor(tables.graph)
        e = try graph.seek(atLeast: prefix)
        while let entry = e, entry.key.starts(with: prefix) {
            let node = VectorTables.readBigEndian(entry.key, at: 4)
            if entry.key[8] == 0 { linked.insert(node) }
            if !stored.contains(node) { problems.append("node \(node) has a neighbour list but no record") }
            for n in Self.nodeList(entry.value) where !stored.contains(n) {
                problems.append("node \(node) layer \(entry.key[8]) points at missing node \(n)")
            }
            e = try graph.next()
        }
        if !meta.hasGraph && !linked.isEmpty { problems.append("has neighbour lists but no graph") }
        for node in tombstoneNodes where !linked.contains(node) { problems.append("tombstone \(node) is not linked") }
        let unlinked = stored.count - tombstones - stored.intersection(linked).count + tombstoneNodes.filter(linked.contains).count
        if meta.live != live || meta.tombstones != tombstones || meta.unlinked != unlinked {
            problems.append(
                "counters say \(meta.live) live, \(meta.tombstones) tombstones, \(meta.unlinked) unlinked; "
                    + "records say \(live), \(tombstones), \(unlinked)")
        }
        switch meta.entryPoint {
        case nil where !linked.isEmpty: problems.append("has linked nodes but no entry point")
        case let entry? where !linked.contains(entry): problems.append("entry point \(entry) is not linked")
        default: break
        }
        return problems
    }
}
