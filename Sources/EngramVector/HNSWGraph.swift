#if canImport(Glibc)
import Glibc
#endif

/// The in-memory form of one partition's HNSW graph: vectors, node states, levels
/// and neighbour lists indexed by node number (the layout of hnswlib).
///
/// Each node owns one fixed block of `stride` bytes, 64-byte aligned: its vector (as
/// prepared: normalised under cosine), then its layer-0 list (the count, then up to
/// `m0` neighbours). A search that scored a node has just streamed its vector into
/// the cache, so expanding it later finds the list right behind. Nodes above layer 0
/// also get a separate block of `level × (m + 1)` words for the upper layers.
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
    /// Bytes per node block, and the offset of the layer-0 list in it.
    private let stride: Int, listOffset: Int

    private(set) var capacity: Int
    /// Node numbers below `count` have slots (some may be absent).
    private(set) var count = 0
    private var blocks: UnsafeMutableRawPointer
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
        listOffset = dimension * 4
        stride = (dimension * 4 + (2 * m + 1) * 4 + 63) / 64 * 64
        self.capacity = max(capacity, 16)
        (blocks, ids, states, levels, linked, upper) = Self.allocate(self.capacity, stride: stride, listOffset: listOffset)
    }

    deinit {
        for i in 0..<count { upper[i]?.deallocate() }
        Self.free(blocks, ids, states, levels, linked, upper)
    }

    private typealias Arrays = (
        UnsafeMutableRawPointer, UnsafeMutablePointer<RawDocumentID>, UnsafeMutablePointer<UInt8>,
        UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Bool>, UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    )

    private static func allocate(_ n: Int, stride: Int, listOffset: Int) -> Arrays {
        let blocks = allocateBlocks(byteCount: n * stride)
        for i in 0..<n {
            let block = blocks + i * stride
            block.initializeMemory(as: Float.self, repeating: 0, count: listOffset / 4)  // absent nodes score as zeros
            (block + listOffset).initializeMemory(as: UInt32.self, repeating: 0, count: (stride - listOffset) / 4)
        }
        let ids = UnsafeMutablePointer<RawDocumentID>.allocate(capacity: n)
        let states = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        states.initialize(repeating: absent, count: n)
        let levels = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
        levels.initialize(repeating: 0, count: n)
        let linked = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        linked.initialize(repeating: false, count: n)
        let up = UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>.allocate(capacity: n)
        up.initialize(repeating: nil, count: n)
        return (blocks, ids, states, levels, linked, up)
    }

    /// Large block arrays are 2 MiB aligned and marked for transparent huge pages: a
    /// graph walk touches vectors all over the array, and with 4 KiB pages nearly every
    /// step would also miss the TLB.
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
        _ blocks: UnsafeMutableRawPointer, _ ids: UnsafeMutablePointer<RawDocumentID>, _ states: UnsafeMutablePointer<UInt8>,
        _ levels: UnsafeMutablePointer<UInt8>, _ linked: UnsafeMutablePointer<Bool>,
        _ up: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    ) {
        blocks.deallocate()
        ids.deallocate(); states.deallocate(); levels.deallocate(); linked.deallocate(); up.deallocate()
    }

    /// Makes room for node numbers below `n` (doubling), copying what is there.
    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        let next = max(n, capacity * 2)
        let fresh = Self.allocate(next, stride: stride, listOffset: listOffset)
        fresh.0.copyMemory(from: blocks, byteCount: count * stride)
        fresh.1.initialize(from: ids, count: count)
        fresh.2.update(from: states, count: count)
        fresh.3.update(from: levels, count: count)
        fresh.4.update(from: linked, count: count)
        fresh.5.update(from: upper, count: count)
        Self.free(blocks, ids, states, levels, linked, upper)
        (blocks, ids, states, levels, linked, upper) = fresh
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
        (blocks + i * stride).copyMemory(from: vector, byteCount: dimension * 4)
        clearLinks(node)
    }

    /// The stored vector of `node`.
    @inline(__always)
    func vector(_ node: UInt32) -> UnsafePointer<Float> {
        UnsafePointer((blocks + Int(node) * stride).assumingMemoryBound(to: Float.self))
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
        if layer == 0 { return (blocks + Int(node) * stride + listOffset).assumingMemoryBound(to: UInt32.self) }
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
