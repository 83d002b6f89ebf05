import EngramCore
import EngramStorage

/// The filter values of a partition's nodes, and for each filter field the nodes
/// holding each value, so a selective filter can name its candidates directly.
///
/// A node's projection is the top-level fields its filter paths start at. Postings
/// hold, per filter path, both the value at the path and each element reachable
/// through arrays, so ``candidates(_:)`` is a superset of the nodes an `=`, `IN` or
/// `CONTAINS` condition matches; callers re-check every candidate with the predicate.
/// Stale entries (a node whose values changed, or that was deleted) are allowed.
final class FilterPostings {
    let paths: [FieldPath]
    private var projections: [ValueMap?] = []
    private var postings: [FieldPath: [Value: [UInt32]]] = [:]

    init(paths: [FieldPath]) {
        self.paths = paths
        for p in paths { postings[p] = [:] }
    }

    /// Records `node`'s filter values.
    func set(_ node: UInt32, _ projection: ValueMap) {
        let i = Int(node)
        if i >= projections.count { projections.append(contentsOf: repeatElement(nil, count: i + 1 - projections.count)) }
        projections[i] = projection
        let doc = Value.map(projection)
        for path in paths {
            var values = Set(doc.lookupAll(path))
            if let whole = doc.lookup(path) { values.insert(whole) }
            for v in values { postings[path]![v, default: []].append(node) }  // every declared path has a table (init)
        }
    }

    /// `node`'s filter values (empty when none were recorded).
    func projection(_ node: UInt32) -> ValueMap {
        let i = Int(node)
        return i < projections.count ? projections[i] ?? [:] : [:]
    }

    /// A sorted superset of the nodes `predicate` can match, or nil when the postings
    /// cannot bound it (a range, `NOT`, `EXISTS`, a path that is not a filter field).
    func candidates(_ predicate: Predicate) -> [UInt32]? {
        switch predicate {
        case .compare(let path, .equal, let value), .contains(let path, let value):
            guard let table = postings[path] else { return nil }
            return Self.sortedUnique(table[value] ?? [])
        case .isIn(let path, let values):
            guard let table = postings[path] else { return nil }
            return Self.sortedUnique(values.flatMap { table[$0] ?? [] })
        case .and(let parts):
            return parts.compactMap(candidates).min { $0.count < $1.count }
        case .or(let parts):
            var all: [UInt32] = []
            for p in parts {
                guard let c = candidates(p) else { return nil }
                all += c
            }
            return Self.sortedUnique(all)
        default:
            return nil
        }
    }

    private static func sortedUnique(_ nodes: [UInt32]) -> [UInt32] {
        var out = nodes.sorted()
        var w = 0
        for r in out.indices where r == 0 || out[r] != out[r - 1] {
            out[w] = out[r]
            w += 1
        }
        out.removeLast(out.count - w)
        return out
    }
}
