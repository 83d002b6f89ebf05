import EngramCore

/// A matching document with its position in the result order.
///
/// `key` is the index key (or id, or in-memory sort key) of the match; keys of
/// different shards compare in the same order, which is how ``Database`` merges
/// shards and how cursors resume. When no condition needed the document to decide
/// the match, it is kept encoded and decoded only if it makes the final page, so a
/// fan-out query decodes only the documents it returns.
struct QueryMatch {
    enum Payload {
        case decoded(Document)
        case encoded(DocumentID, [UInt8])
    }

    let key: [UInt8]
    let payload: Payload

    init(key: [UInt8], document: Document) {
        self.key = key
        self.payload = .decoded(document)
    }

    init(key: [UInt8], id: DocumentID, encoded: [UInt8]) {
        self.key = key
        self.payload = .encoded(id, encoded)
    }

    /// The document, decoding it if it was kept encoded.
    func document() throws -> Document {
        switch payload {
        case .decoded(let d): return d
        case .encoded(let id, let bytes): return try bytes.withUnsafeBytes { try CollectionStore.decode(id: id, $0) }
        }
    }
}

/// Runs queries against one shard.
struct QueryExecutor {
    let scope: ReadScope
    /// Which indexes the planner may use (nil: those ready in this shard).
    var usable: ((String) -> Bool)? = nil

    /// One page of `query` from this shard.
    func page(_ query: Query) throws -> QueryPage {
        let (matches, more) = try self.matches(query)
        return QueryPage(
            documents: try matches.map { try $0.document() },
            cursor: more ? matches.last.map { QueryCursor.encode(fingerprint: query.fingerprint, position: $0.key) } : nil)
    }

    /// Up to `query.limit` matches after the query's cursor, and whether more exist.
    func matches(_ query: Query) throws -> (matches: [QueryMatch], more: Bool) {
        if let limit = query.limit, limit < 0 {
            throw EngramError(.invalidArgument, "limit must not be negative, got \(limit)")
        }
        let store = try scope.collection(query.collection)
        let plan = try QueryPlan.make(query, store: store, usable: usable)
        let position = try query.cursor.map { try QueryCursor.decode($0, fingerprint: query.fingerprint) }
        let want = query.limit.map { $0 + 1 }
        var found = try collect(query, plan: plan, store: store, after: position, limit: want)
        let more = query.limit.map { found.count > $0 } ?? false
        if more { found.removeLast() }
        return (found, more)
    }

    /// Number of documents in this shard that match `query` (limit and cursor ignored).
    func count(_ query: Query) throws -> Int {
        let store = try scope.collection(query.collection)
        var plan = try QueryPlan.make(query, store: store, usable: usable)
        plan.sortInMemory = nil
        switch plan.source {
        case .creationOrder where query.filter == nil:
            return try store.count(in: scope.transaction)
        case .index(_, let ix, let range) where plan.rangeIsExact:
            var n = 0
            try scan(ix.database, range: range, descending: false, after: nil) { _, _ in n += 1; return true }
            return n
        default:
            return try collect(query, plan: plan, store: store, after: nil, limit: nil).count
        }
    }

    /// Matches in plan order after `position`, at most `limit`.
    private func collect(
        _ query: Query, plan: QueryPlan, store: CollectionStore, after position: [UInt8]?, limit: Int?
    ) throws -> [QueryMatch] {
        if let sortKeys = plan.sortInMemory {
            var all = try collectInSourceOrder(query, plan: plan, store: store, after: nil, limit: nil, decode: true)
                .map { m in let doc = try m.document(); return QueryMatch(key: Self.sortKey(doc, by: sortKeys), document: doc) }
            all.sort { $0.key.lexicographicallyPrecedes($1.key) }
            if let position {
                let firstAfter = all.firstIndex { compareBytes($0.key, position) > 0 } ?? all.count
                all.removeFirst(firstAfter)
            }
            if let limit, all.count > limit { all.removeLast(all.count - limit) }
            return all
        }
        return try collectInSourceOrder(query, plan: plan, store: store, after: position, limit: limit, decode: false)
    }

