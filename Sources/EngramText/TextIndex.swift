import EngramCore
import EngramStorage

/// The `"text"` index kind: an inverted index over one string field, for BM25 search
/// with exact filters.
///
/// Declared as `IndexDefinition(name:, kind: "text", fields: [text, filter…], options:)`
/// (or with ``definition(_:text:filters:tokenizer:bm25:)``). The first field holds the
/// text; a document whose text field is not a string is not in the index. The other
/// fields are filter fields: a search may filter on them, exactly. Postings are
/// partitioned by the value of the first filter field, so a search with an equality on
/// it reads that partition's postings only. Options: the ``TokenizerOptions`` keys
/// (`splitting`, `foldDiacritics`, `stemming`, `stopWords`, `maxTermLength`) and the
/// ``BM25Parameters`` keys (`k1`, `b`); any other key is rejected.
///
/// Maintained in the document's write transaction (``apply(id:old:new:in:)``): an
/// insert, replace or delete changes exactly the postings, lengths and statistics of
/// that document, so a committed write is searchable at once. See ``TextIndexLayout``
/// for what is stored.
public final class TextIndex: ShardIndex {
    /// The kind name, `"text"`.
    public static let kind = "text"

    /// The factory to pass in `StorageOptions.indexFactories`.
    public static let factory = IndexFactory(kind: kind) { try TextIndex(context: $0) }

    /// Most filter fields of one text index.
    public static let maxFilterFields = 16

    public let definition: IndexDefinition
    /// How text is cut into terms.
    public let tokenizer: Tokenizer
    /// The BM25 parameters.
    public let bm25: BM25Parameters
    let collection: String
    let textField: FieldPath
    let filterFields: [FieldPath]
    let postings: SubDatabase
    let documents: SubDatabase
    let ids: SubDatabase
    let stats: SubDatabase
    let partitions: SubDatabase

    /// A text index declaration.
    public static func definition(
        _ name: String, text: FieldPath, filters: [FieldPath] = [], tokenizer: TokenizerOptions = TokenizerOptions(),
        bm25: BM25Parameters = BM25Parameters()
    ) -> IndexDefinition {
        var options = tokenizer.encoded
        options["k1"] = .double(bm25.k1)
        options["b"] = .double(bm25.b)
        return IndexDefinition(name: name, kind: kind, fields: [text] + filters, options: .map(options))
    }

    static let optionKeys: Set<String> = ["splitting", "foldDiacritics", "stemming", "stopWords", "maxTermLength", "k1", "b"]

    init(context: IndexContext) throws {
        let def = context.definition
        guard let text = def.fields.first else {
            throw EngramError(.invalidArgument, "text index '\(def.name)' needs a text field")
        }
        guard def.fields.count - 1 <= Self.maxFilterFields else {
            throw EngramError(.invalidArgument, "text index '\(def.name)' has more than \(Self.maxFilterFields) filter fields")
        }
        guard case .map(let options) = def.options else {
            throw EngramError(.invalidArgument, "text index '\(def.name)': options must be a map")
        }
        if let unknown = options.keys.first(where: { !Self.optionKeys.contains($0) }) {
            throw EngramError(.invalidArgument, "text index '\(def.name)': unknown option '\(unknown)'")
        }
        definition = def
        tokenizer = Tokenizer(try TokenizerOptions(decoding: options, index: def.name))
        bm25 = try BM25Parameters(decoding: options, index: def.name)
        collection = context.collection.name
        textField = text
        filterFields = Array(def.fields.dropFirst())
        postings = try context.openDatabase("post")
        documents = try context.openDatabase("docs")
        ids = try context.openDatabase("ids")
        stats = try context.openDatabase("stats")
        partitions = try context.openDatabase("parts")
    }

    /// The first filter field, whose value partitions the postings.
    var partitionField: FieldPath? { filterFields.first }

    /// What the index holds for one document.
    struct Entry: Equatable {
        var partition: [UInt8]
        var frequencies: [[UInt8]: UInt32]
        var length: UInt32
    }

    /// The text of a document, if it is indexed.
    func text(of document: Document) -> String? {
        document.lookup(textField)?.stringValue
    }

    /// The partition of a document.
    func partition(of document: Document) -> [UInt8] {
        TextIndexLayout.partition(partitionField.map { document.lookup($0) } ?? nil, hasFilterFields: partitionField != nil).key
    }

    /// The index entry of a document, or nil if it has no text.
    func entry(_ document: Document) -> Entry? {
        guard let text = text(of: document) else { return nil }
        var frequencies: [[UInt8]: UInt32] = [:]
        var length: UInt32 = 0
        tokenizer.forEachTerm(text) { term in
            frequencies[term, default: 0] += 1
            length += 1
        }
        return Entry(partition: partition(of: document), frequencies: frequencies, length: length)
    }

