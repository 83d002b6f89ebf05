/// The nodes one graph search has seen, cleared in O(1) between searches.
///
/// Each slot holds the generation in which its node was last visited; starting a new
/// search bumps the generation, so nothing needs zeroing until the counter wraps.
/// Used by one search at a time (a mirror hands lists out from a pool), which is what
/// makes the unchecked `Sendable` sound.
final class VisitedList: @unchecked Sendable {
    private var marks: UnsafeMutablePointer<UInt16>
    private(set) var capacity: Int
    private var generation: UInt16 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        marks = .allocate(capacity: self.capacity)
        marks.initialize(repeating: 0, count: self.capacity)
    }

    deinit { marks.deallocate() }

    /// Forgets every visit and makes room for `nodes` nodes.
    func reset(nodes: Int) {
        if nodes > capacity {
            marks.deallocate()
            capacity = max(nodes, capacity * 2)
            marks = .allocate(capacity: capacity)
            marks.initialize(repeating: 0, count: capacity)
            generation = 0
        }
        generation &+= 1
        if generation == 0 {
            marks.update(repeating: 0, count: capacity)
            generation = 1
        }
    }

    /// Marks `node` visited; returns false if it already was in this search.
    @inline(__always)
    func visit(_ node: UInt32) -> Bool {
        let i = Int(node)
        if marks[i] == generation { return false }
        marks[i] = generation
        return true
    }
}
