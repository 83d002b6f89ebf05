import EngramCore
import EngramStorage

/// A search filter checked against the filter values kept with each vector.
///
/// Built once per search. A predicate may only name the index's filter fields (and
/// `_id`, `_creationTime`), whose top-level values every node keeps, so checking a
/// node never reads its document.
struct NodeFilter {
    let predicate: Predicate
    private let needsID: Bool

    private static let placeholderID = DocumentID(milliseconds: 0, sequence: 0, collectionTag: 0, routing: 0, random: 0)

    /// Throws `INVALID_ARGUMENT` when `predicate` names a field the index does not keep.
    init(_ predicate: Predicate, filterRoots: Set<String>, index: String) throws {
        var roots = Set<String>()
        Self.collectRoots(predicate, into: &roots)
        let system: Set<String> = ["_id", "_creationTime"]
        for root in roots where !filterRoots.contains(root) && !system.contains(root) {
            throw EngramError(.invalidArgument, "field '\(root)' is not a filter field of vector index '\(index)'")
        }
        self.predicate = predicate
        needsID = !roots.isDisjoint(with: system)
    }

    /// Whether the node with these filter values (and id) passes.
    func matches(_ projection: ValueMap, id: RawDocumentID) -> Bool {
        let docID = needsID ? ((try? id.documentID()) ?? Self.placeholderID) : Self.placeholderID
        return predicate.matches(Document(id: docID, fields: projection))
    }

    private static func collectRoots(_ p: Predicate, into roots: inout Set<String>) {
        switch p {
        case .compare(let path, _, _), .isIn(let path, _), .contains(let path, _), .exists(let path): roots.insert(path.root)
        case .and(let ps), .or(let ps): for q in ps { collectRoots(q, into: &roots) }
        case .not(let q): collectRoots(q, into: &roots)
        }
    }
}
