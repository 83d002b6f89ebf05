/// A binary heap of (distance, node) pairs ordered by distance, ties by node.
///
/// `nearestFirst` gives the candidate queue of a graph search (pop the closest);
/// otherwise the top is the farthest, which is what a bounded result set evicts.
struct DistanceHeap {
    private(set) var items: [(distance: Float, node: UInt32)] = []
    private let nearestFirst: Bool

    init(nearestFirst: Bool, capacity: Int = 0) {
        self.nearestFirst = nearestFirst
        items.reserveCapacity(capacity)
    }

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    /// The nearest (or farthest) pair.
    var top: (distance: Float, node: UInt32)? { items.first }

    @inline(__always)
    private func above(_ a: (distance: Float, node: UInt32), _ b: (distance: Float, node: UInt32)) -> Bool {
        if a.distance != b.distance { return nearestFirst ? a.distance < b.distance : a.distance > b.distance }
        return nearestFirst ? a.node < b.node : a.node > b.node
    }

    mutating func push(_ distance: Float, _ node: UInt32) {
        items.append((distance, node))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard above(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    @discardableResult
    mutating func pop() -> (distance: Float, node: UInt32)? {
        guard !items.isEmpty else { return nil }
        let first = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < items.count, above(items[l], items[best]) { best = l }
                if r < items.count, above(items[r], items[best]) { best = r }
                if best == i { break }
                items.swapAt(i, best)
                i = best
            }
        }
        return first
    }

    /// The pairs, nearest first.
    func sortedNearestFirst() -> [(distance: Float, node: UInt32)] {
        items.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.node < $1.node }
    }
}
