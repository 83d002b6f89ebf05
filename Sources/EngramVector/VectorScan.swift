import EngramCore
import EngramStorage

extension VectorIndex {
    /// The `k` best live vectors of a partition passing `filter`, by a scan of its
    /// records straight from the memory map (zero copy): the distance is computed
    /// first, and the filter values are decoded only for vectors that would rank.
    ///
    /// The exact path for partitions without a graph, or whose graph is not loaded yet.
    func scan(
        _ partition: UInt32, meta: PartitionMeta, query: UnsafeRawPointer, k: Int, filter: NodeFilter?, in txn: Transaction
    ) throws -> TopResults {
        var top = TopResults(k: k)
        let prefix = VectorTables.partitionKey(partition)
        let cursor = try txn.cursor(tables.nodes)
        var e = try cursor.seek(atLeast: prefix)
        while let entry = e, entry.key.starts(with: prefix) {
            let record = NodeRecord.View(raw: entry.value, dimension: meta.dimension)
            if record.isWellFormed, record.state == NodeRecord.live {
                let d = options.metric.distance(query, record.vector, dimension: meta.dimension)
                if d <= top.worst, try filter.map({ $0.matches(try record.projection(), id: record.rawID) }) ?? true {
                    top.offer(d, record.rawID)
                }
            }
            e = try cursor.next()
        }
        return top
    }

    /// The `k` best live vectors of a partition passing `filter`: from its graph when
    /// it has one loaded (exactly when `exact`), else by ``scan(_:meta:query:k:filter:in:)``.
    func search(
        _ partition: UInt32, meta: PartitionMeta, query: PreparedVector, k: Int, ef: Int?, filter: NodeFilter?, exact: Bool,
        in txn: Transaction
    ) throws -> TopResults {
        if meta.hasGraph {
            if let mirror = mirror(partition) {
                let breadth = ef ?? options.ef ?? VectorIndexOptions.adaptiveEF(limit: k)
                return mirror.search(query: query, k: k, ef: breadth, filter: filter, exact: exact)
            }
            enqueue([partition])  // loads the mirror in the background
        }
        return try query.components.withUnsafeBytes { q in
            try scan(partition, meta: meta, query: q.baseAddress!, k: k, filter: filter, in: txn)  // prepared vectors are never empty
        }
    }

    /// The partitions a search for `values` (all partition fields, or none) and a
    /// vector of `dimension` covers.
    func partitions(for values: [Value], dimension: Int, in txn: Transaction) throws -> [(UInt32, PartitionMeta)] {
        if values.isEmpty && !options.partition.isEmpty {
            return try tables.allPartitions(in: txn).filter { $0.1.dimension == dimension }
        }
        let key = try Self.partitionKey(values, dimension: dimension)
        guard let p = try tables.partition(forKey: key, in: txn), let meta = try tables.meta(p, in: txn) else { return [] }
        return [(p, meta)]
    }
}
