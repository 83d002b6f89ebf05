import EngramCore

/// The built-in ordered index: one LMDB entry per document (or per array element,
/// for a multi-entry index) whose key is the tuple of the indexed values followed by
/// the document id, and whose value is empty.
///
/// Because the id starts with the creation time, entries with equal values are
/// ordered by `_creationTime` and then `_id`, as the catalogue's ordering rules need.
/// Components longer than their share of LMDB's key limit are truncated (see
/// ``KeyEncoding``); readers re-check every entry against the document.
final class SecondaryIndex: ShardIndex {
    let definition: IndexDefinition
    let database: SubDatabase
    /// Byte budget of each component: LMDB's key limit, less the id, shared equally.
    let componentBudget: Int

    /// Most entries one document may produce in a multi-entry index.
    static let maxEntriesPerDocument = 1000
    /// Most fields one secondary index may have.
    static let maxFields = 16

    init(context: IndexContext) throws {
        guard context.definition.fields.count <= Self.maxFields else {
            throw EngramError(.invalidArgument, "index '\(context.definition.name)' has more than \(Self.maxFields) fields")
        }
        definition = context.definition
        database = try context.openDatabase("keys")
        componentBudget = (context.environment.maxKeySize - DocumentID.byteCount) / max(1, definition.fields.count)
    }

    /// The factory for the `secondary` kind.
    static let factory = IndexFactory(kind: IndexDefinition.secondaryKind) { try SecondaryIndex(context: $0) }

    /// The encoded prefix of each entry of `fields` (without the id), sorted and unique.
    func entryPrefixes(_ document: Document) throws -> [[UInt8]] {
        if !definition.multiEntry {
            var key: [UInt8] = []
            key.reserveCapacity(32 * definition.fields.count)
            for path in definition.fields {
                KeyEncoding.append(document.lookup(path), budget: componentBudget, to: &key)
            }
            return [key]
        }
        var prefixes: [[UInt8]] = [[]]
        for path in definition.fields {
            let values = document.lookupAll(path)
            let encoded: [[UInt8]] = values.isEmpty
                ? [KeyEncoding.encode(nil)]
                : values.map { v in
                    var b: [UInt8] = []
                    KeyEncoding.append(v, budget: componentBudget, to: &b)
                    return b
                }
            guard prefixes.count * encoded.count <= Self.maxEntriesPerDocument else {
                throw EngramError(
                    .limitExceeded,
                    "document \(document.id) would add more than \(Self.maxEntriesPerDocument) entries to index '\(definition.name)'")
            }
            prefixes = prefixes.flatMap { p in encoded.map { p + $0 } }
        }
        return Array(Set(prefixes)).sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Every LMDB key of `fields` in this index.
    func keys(id: DocumentID, fields: ValueMap) throws -> [[UInt8]] {
        try entryPrefixes(Document(id: id, fields: fields)).map { $0 + id.bytes }
    }

    func apply(id: DocumentID, old: ValueMap?, new: ValueMap?, in txn: Transaction) throws {
        let oldKeys = try old.map { try keys(id: id, fields: $0) } ?? []
        let newKeys = try new.map { try keys(id: id, fields: $0) } ?? []
        if oldKeys == newKeys { return }
        if oldKeys.count <= 1, newKeys.count <= 1 {  // the common single-entry case, without sets
            if let o = oldKeys.first { try txn.delete(database, o) }
            if let n = newKeys.first { try txn.put(database, n, []) }
            return
        }
        let keep = Set(newKeys)
        for k in oldKeys where !keep.contains(k) { try txn.delete(database, k) }
        let had = Set(oldKeys)
        for k in newKeys where !had.contains(k) { try txn.put(database, k, []) }
    }

    func check(documents: CollectionStore, in txn: Transaction) throws -> [String] {
        var problems: [String] = []
        var expected = 0
        try documents.forEach(in: txn) { doc in
            for key in try keys(id: doc.id, fields: doc.fields) {
                expected += 1
                if try !txn.contains(database, key) {
                    problems.append("index '\(definition.name)': missing entry for document \(doc.id)")
                }
            }
            return true
        }
        let actual = try txn.count(database)
        guard actual != expected - problems.count else { return problems }
        // More entries than documents account for: find the strays.
        let cursor = try txn.cursor(database)
        var entry = try cursor.first()
        while let e = entry {
            let key = Array(e.key)
            let id = try DocumentID(bytes: Array(key.suffix(DocumentID.byteCount)))
            if let doc = try documents.document(id, in: txn) {
                if try !keys(id: id, fields: doc.fields).contains(key) {
                    problems.append("index '\(definition.name)': stale entry for document \(id)")
                }
            } else {
                problems.append("index '\(definition.name)': entry for missing document \(id)")
            }
            entry = try cursor.next()
        }
        return problems
    }
}
