import EngramCore

/// A stored document: its id and its fields.
///
/// The system fields are derived: `_id` is the id's text form and `_creationTime` the
/// id's millisecond timestamp. ``value`` gives the whole document, system fields first.
public struct Document: Sendable, Equatable {
    /// The document's identity.
    public let id: DocumentID
    /// The user fields, in the order they were written.
    public var fields: ValueMap

    /// A document from its id and fields.
    public init(id: DocumentID, fields: ValueMap) {
        self.id = id
        self.fields = fields
    }

    /// Milliseconds since the epoch at which the document was inserted, with the id's
    /// sequence as a sub-millisecond fraction: strictly increasing in insertion order
    /// within a process, and ordered exactly as the ids are.
    public var creationTime: Double { Double(id.milliseconds) + Double(id.sequence) / 65536 }

    /// The whole document: `_id`, `_creationTime`, then every field.
    public var value: Value {
        var m = ValueMap(minimumCapacity: fields.count + 2)
        m["_id"] = .string(id.description)
        m["_creationTime"] = .double(creationTime)
        for (k, v) in fields { m[k] = v }
        return .map(m)
    }

    /// The value at `path`; `_id` and `_creationTime` resolve to the system fields.
    public func lookup(_ path: FieldPath) -> Value? {
        if path.components.count == 1 {
            switch path.root {
            case "_id": return .string(id.description)
            case "_creationTime": return .double(creationTime)
            default: return fields[path.root]
            }
        }
        return Value.map(fields).lookup(path)
    }

    /// Every value at `path`, stepping into arrays (see ``Value/lookupAll(_:)``).
    public func lookupAll(_ path: FieldPath) -> [Value] {
        if path.components.count == 1, path.root.hasPrefix("_") { return lookup(path).map { [$0] } ?? [] }
        return Value.map(fields).lookupAll(path)
    }
}

/// The limits every stored document respects.
public struct DocumentLimits: Sendable, Equatable {
    /// Largest encoded document, in bytes.
    public var maxDocumentBytes: Int = 16 << 20
    /// Deepest nesting of arrays and maps.
    public var maxDepth: Int = 64

    public init() {}

    /// Throws `INVALID_ARGUMENT` for reserved field names and `LIMIT_EXCEEDED` for a
    /// document too large or too deep; returns the encoding.
    func encode(_ fields: ValueMap, collection: String) throws -> [UInt8] {
        for key in fields.keys where key.hasPrefix("_") {
            throw EngramError(.invalidArgument, "field '\(key)' in '\(collection)': names starting with '_' are reserved")
        }
        let bytes = MessagePack.encode(.map(fields))
        guard bytes.count <= maxDocumentBytes else {
            throw EngramError(
                .limitExceeded, "a document of \(bytes.count) bytes exceeds the limit of \(maxDocumentBytes) bytes in '\(collection)'")
        }
        guard depth(of: .map(fields)) <= maxDepth else {
            throw EngramError(.limitExceeded, "a document nests deeper than \(maxDepth) levels in '\(collection)'")
        }
        return bytes
    }

    private func depth(of value: Value) -> Int {
        switch value {
        case .array(let a): return 1 + (a.lazy.map(depth).max() ?? 0)
        case .map(let m): return 1 + (m.values.lazy.map(depth).max() ?? 0)
        default: return 0
        }
    }
}
