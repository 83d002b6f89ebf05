import EngramCore
import EngramStorage
import Logging

/// Who is calling, as established by authentication.
public struct Caller: Sendable, Equatable {
    /// The tenant the caller's key is bound to; nil for an unbound key (or no auth).
    public var tenantId: String?

    /// A caller.
    public init(tenantId: String? = nil) {
        self.tenantId = tenantId
    }

    /// A caller with no tenant binding (an open server, or an unbound key).
    public static let unbound = Caller()
}

/// Settings of the catalogue that a deployment chooses.
public struct CatalogueSettings: Sendable {
    /// Whether `purgeAll` and the `admin:*` clearing functions may run
    /// (else they fail with `PURGE_DISABLED_IN_PRODUCTION`).
    public var allowPurge: Bool
    /// Most prior versions kept inline per versioned document (nil: all, as the reference).
    public var versionRetention: Int?

    /// Settings.
    public init(allowPurge: Bool = false, versionRetention: Int? = nil) {
        self.allowPurge = allowPurge
        self.versionRetention = versionRetention
    }
}

/// Everything a function handler may use.
public struct FunctionContext: Sendable {
    /// The database.
    public let database: Database
    /// "now" for this call, in milliseconds since the epoch: computed once, so every
    /// timestamp a call writes or returns is the same (schema.md §0.7).
    public let now: UInt64
    /// Who is calling.
    public let caller: Caller
    /// Deployment settings.
    public let settings: CatalogueSettings
    /// The request's logger (carries the request id).
    public let logger: Logger

    /// A context.
    public init(database: Database, now: UInt64, caller: Caller = .unbound, settings: CatalogueSettings = CatalogueSettings(), logger: Logger) {
        self.database = database
        self.now = now
        self.caller = caller
        self.settings = settings
        self.logger = logger
    }

    /// "now" as the contract's number type.
    public var nowValue: Value { .double(Double(now)) }

    /// Throws `FORBIDDEN` unless the caller may touch a document of tenant
    /// `tenantId` (absent or `""` = global). A tenant-bound caller reaches only its
    /// own tenant's documents; an unbound caller reaches everything.
    public func authorize(tenantOf document: ValueMap) throws {
        guard let bound = caller.tenantId else { return }
        let owner = document["tenantId"]?.stringValue ?? ""
        guard owner == bound else {
            throw EngramError(.forbidden, "this key is bound to another tenant")
        }
    }
}
