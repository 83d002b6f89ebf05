import Crypto
import EngramCore
import EngramStorage
import Synchronization

/// What an API key may do.
public enum Role: String, Sendable, CaseIterable {
    /// Reads only: `query` functions, `query` text, ping.
    case readonly
    /// Reads and writes: every catalogue function.
    case readwrite
    /// Everything, including managing keys.
    case admin
}

/// One stored API key, without its secret.
public struct ApiKeyRecord: Sendable, Equatable {
    /// The public part of the key (`egk_<keyId>_…`), used to find it.
    public var keyId: String
    /// A label for people.
    public var name: String
    /// What the key may do.
    public var role: Role
    /// The tenant the key is bound to, or nil.
    public var tenantId: String?
    /// Creation time, milliseconds since the epoch.
    public var createdAt: Double
    /// SHA-256 of the whole key text.
    var hash: [UInt8]
    /// The document holding it.
    var documentID: DocumentID

    /// The record as returned to clients (no hash).
    public var value: Value {
        var m: ValueMap = ["keyId": .string(keyId), "name": .string(name), "role": .string(role.rawValue)]
        if let tenantId { m["tenantId"] = .string(tenantId) }
        m["createdAt"] = .double(createdAt)
        return .map(m)
    }
}

/// The API keys of a database, stored hashed in the system collection ``collectionName``.
///
/// A key is `egk_<keyId>_<secret>`: 12 hex digits that find the record, then 32 random
/// bytes in base64url. Only the SHA-256 of the whole text is stored; verification
/// compares digests in constant time. All records are cached in memory (keys are few),
/// so authenticating never touches the disk; ``create`` and ``revoke`` write through.
public final class ApiKeyStore: Sendable {
    /// The system collection holding the keys.
    public static let collectionName = "apiKeys"
    /// Its declaration, which the server adds to every schema it opens.
    public static let schema = CollectionSchema(name: collectionName, placement: .system)

    private let database: Database
    private let cache: Mutex<[String: ApiKeyRecord]>

    /// Loads every key of `database` (which must declare ``schema``).
    ///
    /// - Throws: `COLLECTION_NOT_FOUND` if the collection is not declared; storage errors.
    public init(database: Database) throws {
        self.database = database
        var records: [String: ApiKeyRecord] = [:]
        for doc in try database.queryAll(Query(Self.collectionName)) {
            if let r = Self.record(doc) { records[r.keyId] = r }
        }
        cache = Mutex(records)
    }

    /// Whether any key exists (if none, the server is open to loopback clients).
    public var hasKeys: Bool { cache.withLock { !$0.isEmpty } }

    /// Every key, oldest first.
    public func list() -> [ApiKeyRecord] {
        cache.withLock { Array($0.values) }.sorted { ($0.createdAt, $0.keyId) < ($1.createdAt, $1.keyId) }
    }

    /// Creates a key and returns its full text (shown once; only its hash is kept) and record.
    ///
    /// - Throws: `INVALID_ARGUMENT` for an empty tenant; storage errors.
    public func create(name: String, role: Role, tenantId: String?, now: UInt64) async throws -> (key: String, record: ApiKeyRecord) {
        if let tenantId, tenantId.isEmpty { throw EngramError(.invalidArgument, "a key's tenant may not be empty") }
        var rng = SystemRandomNumberGenerator()
        let keyId = (0..<6).map { _ in UInt8.random(in: 0...255, using: &rng) }.map(Self.hex).joined()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let key = "egk_\(keyId)_\(Base64URL.encode(secret))"
        var fields: ValueMap = [
            "keyId": .string(keyId), "name": .string(name), "role": .string(role.rawValue), "hash": .bytes(Self.digest(key)),
            "createdAt": .double(Double(now)),
        ]
        if let tenantId { fields["tenantId"] = .string(tenantId) }
        let doc = try await database.insert(Self.collectionName, fields, now: now)
        guard let record = Self.record(doc) else { throw EngramError(.internal, "a new API key record does not parse") }
        cache.withLock { $0[keyId] = record }
        return (key, record)
    }

    /// Revokes key `keyId`: it stops authenticating new connections and requests at once.
    ///
    /// - Throws: `API_KEY_NOT_FOUND` if there is no such key; storage errors.
    public func revoke(keyId: String) async throws {
        guard let record = cache.withLock({ $0[keyId] }) else {
            throw EngramError(.apiKeyNotFound, "no API key with id '\(keyId)'")
        }
        try await database.delete(Self.collectionName, record.documentID)
        cache.withLock { _ = $0.removeValue(forKey: keyId) }
    }

    /// The record of `key` if it is a current key (constant-time digest comparison).
    public func authenticate(_ key: String) -> ApiKeyRecord? {
        let parts = key.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "egk", let record = cache.withLock({ $0[String(parts[1])] }) else { return nil }
        return Self.constantTimeEqual(Self.digest(key), record.hash) ? record : nil
    }

    /// Whether `keyId` is still a current key.
    public func isCurrent(keyId: String) -> Bool { cache.withLock { $0[keyId] != nil } }

    private static func digest(_ key: String) -> [UInt8] { Array(SHA256.hash(data: Array(key.utf8))) }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }

    private static func record(_ doc: Document) -> ApiKeyRecord? {
        let f = doc.fields
        guard case .string(let keyId) = f["keyId"], case .string(let name) = f["name"], case .string(let r) = f["role"],
            let role = Role(rawValue: r), case .bytes(let hash) = f["hash"], let createdAt = f["createdAt"]?.doubleValue
        else { return nil }
        return ApiKeyRecord(
            keyId: keyId, name: name, role: role, tenantId: f["tenantId"]?.stringValue, createdAt: createdAt, hash: hash,
            documentID: doc.id)
    }
}

extension EngramError.Code {
    /// `revoke` named a key that does not exist.
    public static let apiKeyNotFound: Self = "API_KEY_NOT_FOUND"
}
