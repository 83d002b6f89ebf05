/// The in-memory form of one partition's HNSW graph: vectors, node states, levels
/// and neighbour lists in flat arrays indexed by node number (the layout of hnswlib).
///
/// Layer 0 gives every node a fixed slot of `m0 + 1` words (the count, then up to
/// `m0` neighbours); nodes above layer 0 also get a block of `level × (m + 1)` words.
/// Vectors are stored as prepared (normalised under cosine), 64-byte aligned.
///
/// Not thread-safe by itself: ``PartitionMirror`` guards it with a readers-writer lock
/// (searches share it; the single writer takes it exclusively to change anything).
final class HNSWGraph {
    /// Node states.
    static let absent: UInt8 = 0, live: UInt8 = 1, tombstone: UInt8 = 2
    /// Highest layer a node may get.
    static let maxLevel = 31

    let dimension: Int
    let metric: VectorMetric
    /// Neighbours per node above layer 0, and on layer 0.
    let m: Int, m0: Int
    let efConstruction: Int

    private(set) var capacity: Int
    /// Node numbers below `count` have slots (some may be absent).
    private(set) var count = 0
    private(set) var vectors: UnsafeMutablePointer<Float>
    private(set) var ids: UnsafeMutablePointer<RawDocumentID>
    private(set) var states: UnsafeMutablePointer<UInt8>
    private(set) var levels: UnsafeMutablePointer<UInt8>
    private(set) var linked: UnsafeMutablePointer<Bool>
    private var layer0: UnsafeMutablePointer<UInt32>
    private var upper: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>

    /// Where searches start, and the top layer.
    var entryPoint: UInt32?
    var maxLevel = 0

    init(dimension: Int, metric: VectorMetric, m: Int, efConstruction: Int, capacity: Int) {
        self.dimension = dimension
        self.metric = metric
        self.m = m
        self.m0 = 2 * m
        self.efConstruction = efConstruction
        self.capacity = max(capacity, 16)
        (vectors, ids, states, levels, linked, layer0, upper) = Self.allocate(self.capacity, dimension: dimension, m0: 2 * m)
    }

    deinit {
        for i in 0..<count { upper[i]?.deallocate() }
        Self.free(vectors, ids, states, levels, linked, layer0, upper)
    }

    private typealias Arrays = (
        UnsafeMutablePointer<Float>, UnsafeMutablePointer<RawDocumentID>, UnsafeMutablePointer<UInt8>,
        UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Bool>, UnsafeMutablePointer<UInt32>,
        UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    )

