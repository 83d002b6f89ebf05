import EngramCore

/// Converts schema declarations to and from `Value`, the form recorded on disk.
extension CollectionSchema {
    /// The declaration as a map.
    public var encoded: Value {
        let placementValue: Value
        switch placement {
        case .shardKey(let p): placementValue = ["shardKey": .string(p.description)]
        case .byID: placementValue = "byID"
        case .system: placementValue = "system"
        }
        var m: ValueMap = [
            "name": .string(name),
            "placement": placementValue,
            "indexes": .array(indexes.map(\.encoded)),
        ]
        switch versions {
        case nil: break
        case .all: m["versions"] = "all"
        case .last(let n): m["versions"] = .int(Int64(n))
        }
        return .map(m)
    }

    /// Reads a declaration written by ``encoded``. Throws `SCHEMA_MISMATCH` if malformed.
    public init(decoding value: Value) throws {
        func bad() -> EngramError { EngramError(.schemaMismatch, "malformed collection declaration on disk") }
        guard let name = value["name"]?.stringValue, let indexes = value["indexes"]?.arrayValue else { throw bad() }
        let placement: Placement
        switch value["placement"] {
        case .string("byID")?: placement = .byID
        case .string("system")?: placement = .system
        case .map(let m)?:
            guard let p = m["shardKey"]?.stringValue else { throw bad() }
            placement = .shardKey(try FieldPath(parsing: p))
        default: throw bad()
        }
        let versions: VersionRetention?
        switch value["versions"] {
        case nil: versions = nil
        case .string("all")?: versions = .all
        case let v? where v.int64Value != nil: versions = .last(Int(v.int64Value!))  // checked non-nil in the pattern
        default: throw bad()
        }
        self.init(
            name: name, placement: placement, indexes: try indexes.map(IndexDefinition.init(decoding:)), versions: versions)
    }
}

extension IndexDefinition {
    /// The definition as a map.
    public var encoded: Value {
        [
            "name": .string(name),
            "kind": .string(kind),
            "fields": .array(fields.map { .string($0.description) }),
            "multiEntry": .bool(multiEntry),
            "options": options,
        ]
    }

    /// Reads a definition written by ``encoded``. Throws `SCHEMA_MISMATCH` if malformed.
    public init(decoding value: Value) throws {
        guard let name = value["name"]?.stringValue, let kind = value["kind"]?.stringValue,
            let fields = value["fields"]?.arrayValue, let multiEntry = value["multiEntry"]?.boolValue
        else { throw EngramError(.schemaMismatch, "malformed index declaration on disk") }
        self.init(
            name: name, kind: kind,
            fields: try fields.map { try FieldPath(parsing: $0.stringValue ?? "") },
            multiEntry: multiEntry, options: value["options"] ?? .map([:]))
    }
}
