import EngramCore
import Logging

/// Every function the server hosts, by name.
///
/// ``call(_:arguments:context:)`` is the one path from a request to a handler: it
/// resolves the name, enforces the caller's tenant binding, validates the arguments
/// against the declaration, then runs the handler.
public struct FunctionRegistry: Sendable {
    private let functions: [String: FunctionDeclaration]

    /// A registry of `declarations`. Throws `INVALID_ARGUMENT` on a duplicate name.
    public init(_ declarations: [FunctionDeclaration]) throws {
        var map: [String: FunctionDeclaration] = [:]
        for d in declarations {
            guard map.updateValue(d, forKey: d.name) == nil else {
                throw EngramError(.invalidArgument, "function '\(d.name)' is declared twice")
            }
        }
        functions = map
    }

    /// The declaration named `name`.
    public func declaration(named name: String) -> FunctionDeclaration? { functions[name] }

    /// Every declaration, sorted by name.
    public var all: [FunctionDeclaration] { functions.values.sorted { $0.name < $1.name } }

    /// Calls function `name`.
    ///
    /// - Throws: `FUNCTION_NOT_FOUND` for an unknown name; `FORBIDDEN` when a
    ///   tenant-bound caller names another tenant; `ARGUMENT_VALIDATION_ERROR`; and
    ///   whatever the handler throws.
    public func call(_ name: String, arguments: ValueMap, context: FunctionContext) async throws -> Value {
        guard let function = functions[name] else {
            throw EngramError(.functionNotFound, "Could not find public function for '\(name)'")
        }
        var args = arguments
        if let bound = context.caller.tenantId, function.takesTenant {
            // A tenant-bound key always acts in its own tenant.
            if let given = args["tenantId"], !given.isNull, given != .string(bound) {
                throw EngramError(.forbidden, "this key is bound to tenant '\(bound)' and cannot act for another")
            }
            args["tenantId"] = .string(bound)
        }
        let validated = try ArgumentValidator.validate(args, against: function.arguments)
        return try await function.handler(context, validated)
    }
}
