import CVectorKernels

/// Searching the graph (Malkov & Yashunin, Algorithms 2 and 5).
extension HNSWGraph {
    /// The best `ef` accepted nodes reachable on `layer` from `entries`, as a heap whose
    /// top is the farthest.
    ///
    /// Nodes that are not accepted (deleted, or failing a filter) are still traversed,
    /// so they keep the graph connected, but never enter the result; while the result
    /// holds fewer than `ef` nodes the search keeps expanding.
    ///
    /// An expanded node's unvisited neighbours are scored four at a time
    /// (``VectorMetric/distances(_:_:dimension:into:)``: the same values, with the
    /// four vectors' memory loads overlapping), then considered in list order.
    func searchLayer(
        query: UnsafeRawPointer, entries: [(distance: Float, node: UInt32)], ef: Int, layer: Int, visited: VisitedList,
        accept: (UInt32) -> Bool
    ) -> DistanceHeap {
        var candidates = DistanceHeap(nearestFirst: true, capacity: 4 * ef)
        var top = DistanceHeap(nearestFirst: false, capacity: ef + 1)
        for e in entries where visited.visit(e.node) {
            candidates.push(e.distance, e.node)
            if accept(e.node) { top.push(e.distance, e.node) }
        }
        var bound = top.count >= ef ? top.top!.distance : Float.infinity  // top holds ef ≥ 1 items here
        // The unvisited neighbours of the node being expanded, scored four at a time.
        let fresh = UnsafeMutablePointer<UInt32>.allocate(capacity: m0 + 4)
        defer { fresh.deallocate() }
        let scored = UnsafeMutablePointer<Float>.allocate(capacity: 4)
        defer { scored.deallocate() }
        let rows = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: 4)
        defer { rows.deallocate() }
        while let (d, current) = candidates.pop() {
            if d > bound { break }
            var count = 0
            for next in neighbours(current, layer: layer) where visited.visit(next) {
                fresh[count] = next
                count += 1
            }
            for t in 0..<min(count, 4) { engram_prefetch(vector(fresh[t])) }
            var j = 0
            while j < count {
                let group = min(4, count - j)
                for t in stride(from: j + 4, to: min(j + 8, count), by: 1) { engram_prefetch(vector(fresh[t])) }
                if group == 4 {
                    for t in 0..<4 { rows[t] = UnsafeRawPointer(vector(fresh[j + t])) }
                    metric.distances(query, rows, dimension: dimension, into: scored)
                } else {
                    for t in 0..<group { scored[t] = distance(query, fresh[j + t]) }
                }
                for t in 0..<group {
                    let next = fresh[j + t], dn = scored[t]
                    guard top.count < ef || dn < bound else { continue }
                    if layer == 0 { prefetchList(next) }
                    candidates.push(dn, next)
                    if accept(next) {
                        top.push(dn, next)
                        if top.count > ef { top.pop() }
                        if top.count >= ef { bound = top.top!.distance }  // non-empty: count ≥ ef ≥ 1
                    }
                }
                j += group
            }
        }
        return top
    }

    /// Greedy walk on `layer` from `start` to a local minimum (deleted nodes included:
    /// they only route).
    func greedy(query: UnsafeRawPointer, from start: (distance: Float, node: UInt32), layer: Int) -> (distance: Float, node: UInt32) {
        var best = start
        var moved = true
        while moved {
            moved = false
            for next in neighbours(best.node, layer: layer) {
                let d = distance(query, next)
                if d < best.distance {
                    best = (d, next)
                    moved = true
                }
            }
        }
        return best
    }

    /// The `k` nearest accepted nodes, nearest first, searching layer 0 with breadth
    /// `max(ef, k)`. Empty when the graph is.
    func search(query: UnsafeRawPointer, k: Int, ef: Int, visited: VisitedList, accept: (UInt32) -> Bool) -> [(distance: Float, node: UInt32)] {
        guard let entry = entryPoint else { return [] }
        var current = (distance: distance(query, entry), node: entry)
        var layer = maxLevel
        while layer > 0 {
            current = greedy(query: query, from: current, layer: layer)
            layer -= 1
        }
        let top = searchLayer(query: query, entries: [current], ef: max(ef, k), layer: 0, visited: visited, accept: accept)
        return Array(top.sortedNearestFirst().prefix(k))
    }
}
