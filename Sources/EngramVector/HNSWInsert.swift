/// Linking a node into the graph (Malkov & Yashunin, Algorithms 1 and 4).
///
/// Linking is split in two so that searches run alongside it: ``planLink(_:visited:)``
/// only reads the graph (under the shared lock) and returns every neighbour list that
/// must change; ``apply(_:)`` stores them (under the exclusive lock). Only the one
/// writer links, so nothing changes between the two steps.
extension HNSWGraph {
    /// The lists one link (or repair) changes.
    struct LinkPlan {
        var node: UInt32
        /// (node, layer, new list) for the node itself and every neighbour touched.
        var lists: [(node: UInt32, layer: Int, list: [UInt32])] = []
        /// Whether the node becomes the entry point (its level is above the graph's).
        var becomesEntry = false
    }

    /// Everything linking `node` (stored, unlinked, live) would change.
    func planLink(_ node: UInt32, visited: VisitedList) -> LinkPlan {
        var plan = LinkPlan(node: node)
        let level = self.level(node)
        guard let entry = entryPoint else {
            plan.becomesEntry = true
            for layer in 0...level { plan.lists.append((node, layer, [])) }
            return plan
        }
        let query = UnsafeRawPointer(vector(node))
        var current = (distance: distance(query, entry), node: entry)
        var layer = maxLevel
        while layer > level {
            current = greedy(query: query, from: current, layer: layer)
            layer -= 1
        }
        var pending: [Int: [UInt32]] = [:]  // neighbours' lists as changed so far, by node << 6 | layer
        for layer in stride(from: min(level, maxLevel), through: 0, by: -1) {
            visited.reset(nodes: count)
            let found = searchLayer(
                query: query, entries: [current], ef: efConstruction, layer: layer, visited: visited,
                accept: { $0 != node && self.isLive($0) }
            ).sortedNearestFirst()
            let chosen = selectNeighbours(found, max: m)
            plan.lists.append((node, layer, chosen))
            for other in chosen {
                let key = Int(other) << 6 | layer
                var list = pending[key] ?? Array(neighbours(other, layer: layer))
                if list.count < capacity(ofLayer: layer) {
                    list.append(node)
                } else {
                    let base = UnsafeRawPointer(vector(other))
                    let scored = (list + [node]).map { (distance: distance(base, $0), node: $0) }
                        .sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.node < $1.node }
                    list = selectNeighbours(scored, max: capacity(ofLayer: layer))
                }
                pending[key] = list
                plan.lists.removeAll { $0.node == other && $0.layer == layer }
                plan.lists.append((other, layer, list))
            }
            if let nearest = found.first { current = nearest }
        }
        if level > maxLevel {
            for layer in (maxLevel + 1)...level { plan.lists.append((node, layer, [])) }
            plan.becomesEntry = true
        }
        return plan
    }

    /// Stores a plan's lists and, if it says so, makes its node the entry point.
    func apply(_ plan: LinkPlan) {
        for change in plan.lists { setNeighbours(change.node, layer: change.layer, change.list) }
        linked[Int(plan.node)] = true
        if plan.becomesEntry {
            entryPoint = plan.node
            maxLevel = level(plan.node)
        }
    }

    /// The heuristic of the paper (Algorithm 4, as in hnswlib): walking candidates from
    /// the nearest, keep one only if it is closer to the base than to every one kept,
    /// so the neighbours spread in different directions. Up to `max`.
    func selectNeighbours(_ candidates: [(distance: Float, node: UInt32)], max: Int) -> [UInt32] {
        if candidates.count <= max { return candidates.map(\.node) }
        var kept: [UInt32] = []
        kept.reserveCapacity(max)
        for c in candidates {
            if kept.count >= max { break }
            let v = UnsafeRawPointer(vector(c.node))
            if kept.allSatisfy({ distance(v, $0) >= c.distance }) { kept.append(c.node) }
        }
        return kept
    }
}
