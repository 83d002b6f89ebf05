import EngramCore
import EngramStorage
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vector index kind (`"vector"`) of one collection in one shard.
///
/// Every vector is stored in LMDB (see ``VectorTables``) in the transaction of its
/// document: a committed write is searchable at once, and after any crash the index
/// agrees with the documents. Vectors are grouped into partitions (the values of the
/// partition fields, and the dimension). A partition below the exact threshold is
/// searched by scanning its records straight from the memory map. From the threshold
/// on it also has an HNSW graph, kept in LMDB and mirrored in memory
/// (``PartitionMirror``); the shard's writer links new vectors into it and repairs
/// deletions in small background jobs (``GraphMaintainer``), and searches scan the few
/// vectors not linked yet, so results never lag the documents.
public final class VectorIndex: TransactionAwareIndex, @unchecked Sendable {
    public let definition: IndexDefinition
    /// The index parameters.
    public let options: VectorIndexOptions
    let tables: VectorTables
    let vectorPath: FieldPath
    let filterPaths: [FieldPath]
    /// The top-level fields kept with each vector for filtering.
    let filterRoots: [String]
    private let mirrors = Mutex<[UInt32: PartitionMirror]>([:])
    private let work = Mutex<[UInt32]>([])
    private let maintainer = Mutex<GraphMaintainer?>(nil)

    // Writer-thread state: touched only by apply, the batch hooks and maintenance jobs,
    // which the shard's single writer thread runs one at a time.
    private var requestChanges: [MirrorChange] = []
    private var batchChanges: [MirrorChange] = []
    private var requestTouched: Set<UInt32> = []
    private var batchTouched: Set<UInt32> = []
    /// Repairs in progress, by partition (see ``RepairProgress``).
    var repairs: [UInt32: RepairProgress] = [:]

    /// A change to apply to a loaded mirror once its batch is durable.
    enum MirrorChange {
        case insert(partition: UInt32, node: UInt32, level: Int, id: RawDocumentID, vector: [Float], projection: ValueMap?)
        case remove(partition: UInt32, node: UInt32)
        case refilter(partition: UInt32, node: UInt32, projection: ValueMap)

        var partition: UInt32 {
            switch self {
            case .insert(let p, _, _, _, _, _), .remove(let p, _), .refilter(let p, _, _): return p
            }
        }
    }

    /// The factory that registers the `vector` kind with a database.
    public static let factory = IndexFactory(kind: IndexDefinition.vectorKind) { try VectorIndex(context: $0) }

    init(context: IndexContext) throws {
        definition = context.definition
        options = try VectorIndexOptions(decoding: context.definition.options)
        guard let field = context.definition.fields.first else {
            throw EngramError(.invalidArgument, "vector index '\(context.definition.name)' names no vector field")
        }
        vectorPath = field
        filterPaths = Array(context.definition.fields.dropFirst())
        var roots: [String] = []
        for p in filterPaths where !roots.contains(p.root) { roots.append(p.root) }
        filterRoots = roots
        tables = try VectorTables(context: context)
    }

    // MARK: Document changes

    public func apply(id: DocumentID, old: ValueMap?, new: ValueMap?, in txn: Transaction) throws {
        let vector = try new.flatMap { try prepared($0, id: id) }
        let projection = new.flatMap { filterRoots.isEmpty ? nil : project($0) }
        let key = try new.flatMap { fields in try vector.map { try partitionKey(fields, dimension: $0.dimension) } }
        if old != nil, let location = try tables.location(of: id.bytes, in: txn) {
            guard var meta = try tables.meta(location.partition, in: txn) else {
                throw EngramError(.storage, "vector index '\(definition.name)': partition \(location.partition) has no record")
            }
            let nodeKey = VectorTables.nodeKey(location.partition, location.node)
            if let vector, key == meta.key, let raw = try txn.get(tables.nodes, nodeKey) {
                let record = NodeRecord.View(raw: raw, dimension: meta.dimension)
                if record.isWellFormed, record.state == NodeRecord.live, record.vectorComponents() == vector.components {
                    try refilter(record, key: nodeKey, location: location, meta: meta, projection: projection, in: txn)
                    return
                }
            }
            try removeNode(location, meta: &meta, in: txn)
            try tables.put(meta, location.partition, in: txn)
            try txn.delete(tables.documents, id.bytes)
        }
        if let vector, let key, let new { try insertNode(id, vector, key: key, projection: projection, fields: new, in: txn) }
    }