    /// Matches in the source's order. Documents are decoded only when the filter
    /// needs them (or `decode` asks); otherwise they are kept encoded.
    private func collectInSourceOrder(
        _ query: Query, plan: QueryPlan, store: CollectionStore, after position: [UInt8]?, limit: Int?, decode: Bool
    ) throws -> [QueryMatch] {
        var out: [QueryMatch] = []
        if limit == 0 { return out }
        var seen = Set<DocumentID>()
        let txn = scope.transaction
        let mustDecode = decode || (query.filter != nil && !plan.rangeIsExact)
        let accept: (UnsafeRawBufferPointer, DocumentID, UnsafeRawBufferPointer) throws -> Bool = { key, id, raw in
            if plan.mayRepeat, seen.contains(id) { return true }
            if mustDecode {
                let doc = try CollectionStore.decode(id: id, raw)
                if let f = query.filter, !f.matches(doc) { return true }
                out.append(QueryMatch(key: Array(key), document: doc))
            } else {
                out.append(QueryMatch(key: Array(key), id: id, encoded: Array(raw)))
            }
            if plan.mayRepeat { seen.insert(id) }
            return limit.map { out.count < $0 } ?? true
        }
        switch plan.source {
        case .creationOrder:
            try scan(store.documents, range: KeyRange(), descending: plan.descending, after: position) { key, value in
                try accept(key, try DocumentID(bytes: Array(key)), value)
            }
        case .index(_, let ix, let range):
            try scan(ix.database, range: range, descending: plan.descending, after: position) { key, _ in
                let id = try DocumentID(bytes: Array(key.suffix(DocumentID.byteCount)))
                guard let raw = try txn.get(store.documents, id.bytes) else {
                    throw EngramError(.storage, "index '\(ix.definition.name)' of '\(store.name)' names missing document \(id); run engram check")
                }
                return try accept(key, id, raw)
            }
        }
        return out
    }

    /// Visits the entries of `db` inside `range`, after `position` (exclusive, in
    /// scan direction), until `body` returns false.
    private func scan(
        _ db: SubDatabase, range: KeyRange, descending: Bool, after position: [UInt8]?,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let cursor = try scope.transaction.cursor(db)
        var entry: Cursor.Entry?
        if descending {
            var upper = range.end
            if let p = position, upper.map({ compareBytes(p, $0) < 0 }) ?? true { upper = p }
            entry = try cursor.seek(before: upper)
        } else {
            var lower = range.start
            if let p = position {
                let next = p + [0]  // the smallest key after p
                if lower.map({ compareBytes(next, $0) > 0 }) ?? true { lower = next }
            }
            entry = try lower.map { try cursor.seek(atLeast: $0) } ?? cursor.first()
        }
        while let e = entry, range.contains(e.key) {
            guard try body(e.key, e.value) else { return }
            entry = descending ? try cursor.previous() : try cursor.next()
        }
    }

    /// The in-memory sort key: each sort field's key encoding (complemented when
    /// descending), then the id (complemented when the last field is descending).
    static func sortKey(_ doc: Document, by fields: [Query.SortField]) -> [UInt8] {
        var key: [UInt8] = []
        for f in fields {
            let enc = KeyEncoding.encode(doc.lookup(f.path))
            key += f.descending ? enc.map { ~$0 } : enc
        }
        let lastDescending = fields.last?.descending ?? false
        key += lastDescending ? doc.id.bytes.map { ~$0 } : doc.id.bytes
        return key
    }
}

/// Opaque, resumable positions in a query's results.
///
/// A cursor is base64url of MessagePack `[1, fingerprint, position]`: the query's
/// fingerprint (so a cursor cannot be replayed against another query) and the key
/// of the last document returned. Resuming continues strictly after that key, so
/// documents written since are seen if they sort later and never repeated.
enum QueryCursor {
    static func encode(fingerprint: UInt64, position: [UInt8]) -> String {
        Base64URL.encode(MessagePack.encode([1, .int(Int64(bitPattern: fingerprint)), .bytes(position)]))
    }

    static func decode(_ token: String, fingerprint: UInt64) throws -> [UInt8] {
        guard let raw = Base64URL.decode(token), case .array(let parts)? = try? MessagePack.decode(raw), parts.count == 3,
            parts[0] == 1, case .int(let fp) = parts[1], case .bytes(let position) = parts[2]
        else { throw EngramError(.invalidCursor, "malformed query cursor") }
        guard UInt64(bitPattern: fp) == fingerprint else {
            throw EngramError(.invalidCursor, "the cursor belongs to a different query")
        }
        return position
    }
}
