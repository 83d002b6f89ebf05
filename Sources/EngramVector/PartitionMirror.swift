import EngramCore
import EngramStorage
import Synchronization

/// The in-memory copy of one large partition: its HNSW graph, its filter values, and
/// the nodes not yet linked.
///
/// LMDB holds the truth; a mirror is loaded from it by the shard's writer (see
/// ``VectorIndex``) and changed only by that writer: document changes once their batch
/// is durable, links and repairs inside the maintenance job that persists them. If a
/// batch that changed a mirror fails, the mirror is dropped and loaded again.
///
/// Searches share ``lock``; the writer takes it exclusively only to store changes.
final class PartitionMirror: @unchecked Sendable {
    let partition: UInt32
    let graph: HNSWGraph
    let filters: FilterPostings?
    let lock = ReadWriteLock()
    /// Live nodes not linked yet, ascending (searched exactly).
    private(set) var unlinked: [UInt32] = []
    private(set) var live = 0
    private(set) var tombstones = 0
    private let visitedPool = Mutex<[VisitedList]>([])

    init(partition: UInt32, meta: PartitionMeta, options: VectorIndexOptions, filterPaths: [FieldPath]) {
        self.partition = partition
        graph = HNSWGraph(
            dimension: meta.dimension, metric: options.metric, m: options.m, efConstruction: options.efConstruction,
            capacity: Int(meta.nextNode))
        filters = filterPaths.isEmpty ? nil : FilterPostings(paths: filterPaths)
    }

    // MARK: Changes (writer only)

    /// Adds a live, unlinked node.
    func insert(_ node: UInt32, level: Int, id: RawDocumentID, vector: UnsafeRawPointer, projection: ValueMap?) {
        lock.withWriteLock {
            if Int(node) < graph.count && graph.states[Int(node)] != HNSWGraph.absent { return }  // already loaded
            graph.setNode(node, state: HNSWGraph.live, level: level, id: id, vector: vector)
            if let projection { filters?.set(node, projection) }
            insertUnlinked(node)
            live += 1
        }
    }

    /// Marks a node deleted: a tombstone if it is linked, else gone.
    func remove(_ node: UInt32) {
        lock.withWriteLock {
            guard Int(node) < graph.count, graph.states[Int(node)] == HNSWGraph.live else { return }
            live -= 1
            if graph.linked[Int(node)] {
                graph.setState(node, HNSWGraph.tombstone)
                tombstones += 1
            } else {
                graph.setState(node, HNSWGraph.absent)
                if let i = unlinkedIndex(node) { unlinked.remove(at: i) }
            }
        }
    }

    /// Replaces a node's filter values.
    func refilter(_ node: UInt32, projection: ValueMap) {
        lock.withWriteLock { filters?.set(node, projection) }
    }

    /// Restores a linked node's state as loaded from LMDB.
    func loadLinked(_ node: UInt32, state: UInt8, level: Int, id: RawDocumentID, vector: UnsafeRawPointer, projection: ValueMap?) {
        graph.setNode(node, state: state, level: level, id: id, vector: vector)
        if let projection { filters?.set(node, projection) }
        if state == HNSWGraph.live { live += 1 } else { tombstones += 1 }
    }

    /// Restores one loaded neighbour list.
    func loadNeighbours(_ node: UInt32, layer: Int, _ list: [UInt32]) {
        graph.setNeighbours(node, layer: layer, list)
    }

    /// Marks every loaded live node without a layer-0 list unlinked.
    func finishLoading(entryPoint: UInt32?, maxLevel: Int) {
        graph.entryPoint = entryPoint
        graph.maxLevel = maxLevel
        unlinked = (0..<graph.count).compactMap { i in
            graph.states[i] == HNSWGraph.live && !graph.linked[i] ? UInt32(i) : nil
        }
    }