    private static func allocate(_ n: Int, dimension: Int, m0: Int) -> Arrays {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * dimension * 4, alignment: 64)
        let v = raw.bindMemory(to: Float.self, capacity: n * dimension)
        let ids = UnsafeMutablePointer<RawDocumentID>.allocate(capacity: n)
        let states = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        states.initialize(repeating: absent, count: n)
        let levels = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        levels.initialize(repeating: 0, count: n)
        let linked = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        linked.initialize(repeating: false, count: n)
        let l0 = UnsafeMutablePointer<UInt32>.allocate(capacity: n * (m0 + 1))
        l0.initialize(repeating: 0, count: n * (m0 + 1))
        let up = UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>.allocate(capacity: n)
        up.initialize(repeating: nil, count: n)
        return (v, ids, states, levels, linked, l0, up)
    }

    private static func free(
        _ v: UnsafeMutablePointer<Float>, _ ids: UnsafeMutablePointer<RawDocumentID>, _ states: UnsafeMutablePointer<UInt8>,
        _ levels: UnsafeMutablePointer<UInt8>, _ linked: UnsafeMutablePointer<Bool>, _ l0: UnsafeMutablePointer<UInt32>,
        _ up: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    ) {
        UnsafeMutableRawPointer(v).deallocate()
        ids.deallocate(); states.deallocate(); levels.deallocate(); linked.deallocate(); l0.deallocate(); up.deallocate()
    }

    /// Makes room for node numbers below `n` (doubling), copying what is there.
    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        let next = max(n, capacity * 2)
        let fresh = Self.allocate(next, dimension: dimension, m0: m0)
        fresh.0.update(from: vectors, count: count * dimension)
        fresh.1.initialize(from: ids, count: count)
        fresh.2.update(from: states, count: count)
        fresh.3.update(from: levels, count: count)
        fresh.4.update(from: linked, count: count)
        fresh.5.update(from: layer0, count: count * (m0 + 1))
        fresh.6.update(from: upper, count: count)
        Self.free(vectors, ids, states, levels, linked, layer0, upper)
        (vectors, ids, states, levels, linked, layer0, upper) = fresh
        capacity = next
    }

    // MARK: Nodes

    /// Stores node `node` (unlinked), growing the arrays as needed.
    func setNode(_ node: UInt32, state: UInt8, level: Int, id: RawDocumentID, vector: UnsafeRawPointer) {
        let i = Int(node)
        reserve(i + 1)
        if i >= count {
            (ids + count).initialize(repeating: id, count: i + 1 - count)
            count = i + 1
        }
        ids[i] = id
        states[i] = state
        levels[i] = UInt8(min(level, Self.maxLevel))
        UnsafeMutableRawPointer(vectors + i * dimension).copyMemory(from: vector, byteCount: dimension * 4)
        clearLinks(node)
    }

    /// The stored vector of `node`.
    @inline(__always)
    func vector(_ node: UInt32) -> UnsafePointer<Float> { UnsafePointer(vectors + Int(node) * dimension) }

    /// The distance between a query and `node`.
    @inline(__always)
    func distance(_ query: UnsafeRawPointer, _ node: UInt32) -> Float {
        metric.distance(query, vector(node), dimension: dimension)
    }

    func level(_ node: UInt32) -> Int { Int(levels[Int(node)]) }
    func isLive(_ node: UInt32) -> Bool { states[Int(node)] == Self.live }

    func setState(_ node: UInt32, _ state: UInt8) { states[Int(node)] = state }

    /// Drops `node`'s neighbour lists and marks it unlinked.
    func clearLinks(_ node: UInt32) {
        let i = Int(node)
        layer0[i * (m0 + 1)] = 0
        upper[i]?.deallocate()
        upper[i] = nil
        linked[i] = false
    }

    // MARK: Neighbour lists

    private func slot(_ node: UInt32, _ layer: Int) -> UnsafeMutablePointer<UInt32> {
        if layer == 0 { return layer0 + Int(node) * (m0 + 1) }
        return upper[Int(node)]! + (layer - 1) * (m + 1)  // callers only ask for layers up to the node's level, which have blocks
    }

    /// The neighbours of `node` on `layer` (which must be ≤ its level).
    @inline(__always)
    func neighbours(_ node: UInt32, layer: Int) -> UnsafeBufferPointer<UInt32> {
        let s = slot(node, layer)
        return UnsafeBufferPointer(start: s + 1, count: Int(s[0]))
    }

    /// Replaces the neighbours of `node` on `layer` (at most the layer's capacity) and
    /// marks the node linked.
    func setNeighbours(_ node: UInt32, layer: Int, _ list: [UInt32]) {
        let i = Int(node)
        if layer > 0 && upper[i] == nil {
            let words = level(node) * (m + 1)
            upper[i] = .allocate(capacity: words)
            upper[i]!.initialize(repeating: 0, count: words)  // allocated on the line above
        }
        let s = slot(node, layer)
        let n = min(list.count, layer == 0 ? m0 : m)
        s[0] = UInt32(n)
        for j in 0..<n { s[1 + j] = list[j] }
        linked[i] = true
    }

    /// The most neighbours a list of `layer` holds.
    func capacity(ofLayer layer: Int) -> Int { layer == 0 ? m0 : m }
}
