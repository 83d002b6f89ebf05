/// The one error type of Engram: a stable machine-readable code and a human message.
///
/// Codes are UPPER_SNAKE_CASE strings that never change once published; clients match
/// on them (the function catalogue's codes, such as `MEMORYSPACE_NOT_FOUND`, are used
/// verbatim). `details` optionally carries structured context (a field name, a limit).
public struct EngramError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    /// The stable code, e.g. `INVALID_ARGUMENT`.
    public var code: Code
    /// A message for humans that names the problem.
    public var message: String
    /// Optional structured context.
    public var details: Value?

    /// An error with a code and a message.
    public init(_ code: Code, _ message: String, details: Value? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    /// `CODE: message`, so that clients matching substrings of the text find the code.
    public var description: String { "\(code.rawValue): \(message)" }
}

extension EngramError.Code {
    /// An argument or input value is malformed or out of range.
    public static let invalidArgument: Self = "INVALID_ARGUMENT"
    /// A function's arguments do not match its declaration (the catalogue's platform error).
    public static let argumentValidation: Self = "ARGUMENT_VALIDATION_ERROR"
    /// Bytes that should be MessagePack are not, or exceed a decoding limit.
    public static let malformedMessagePack: Self = "MALFORMED_MESSAGEPACK"
    /// A document id is not well formed or names another collection.
    public static let invalidDocumentID: Self = "INVALID_DOCUMENT_ID"
    /// A document addressed by id does not exist.
    public static let documentNotFound: Self = "DOCUMENT_NOT_FOUND"
    /// A collection name is not declared in the schema.
    public static let collectionNotFound: Self = "COLLECTION_NOT_FOUND"
    /// An index name is not declared on the collection.
    public static let indexNotFound: Self = "INDEX_NOT_FOUND"
    /// An index exists but is still being built, so it cannot answer yet.
    public static let indexNotReady: Self = "INDEX_NOT_READY"
    /// An index exists but is of another kind than the operation needs.
    public static let wrongIndexKind: Self = "WRONG_INDEX_KIND"
    /// A write tried to change the field a document is sharded by.
    public static let shardKeyImmutable: Self = "SHARD_KEY_IMMUTABLE"
    /// A query cursor is malformed or belongs to another query.
    public static let invalidCursor: Self = "INVALID_CURSOR"
    /// A documented limit was exceeded (size, depth, count).
    public static let limitExceeded: Self = "LIMIT_EXCEEDED"
    /// The database directory is in use by another process.
    public static let databaseLocked: Self = "DATABASE_LOCKED"
    /// The database on disk does not match what this build or the caller expects.
    public static let schemaMismatch: Self = "SCHEMA_MISMATCH"
    /// LMDB or the file system reported an error.
    public static let storage: Self = "STORAGE_ERROR"
    /// The database is closed or closing.
    public static let closed: Self = "DATABASE_CLOSED"
    /// An operation is not implemented (yet).
    public static let notImplemented: Self = "NOT_IMPLEMENTED"
    /// A broken invariant: a bug in Engram.
    public static let `internal`: Self = "INTERNAL"
}