    private func unlinkedIndex(_ node: UInt32) -> Int? {
        var lo = 0, hi = unlinked.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if unlinked[mid] < node { lo = mid + 1 } else { hi = mid }
        }
        return lo < unlinked.count && unlinked[lo] == node ? lo : nil
    }

    private func insertUnlinked(_ node: UInt32) {
        if let last = unlinked.last, last > node {
            let i = unlinked.firstIndex { $0 > node } ?? unlinked.count
            unlinked.insert(node, at: i)
        } else {
            unlinked.append(node)
        }
    }

    // MARK: Linking and repair (writer only)

    /// Links `node` (live and unlinked) and returns the lists it changed.
    func link(_ node: UInt32) -> HNSWGraph.LinkPlan {
        let plan = lock.withReadLock { withVisited(nodes: graph.count) { graph.planLink(node, visited: $0) } }
        lock.withWriteLock {
            graph.apply(plan)
            if let i = unlinkedIndex(node) { unlinked.remove(at: i) }
        }
        return plan
    }

    /// Drops `node` from the unlinked list without linking it (its record is gone).
    func forgetUnlinked(_ node: UInt32) {
        lock.withWriteLock {
            if let i = unlinkedIndex(node) { unlinked.remove(at: i) }
            if Int(node) < graph.count, graph.states[Int(node)] == HNSWGraph.live {
                graph.setState(node, HNSWGraph.absent)
                live -= 1
            }
        }
    }

    /// Repairs the lists of nodes `range` that point at `dead` ones; returns the new lists.
    func repair(_ range: Range<Int>, isDead: (UInt32) -> Bool) -> [(node: UInt32, layer: Int, list: [UInt32])] {
        let changes = lock.withReadLock {
            range.flatMap { i -> [(node: UInt32, layer: Int, list: [UInt32])] in
                let n = UInt32(i)
                guard graph.linked[i], !isDead(n) else { return [] }
                return graph.planRepair(n, isDead: isDead)
            }
        }
        if !changes.isEmpty {
            lock.withWriteLock { for c in changes { graph.setNeighbours(c.node, layer: c.layer, c.list) } }
        }
        return changes
    }

    /// The nodes deleted but still in the graph.
    func tombstoneNodes() -> Set<UInt32> {
        lock.withReadLock { Set((0..<graph.count).compactMap { graph.states[$0] == HNSWGraph.tombstone ? UInt32($0) : nil }) }
    }

    /// Detaches repaired-out dead nodes and re-picks the entry point if needed.
    func detach(_ dead: [UInt32]) {
        lock.withWriteLock {
            var entryDied = false
            for n in dead where graph.states[Int(n)] == HNSWGraph.tombstone {
                if graph.entryPoint == n { entryDied = true }
                graph.detach(n)
                tombstones -= 1
            }
            if entryDied { graph.chooseEntryPoint() }
        }
    }

    // MARK: Searching

    /// Runs `body` with a visited list sized for `nodes` nodes, from a small pool.
    func withVisited<T>(nodes: Int, _ body: (VisitedList) -> T) -> T {
        let list = visitedPool.withLock { $0.popLast() } ?? VisitedList(capacity: nodes)
        list.reset(nodes: nodes)
        defer { visitedPool.withLock { if $0.count < 8 { $0.append(list) } } }
        return body(list)
    }

    /// The `k` best live nodes passing `filter`: exactly (a scan) when `exact` is set or
    /// the filter names few enough candidates, else by the graph plus a scan of the
    /// unlinked nodes.
    func search(query: PreparedVector, k: Int, ef: Int, filter: NodeFilter?, exact: Bool) -> TopResults {
        lock.withReadLock {
            let accept: (UInt32) -> Bool
            if let filter, let filters {
                accept = { n in self.graph.isLive(n) && filter.matches(filters.projection(n), id: self.graph.ids[Int(n)]) }
            } else {
                accept = { n in self.graph.isLive(n) }
            }
            return query.components.withUnsafeBytes { q in
                let query = q.baseAddress!  // a prepared vector is never empty
                if exact { return scan(query, nodes: 0..<UInt32(graph.count), k: k, accept: accept) }
                if let filter, let filters, let candidates = filters.candidates(filter.predicate),
                    candidates.count <= exactCutoff(ef: ef)
                {
                    return scan(query, nodes: candidates, k: k, accept: accept)
                }
                var top = scan(query, nodes: unlinked, k: k, accept: accept)
                let found = withVisited(nodes: graph.count) { graph.search(query: query, k: k, ef: ef, visited: $0, accept: accept) }
                for r in found { top.offer(r.distance, graph.ids[Int(r.node)]) }
                return top
            }
        }
    }

    /// Candidate counts up to which scanning them beats a filtered graph search: the
    /// graph visits about ef × live / candidates nodes to find ef that pass.
    private func exactCutoff(ef: Int) -> Int {
        max(1024, Int((10 * Double(ef) * Double(max(live, 1))).squareRoot()))
    }

    private func scan<S: Sequence>(_ query: UnsafeRawPointer, nodes: S, k: Int, accept: (UInt32) -> Bool) -> TopResults
    where S.Element == UInt32 {
        var top = TopResults(k: k)
        var worst = Float.infinity
        for n in nodes {
            // The distance first: the checks only run for vectors that would rank.
            let d = graph.distance(query, n)
            if d <= worst, accept(n) {
                top.offer(d, graph.ids[Int(n)])
                worst = top.worst
            }
        }
        return top
    }
}
