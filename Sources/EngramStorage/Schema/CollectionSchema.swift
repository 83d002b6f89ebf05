import EngramCore

/// Where a collection's documents live.
public enum Placement: Sendable, Hashable {
    /// By a stable hash of the value at this path (by `_id` when the field is absent).
    /// The field may not change after insert.
    case shardKey(FieldPath)
    /// Spread over all shards by `_id`.
    case byID
    /// All in shard 0: for small registries that are read whole.
    case system
}

/// How many prior versions of each document a collection keeps.
public enum VersionRetention: Sendable, Hashable {
    /// Every prior version.
    case all
    /// At most this many of the most recent prior versions.
    case last(Int)
}

/// A collection's declaration: name, placement, indexes and version history.
///
/// Declaring a collection is all it takes to use it; the database creates missing
/// indexes (building them online from the existing documents) and drops indexes that
/// are no longer declared. The declaration is also recorded on disk, so offline tools
/// (`engram check`, `compact`) work without the code that declared it.
public struct CollectionSchema: Sendable, Hashable {
    /// The collection's name; at most 64 characters of `[A-Za-z0-9_]`.
    public var name: String
    /// Where documents are stored.
    public var placement: Placement
    /// Secondary, text and vector indexes.
    public var indexes: [IndexDefinition]
    /// Prior versions kept on replace, patch and delete; nil keeps none.
    public var versions: VersionRetention?

    /// A collection declaration.
    public init(name: String, placement: Placement = .byID, indexes: [IndexDefinition] = [], versions: VersionRetention? = nil) {
        self.name = name
        self.placement = placement
        self.indexes = indexes
        self.versions = versions
    }

    /// The 16-bit tag that document ids of this collection carry.
    public var tag: UInt16 { Self.tag(for: name) }

    /// The tag for a collection name: a stable hash, never 0.
    public static func tag(for name: String) -> UInt16 {
        let t = UInt16(truncatingIfNeeded: StableHash.hash64(Array(name.utf8)))
        return t == 0 ? 1 : t
    }

    /// The index named `name`.
    public func index(named name: String) -> IndexDefinition? {
        indexes.first { $0.name == name }
    }

    /// Throws `INVALID_ARGUMENT` unless the name and every index are well formed.
    public func validate() throws {
        try Self.validateName(name, what: "collection")
        var seen = Set<String>()
        for index in indexes {
            try Self.validateName(index.name, what: "index")
            guard seen.insert(index.name).inserted else {
                throw EngramError(.invalidArgument, "collection '\(name)' declares index '\(index.name)' twice")
            }
            if index.kind == IndexDefinition.secondaryKind {
                guard !index.fields.isEmpty else {
                    throw EngramError(.invalidArgument, "index '\(name).\(index.name)' has no fields")
                }
            }
        }
        if case .last(let n) = versions, n < 1 {
            throw EngramError(.invalidArgument, "collection '\(name)' keeps \(n) versions; use nil to keep none")
        }
    }

    static func validateName(_ name: String, what: String) throws {
        let ok = !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x5f }
        guard ok else {
            throw EngramError(.invalidArgument, "\(what) name '\(name)' must be 1-64 characters of [A-Za-z0-9_]")
        }
    }
}

/// One index on a collection.
///
/// `kind` selects the implementation: `"secondary"` (built in: ordered by the
/// values at `fields`, then by `_creationTime` and `_id`) or a kind registered by
/// another target (`"vector"`, `"text"`), which reads its parameters from `options`.
public struct IndexDefinition: Sendable, Hashable {
    /// The kind of the built-in ordered index.
    public static let secondaryKind = "secondary"

    /// Name, unique within the collection.
    public var name: String
    /// Implementation kind.
    public var kind: String
    /// Field paths: the key of a secondary index; the vector or text field (first)
    /// and filter fields (rest) of other kinds.
    public var fields: [FieldPath]
    /// For a secondary index: one entry per element of each array met along a path,
    /// instead of one entry holding the whole array.
    public var multiEntry: Bool
    /// Kind-specific parameters.
    public var options: Value

    /// An index of any kind.
    public init(name: String, kind: String, fields: [FieldPath], multiEntry: Bool = false, options: Value = .map([:])) {
        self.name = name
        self.kind = kind
        self.fields = fields
        self.multiEntry = multiEntry
        self.options = options
    }

    /// An ordered secondary index on `fields`.
    public static func secondary(_ name: String, _ fields: [FieldPath], multiEntry: Bool = false) -> IndexDefinition {
        IndexDefinition(name: name, kind: secondaryKind, fields: fields, multiEntry: multiEntry)
    }
}
