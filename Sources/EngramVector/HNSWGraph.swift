import CVectorKernels
#if canImport(Glibc)
import Glibc
#endif

/// The in-memory form of one partition's HNSW graph: vectors, node states, levels
/// and neighbour lists indexed by node number (the layout of hnswlib).
///
/// Vectors (as prepared: normalised under cosine) lie back to back in one array, so an
/// exact scan streams them at memory speed; layer-0 lists (the count, then up to `m0`
/// neighbours) lie in another, one fixed slot per node. Both are on transparent huge
/// pages when large. Nodes above layer 0 also get a separate block of
/// `level × (m + 1)` words for the upper layers.
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
    /// Bytes per vector, and per layer-0 slot.
    private let vectorStride: Int, listStride: Int

    private(set) var capacity: Int
    /// Node numbers below `count` have slots (some may be absent).
    private(set) var count = 0
    private var vectors: UnsafeMutableRawPointer
    private var lists: UnsafeMutableRawPointer
    private(set) var ids: UnsafeMutablePointer<RawDocumentID>
    private(set) var states: UnsafeMutablePointer<UInt8>
    private(set) var levels: UnsafeMutablePointer<UInt8>
    private(set) var linked: UnsafeMutablePointer<Bool>
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
        vectorStride = dimension * 4
        listStride = (2 * m + 1) * 4
        self.capacity = max(capacity, 16)
        (vectors, lists, ids, states, levels, linked, upper) = Self.allocate(
            self.capacity, vectorStride: vectorStride, listStride: listStride)
    }

    deinit {
        for i in 0..<count { upper[i]?.deallocate() }
        Self.free(vectors, lists, ids, states, levels, linked, upper)
    }

    private typealias Arrays = (
        UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutablePointer<RawDocumentID>, UnsafeMutablePointer<UInt8>,
        UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Bool>, UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    )

    private static func allocate(_ n: Int, vectorStride: Int, listStride: Int) -> Arrays {
        let vectors = allocateBlocks(byteCount: n * vectorStride)
        vectors.initializeMemory(as: Float.self, repeating: 0, count: n * vectorStride / 4)  // absent nodes score as zeros
        let lists = allocateBlocks(byteCount: n * listStride)
        lists.initializeMemory(as: UInt32.self, repeating: 0, count: n * listStride / 4)
        let ids = UnsafeMutablePointer<RawDocumentID>.allocate(capacity: n)
        let states = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        states.initialize(repeating: absent, count: n)
        let levels = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        levels.initialize(repeating: 0, count: n)
        let linked = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        linked.initialize(repeating: false, count: n)
        let up = UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>.allocate(capacity: n)
        up.initialize(repeating: nil, count: n)
        return (vectors, lists, ids, states, levels, linked, up)
    }

    /// Large arrays are 2 MiB aligned and marked for transparent huge pages: a graph
    /// walk touches vectors all over the array, and with 4 KiB pages nearly every step
    /// would also miss the TLB (measured: 10–15% more queries per second).
    private static func allocateBlocks(byteCount: Int) -> UnsafeMutableRawPointer {
        let hugePage = 2 << 20
        guard byteCount >= 2 * hugePage else { return .allocate(byteCount: byteCount, alignment: 64) }
        let bytes = (byteCount + hugePage - 1) / hugePage * hugePage
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: hugePage)
        #if os(Linux)
        _ = madvise(p, bytes, MADV_HUGEPAGE)  // advice only: without it, ordinary pages
        #endif
        return p
    }

    private static func free(
        _ vectors: UnsafeMutableRawPointer, _ lists: UnsafeMutableRawPointer, _ ids: UnsafeMutablePointer<RawDocumentID>, _ states: UnsafeMutablePointer<UInt8>,
        _ levels: UnsafeMutablePointer<UInt8>, _ linked: UnsafeMutablePointer<Bool>,
        _ up: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    ) {
        vectors.deallocate(); lists.deallocate()
        ids.deallocate(); states.deallocate(); levels.deallocate(); linked.deallocate(); up.deallocate()
    }

    /// Makes room for node numbers below `n` (doubling), copying what is there.
    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        let next = max(n, capacity * 2)
        let fresh = Self.allocate(next, vectorStride: vectorStride, listStride: listStride)
        fresh.0.copyMemory(from: vectors, byteCount: count * vectorStride)
        fresh.1.copyMemory(from: lists, byteCount: count * listStride)
        fresh.2.initialize(from: ids, count: count)
        fresh.3.update(from: states, count: count)
        fresh.4.update(from: levels, count: count)
        fresh.5.update(from: linked, count: count)
        fresh.6.update(from: upper, count: count)
        Self.free(vectors, lists, ids, states, levels, linked, upper)
        (vectors, lists, ids, states, levels, linked, upper) = fresh
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
        (vectors + i * vectorStride).copyMemory(from: vector, byteCount: vectorStride)
        clearLinks(node)
    }

    /// The stored vector of `node`.
    @inline(__always)
    func vector(_ node: UInt32) -> UnsafePointer<Float> {
        UnsafePointer((vectors + Int(node) * vectorStride).assumingMemoryBound(to: Float.self))
    }

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
        slot(node, 0)[0] = 0
        upper[i]?.deallocate()
        upper[i] = nil
        linked[i] = false
    }

    // MARK: Neighbour lists

    private func slot(_ node: UInt32, _ layer: Int) -> UnsafeMutablePointer<UInt32> {
        if layer == 0 { return (lists + Int(node) * listStride).assumingMemoryBound(to: UInt32.self) }
        return upper[Int(node)]! + (layer - 1) * (m + 1)  // callers only ask for layers up to the node's level, which have blocks
    }

    /// Hints the CPU to start loading the layer-0 list of `node`, which a search is
    /// about to need: the node just joined its candidate queue.
    @inline(__always)
    func prefetchList(_ node: UInt32) { engram_prefetch(lists + Int(node) * listStride) }

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