    public func apply(id: DocumentID, old: ValueMap?, new: ValueMap?, in txn: Transaction) throws {
        let oldDoc = old.map { Document(id: id, fields: $0) }
        let newDoc = new.map { Document(id: id, fields: $0) }
        if let o = oldDoc, let n = newDoc, text(of: o) == text(of: n), partition(of: o) == partition(of: n) { return }
        let before = oldDoc.flatMap(entry)
        let after = newDoc.flatMap(entry)
        if before == nil, after == nil { return }
        let lists = PostingLists(database: postings)
        var counters = try Counters(stats, in: txn)
        let docnum: UInt64
        if before != nil {
            guard let raw = try txn.get(ids, id.bytes), let n = BigEndian.read(raw, at: 0) else {
                throw EngramError(.storage, "text index '\(definition.name)' has no entry for document \(id)")
            }
            docnum = n
        } else {
            docnum = counters.next
            counters.next += 1
        }

        if let b = before, let a = after, b.partition == a.partition {
            for (term, tf) in a.frequencies where b.frequencies[term] != tf || b.length != a.length {
                let prefix = TextIndexLayout.termPrefix(partition: a.partition, term: term)
                try lists.insert(prefix: prefix, Posting(doc: docnum, tf: tf, length: a.length), in: txn)
                if b.frequencies[term] == nil { try addDocumentFrequency(term, 1, in: txn) }
            }
            for term in b.frequencies.keys where a.frequencies[term] == nil {
                try lists.remove(prefix: TextIndexLayout.termPrefix(partition: b.partition, term: term), doc: docnum, in: txn)
                try addDocumentFrequency(term, -1, in: txn)
            }
        } else {
            if let b = before {
                for term in b.frequencies.keys {
                    try lists.remove(prefix: TextIndexLayout.termPrefix(partition: b.partition, term: term), doc: docnum, in: txn)
                    try addDocumentFrequency(term, -1, in: txn)
                }
                try addToPartition(b.partition, -1, in: txn)
            }
            if let a = after {
                for (term, tf) in a.frequencies {
                    let prefix = TextIndexLayout.termPrefix(partition: a.partition, term: term)
                    try lists.insert(prefix: prefix, Posting(doc: docnum, tf: tf, length: a.length), in: txn)
                    try addDocumentFrequency(term, 1, in: txn)
                }
                try addToPartition(a.partition, 1, in: txn)
            }
        }

        if let b = before {
            counters.documents -= 1
            counters.length -= UInt64(b.length)
        }
        let key = BigEndian.bytes(docnum)
        if let a = after {
            counters.documents += 1
            counters.length += UInt64(a.length)
            var value = id.bytes
            Varint.append(UInt64(a.length), to: &value)
            try txn.put(documents, key, value)
            if before == nil { try txn.put(ids, id.bytes, key) }
        } else {
            try txn.delete(documents, key)
            try txn.delete(ids, id.bytes)
        }
        try counters.write(stats, in: txn)
    }

    private func addDocumentFrequency(_ term: [UInt8], _ delta: Int64, in txn: Transaction) throws {
        try Self.addCount(stats, TextIndexLayout.dfKey(term), delta, in: txn)
    }

    private func addToPartition(_ partition: [UInt8], _ delta: Int64, in txn: Transaction) throws {
        try Self.addCount(partitions, partition, delta, in: txn)
    }

    /// Adds `delta` to the varint count at `key`, deleting the key when it reaches 0.
    static func addCount(_ db: SubDatabase, _ key: [UInt8], _ delta: Int64, in txn: Transaction) throws {
        let current = try txn.get(db, key).flatMap { Varint.decode($0) } ?? 0
        let next = Int64(current) + delta
        guard next >= 0 else { throw EngramError(.storage, "a count in '\(db.name)' would go negative") }
        if next == 0 {
            try txn.delete(db, key)
        } else {
            try txn.put(db, key, Varint.encode(UInt64(next)))
        }
    }

    /// Reads the varint count at `key` (0 when absent).
    static func count(_ db: SubDatabase, _ key: [UInt8], in txn: Transaction) throws -> UInt64 {
        try txn.get(db, key).flatMap { Varint.decode($0) } ?? 0
    }
}

/// The per-shard counters of a text index: documents, their total length and the next
/// document number.
struct Counters {
    var documents: UInt64
    var length: UInt64
    var next: UInt64

    init(_ stats: SubDatabase, in txn: Transaction) throws {
        documents = try TextIndex.count(stats, TextIndexLayout.documentsKey, in: txn)
        length = try TextIndex.count(stats, TextIndexLayout.lengthKey, in: txn)
        next = try TextIndex.count(stats, TextIndexLayout.nextKey, in: txn)
    }

    func write(_ stats: SubDatabase, in txn: Transaction) throws {
        try txn.put(stats, TextIndexLayout.documentsKey, Varint.encode(documents))
        try txn.put(stats, TextIndexLayout.lengthKey, Varint.encode(length))
        try txn.put(stats, TextIndexLayout.nextKey, Varint.encode(next))
    }
}
