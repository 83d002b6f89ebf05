/// Top-k retrieval over the postings lists of one partition, document at a time,
/// without scoring every posting: MaxScore (Turtle and Flood, 1995) with block bounds.
///
/// Lists are ordered by the best score they can give. Once the results are full, the
/// lists whose bounds add up to less than the threshold are "non-essential": a document
/// found only in them cannot enter, so candidates come from the other lists alone, and
/// the non-essential lists are only advanced to a candidate (skipping whole blocks)
/// while its score plus their remaining bounds — using the bound of the block holding
/// the candidate — can still reach the threshold. Bounds are inflated by a relative
/// 1e-9 so that rounding never prunes a document that could tie; a tie is then
/// decided by document id, as in the results.
///
/// A document's score is summed over the query's term groups in group order, the best
/// list of each group counting (a prefix expansion is one group), so it is bitwise the
/// same whatever lists, partitions or shards it was found through.
enum MaxScore {
    /// Runs the search and calls `consider(docnum, score)` for every document whose
    /// score may enter `top` (the caller decides and inserts).
    static func run(
        _ cursors: [TermCursor], groups: Int, pruning: Bool, top: () -> TopResults,
        consider: (UInt64, Double) throws -> Void
    ) throws {
        let order = cursors.sorted { $0.upperBound < $1.upperBound }
        let m = order.count
        guard m > 0 else { return }
        var cumulative = [Double](repeating: 0, count: m)
        var running = 0.0
        for i in 0..<m {
            running += order[i].upperBound
            cumulative[i] = running
        }
        var best = [Double](repeating: 0, count: groups)
        var touched: [Int] = []
        var partial = 0.0
        func add(_ g: Int, _ x: Double) {
            if best[g] == 0 { touched.append(g) }
            if x > best[g] {
                partial += x - best[g]
                best[g] = x
            }
        }
        @inline(__always) func inflated(_ x: Double) -> Double { x * (1 + 1e-9) + 1e-12 }

        var essential = 0
        while true {
            let threshold = pruning ? top().threshold : nil
            if let t = threshold {
                while essential < m, inflated(cumulative[essential]) < t { essential += 1 }
            }
            if essential == m { return }
            var d = UInt64.max
            for i in essential..<m where order[i].doc < d { d = order[i].doc }
            if d == .max { return }

            partial = 0
            for i in essential..<m where order[i].doc == d {
                add(order[i].group, order[i].score)
                try order[i].next()
            }
            var pruned = false
            var i = essential - 1
            while i >= 0 {
                let c = order[i]
                if let t = threshold {
                    let below = i > 0 ? cumulative[i - 1] : 0
                    if inflated(partial + cumulative[i]) < t || inflated(partial + below + c.blockBound(at: d)) < t {
                        pruned = true
                        break
                    }
                }
                try c.advance(to: d)
                if c.doc == d { add(c.group, c.score) }
                i -= 1
            }
            if !pruned {
                var score = 0.0
                for g in 0..<groups { score += best[g] }
                if top().mayEnter(score) { try consider(d, score) }
            }
            for g in touched { best[g] = 0 }
            touched.removeAll(keepingCapacity: true)
        }
    }
}
