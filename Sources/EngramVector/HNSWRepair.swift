/// Taking deleted nodes out of the graph without losing recall.
///
/// A deleted node stays in the graph as a tombstone (searches route through it but
/// never return it) until a repair pass: every other linked node whose list points at
/// a dead node gets that list rebuilt from its remaining neighbours plus the dead
/// nodes' own neighbours, chosen by the usual heuristic; then the dead nodes are
/// detached. This is the local reconnection hnswlib's `markDelete` leaves undone.
extension HNSWGraph {
    /// The new lists of `node` on every layer where it points at a dead node.
    func planRepair(_ node: UInt32, isDead: (UInt32) -> Bool) -> [(node: UInt32, layer: Int, list: [UInt32])] {
        var out: [(node: UInt32, layer: Int, list: [UInt32])] = []
        let base = UnsafeRawPointer(vector(node))
        for layer in 0...level(node) {
            let list = neighbours(node, layer: layer)
            guard list.contains(where: isDead) else { continue }
            var seen: Set<UInt32> = [node]
            var candidates: [(distance: Float, node: UInt32)] = []
            func consider(_ c: UInt32) {
                guard !isDead(c), seen.insert(c).inserted else { return }
                candidates.append((distance(base, c), c))
            }
            for n in list {
                if isDead(n) {
                    for second in neighbours(n, layer: layer) { consider(second) }
                } else {
                    consider(n)
                }
            }
            candidates.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.node < $1.node }
            out.append((node, layer, selectNeighbours(candidates, max: capacity(ofLayer: layer))))
        }
        return out
    }

    /// Takes a dead node out: no lists, absent. Every list pointing at it must have
    /// been repaired first.
    func detach(_ node: UInt32) {
        clearLinks(node)
        setState(node, Self.absent)
    }

    /// Picks a new entry point after the old one was detached: the linked node with the
    /// highest level (none when no node is linked).
    func chooseEntryPoint() {
        entryPoint = nil
        maxLevel = 0
        for i in 0..<count where linked[i] {
            let l = Int(levels[i])
            if entryPoint == nil || l > maxLevel {
                entryPoint = UInt32(i)
                maxLevel = l
            }
        }
    }
}