    /// The vector of `fields` as this index stores it, nil when it has none to index.
    /// Throws `INVALID_VECTOR` for an unusable one when the index is strict.
    func prepared(_ fields: ValueMap, id: DocumentID) throws -> PreparedVector? {
        do {
            return try PreparedVector.from(
                Value.map(fields).lookup(vectorPath), metric: options.metric, maxDimension: options.maxDimension,
                allowZero: !options.strict)
        } catch {
            guard options.strict else { return nil }
            throw EngramError(.invalidVector, "field '\(vectorPath)' of document \(id) \(error.message) (index '\(definition.name)')")
        }
    }

    /// The filter fields' top-level values of `fields`.
    func project(_ fields: ValueMap) -> ValueMap {
        var out = ValueMap()
        for root in filterRoots { if let v = fields[root] { out[root] = v } }
        return out
    }

    /// The partition key of a document with `fields` and a vector of `dimension`.
    func partitionKey(_ fields: ValueMap, dimension: Int) throws -> [UInt8] {
        try Self.partitionKey(options.partition.map { Value.map(fields).lookup($0) }, dimension: dimension)
    }

    /// The partition key of partition values and a dimension.
    static func partitionKey(_ values: [Value?], dimension: Int) throws -> [UInt8] {
        var key: [UInt8] = []
        for v in values { _ = KeyEncoding.append(v, budget: 240, to: &key) }
        VectorTables.appendBigEndian(UInt32(dimension), to: &key)
        return key
    }

    private func refilter(
        _ record: NodeRecord.View, key: [UInt8], location: (partition: UInt32, node: UInt32), meta: PartitionMeta,
        projection: ValueMap?, in txn: Transaction
    ) throws {
        guard let projection, try record.projection() != projection else { return }
        let updated = NodeRecord.encode(
            state: record.state, level: record.level, id: record.idBytes, vector: record.vectorComponents(), projection: projection)
        try txn.put(tables.nodes, key, updated)
        if meta.hasGraph { requestChanges.append(.refilter(partition: location.partition, node: location.node, projection: projection)) }
    }

    private func removeNode(_ location: (partition: UInt32, node: UInt32), meta: inout PartitionMeta, in txn: Transaction) throws {
        let key = VectorTables.nodeKey(location.partition, location.node)
        if try tables.isLinked(location.partition, location.node, in: txn) {
            guard let raw = try txn.get(tables.nodes, key) else {
                throw EngramError(.storage, "vector index '\(definition.name)': linked node \(location.node) has no record")
            }
            var bytes = Array(raw)
            bytes[0] = NodeRecord.tombstone
            try txn.put(tables.nodes, key, bytes)
            meta.tombstones += 1
        } else {
            try txn.delete(tables.nodes, key)
            meta.unlinked -= 1
        }
        meta.live -= 1
        if meta.hasGraph { requestChanges.append(.remove(partition: location.partition, node: location.node)) }
    }

