import EngramCore

/// Whether a function reads or writes.
public enum FunctionKind: String, Sendable, CaseIterable {
    /// Reads a consistent snapshot; never writes.
    case query
    /// Writes, atomically per shard.
    case mutation
    /// May do anything, including calling other functions (not transactional).
    case action
}

/// A catalogue function, declared once: name, kind, arguments and handler.
///
/// The registry validates arguments against ``arguments`` before the handler runs,
/// so a handler sees only declared keys, with required ones present, optional
/// `null`s removed, and numbers as float64.
public struct FunctionDeclaration: Sendable {
    /// The handler: validated arguments in, result out.
    public typealias Handler = @Sendable (FunctionContext, ValueMap) async throws -> Value

    /// The public name, `module:function`.
    public let name: String
    /// Query, mutation or action.
    public let kind: FunctionKind
    /// The top-level arguments.
    public let arguments: [ArgumentField]
    /// The implementation.
    public let handler: Handler

    /// A declaration.
    public init(_ name: String, _ kind: FunctionKind, arguments: [ArgumentField], handler: @escaping Handler) {
        self.name = name
        self.kind = kind
        self.arguments = arguments
        self.handler = handler
    }

    /// The module part of the name (`memorySpaces` of `memorySpaces:register`).
    public var module: String { String(name.prefix { $0 != ":" }) }

    /// Whether the function takes a `tenantId` argument.
    public var takesTenant: Bool { arguments.contains { $0.name == "tenantId" } }
}
