import EngramCore
import EngramStorage

/// What a tenant-bound caller may see in functions that take no `tenantId`.
///
/// The registry forces a bound caller's tenant into every function that declares
/// `tenantId`. Functions that do not (e.g. `conversations:addMessage`) would
/// otherwise reach every tenant's documents; for a bound caller they see only the
/// documents of its own tenant, as if the others did not exist. An unbound caller
/// sees everything, exactly as the reference backend.
extension FunctionContext {
    /// The condition a document must meet to be visible to the caller: nil for an
    /// unbound caller, `tenantId = <bound tenant>` for a bound one.
    public var visibility: Predicate? {
        caller.tenantId.map { .eq("tenantId", .string($0)) }
    }

    /// Whether the caller may see a document with these fields.
    public func sees(_ fields: ValueMap) -> Bool {
        guard let bound = caller.tenantId else { return true }
        return fields["tenantId"] == .string(bound)
    }
}

extension Predicate {
    /// `a AND b`, where a nil side is "always true".
    public static func both(_ a: Predicate?, _ b: Predicate?) -> Predicate? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil), (nil, let x?): return x
        case (let x?, let y?): return .and([x, y])
        }
    }

    /// A global document: `tenantId` absent or `""` (schema.md §0.11).
    public static let tenantless: Predicate = .or([.not(.exists("tenantId")), .eq("tenantId", "")])
}