    private func insertNode(
        _ id: DocumentID, _ vector: PreparedVector, key: [UInt8], projection: ValueMap?, fields: ValueMap, in txn: Transaction
    ) throws {
        var (partition, meta) = try tables.partitionCreating(key: key, dimension: vector.dimension, in: txn)
        guard meta.nextNode < UInt32.max else {
            throw EngramError(.limitExceeded, "vector index '\(definition.name)': a partition holds at most \(UInt32.max) vectors")
        }
        let node = meta.nextNode
        let level = Self.level(for: id, m: options.m)
        meta.nextNode += 1
        meta.live += 1
        meta.unlinked += 1
        if !meta.hasGraph && meta.live >= options.exactThreshold { meta.hasGraph = true }
        try txn.put(
            tables.nodes, VectorTables.nodeKey(partition, node),
            NodeRecord.encode(state: NodeRecord.live, level: level, id: id.bytes, vector: vector.components, projection: projection))
        try tables.setLocation(of: id.bytes, partition: partition, node: node, in: txn)
        try tables.put(meta, partition, in: txn)
        if meta.hasGraph {
            requestChanges.append(
                .insert(partition: partition, node: node, level: level, id: RawDocumentID(id), vector: vector.components, projection: projection))
        }
    }

    /// A node's HNSW level: ⌊−ln(u) / ln(m)⌋ for u uniform in (0, 1], drawn from a hash
    /// of the document id so the graph does not depend on timing.
    static func level(for id: DocumentID, m: Int) -> Int {
        let h = StableHash.mix64(StableHash.hash64(id.bytes))
        let u = (Double(h >> 11) + 1) / 9_007_199_254_740_992.0  // (0, 1]
        return min(HNSWGraph.maxLevel, Int(-log(u) / log(Double(m))))
    }

    // MARK: Batch outcomes

    public func requestEnded(committed: Bool) {
        if committed {
            batchChanges += requestChanges
            batchTouched.formUnion(requestTouched)
        } else {
            dropMirrors(requestTouched)
        }
        requestChanges.removeAll(keepingCapacity: true)
        requestTouched.removeAll()
    }

    public func batchEnded(committed: Bool) {
        if committed {
            var changed = Set<UInt32>()
            let loaded = mirrors.withLock { $0 }
            for change in batchChanges {
                changed.insert(change.partition)
                guard let mirror = loaded[change.partition] else { continue }
                switch change {
                case .insert(_, let node, let level, let id, let vector, let projection):
                    vector.withUnsafeBytes { mirror.insert(node, level: level, id: id, vector: $0.baseAddress!, projection: projection) }  // vectors are never empty
                case .remove(_, let node): mirror.remove(node)
                case .refilter(_, let node, let projection): mirror.refilter(node, projection: projection)
                }
            }
            if !changed.isEmpty { enqueue(changed) }
        } else {
            dropMirrors(batchTouched)
        }
        batchChanges.removeAll(keepingCapacity: true)
        batchTouched.removeAll()
    }

    /// Forgets mirrors whose in-memory changes were rolled back; they load again.
    private func dropMirrors(_ partitions: Set<UInt32>) {
        guard !partitions.isEmpty else { return }
        mirrors.withLock { m in for p in partitions { m[p] = nil } }
    }

    // MARK: Mirrors and background work

    /// The loaded mirror of `partition`, if any.
    func mirror(_ partition: UInt32) -> PartitionMirror? {
        mirrors.withLock { $0[partition] }
    }

    func install(_ mirror: PartitionMirror) {
        mirrors.withLock { $0[mirror.partition] = mirror }
        requestTouched.insert(mirror.partition)
    }

    /// Records that the current maintenance job changed `partition`'s mirror.
    func touched(_ partition: UInt32) { requestTouched.insert(partition) }

    /// Queues partitions for maintenance and wakes the maintainer.
    func enqueue<S: Sequence>(_ partitions: S) where S.Element == UInt32 {
        work.withLock { queue in for p in partitions where !queue.contains(p) { queue.append(p) } }
        maintainer.withLock { $0?.wake() }
    }

    /// The next partition queued for maintenance.
    func nextWork() -> UInt32? {
        work.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    public func attach(to shard: Shard) {
        // Read here, while the shard is surely open: the maintainer itself only ever
        // goes through the write queue.
        if let pending = try? shard.read({ try partitionsNeedingWork(in: $0.transaction) }) { enqueue(pending) }
        maintainer.withLock { $0 = GraphMaintainer(index: self, shard: shard) }
    }

    public func detach() {
        maintainer.withLock { m in
            m?.stop()
            m = nil
        }
    }
}
