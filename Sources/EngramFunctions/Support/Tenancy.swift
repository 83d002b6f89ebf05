import EngramCore
import EngramStorage

/// How a tenant-bound caller is confined, for functions whose contract has no
/// `tenantId` argument (the registry already forces the bound tenant into those that do).
///
/// The contract's lookups "in any tenant" and full scans are written for an open
/// server; a key bound to a tenant must not reach other tenants' documents through
/// them. So, for a bound caller, a lookup by logical id uses the tenant-qualified index
/// and a scan keeps only the tenant's documents; an unbound caller gets the contract's
/// behaviour exactly. Functions that bypass every domain rule (`admin:*`, `purgeAll`)
/// require an unbound caller.
extension FunctionContext {
    /// The tenant a bound caller is confined to; nil for an unbound caller.
    public var boundTenant: String? { caller.tenantId }

    /// Whether the caller may see a document whose fields are `fields`: always for an
    /// unbound caller, else only when the document's `tenantId` is the bound tenant.
    public func maySee(_ fields: ValueMap) -> Bool {
        guard let bound = boundTenant else { return true }
        return fields["tenantId"]?.stringValue == bound
    }

    /// Throws `FORBIDDEN` for a tenant-bound caller: `function` acts on every tenant.
    public func requireUnbound(_ function: String) throws {
        guard boundTenant == nil else {
            throw EngramError(.forbidden, "\(function) acts on every tenant; it needs a key not bound to a tenant")
        }
    }

    /// The condition a document must meet to be visible to the caller: nil for an
    /// unbound caller, `tenantId = <bound tenant>` for a bound one.
    public var visibility: Predicate? {
        boundTenant.map { .eq("tenantId", .string($0)) }
    }

    /// Throws `PURGE_DISABLED_IN_PRODUCTION` with `text` (the contract's exact wording)
    /// unless the server allows destructive purges. A purge that cannot confine itself
    /// to a bound caller's tenant must also call ``requireUnbound(_:)``.
    public func requirePurgeAllowed(
        text: String = "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments."
    ) throws {
        guard settings.allowPurge else { throw EngramError(.purgeDisabled, text) }
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
