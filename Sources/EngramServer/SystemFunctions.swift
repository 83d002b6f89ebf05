import EngramCore
import EngramFunctions
import EngramStorage
import Logging

/// The server's own functions, callable by admin keys only (or by anyone on an open
/// loopback server): API key management. Their names start with `_system:`, which no
/// catalogue function may use.
enum SystemFunctions {
    static let createKey = ApiKeyStore.createFunction
    static let listKeys = ApiKeyStore.listFunction
    static let revokeKey = ApiKeyStore.revokeFunction

    static func registry(keys: ApiKeyStore) throws -> FunctionRegistry {
        try FunctionRegistry([
            FunctionDeclaration(
                createKey, .mutation,
                arguments: [
                    .required("role", .literals(Role.allCases.map(\.rawValue))), .optional("name", .string),
                    .optional("tenantId", .string),
                ]
            ) { context, args in
                let role = Role(rawValue: args["role"]?.stringValue ?? "") ?? .readonly  // validated as one of Role's literals
                let (key, record) = try await keys.create(
                    name: args["name"]?.stringValue ?? "", role: role, tenantId: args["tenantId"]?.stringValue, now: context.now)
                guard case .map(var m) = record.value else { return record.value }
                m["key"] = .string(key)
                return .map(m)
            },
            FunctionDeclaration(listKeys, .query, arguments: []) { _, _ in
                .array(keys.list().map(\.value))
            },
            FunctionDeclaration(revokeKey, .mutation, arguments: [.required("keyId", .string)]) { _, args in
                try await keys.revoke(keyId: args["keyId"]?.stringValue ?? "")
                return .null
            },
        ])
    }
}

extension ApiKeyStore {
    /// Creates a key. Arguments: `role` (`admin`, `readwrite`, `readonly`), `name`?,
    /// `tenantId`?. Returns the record plus `key`, the full key text (shown once).
    public static let createFunction = "_system:createApiKey"
    /// Lists keys (no secrets, no hashes). No arguments.
    public static let listFunction = "_system:listApiKeys"
    /// Revokes a key. Argument: `keyId`. Returns null.
    public static let revokeFunction = "_system:revokeApiKey"

    /// Runs one of the key-management functions directly on `database` (offline, with
    /// no server running), exactly as the server would for an admin.
    ///
    /// - Throws: `FUNCTION_NOT_FOUND`, `ARGUMENT_VALIDATION_ERROR`, `API_KEY_NOT_FOUND`, storage errors.
    public static func offline(database: Database, function: String, arguments: ValueMap) async throws -> Value {
        let store = try ApiKeyStore(database: database)
        let registry = try SystemFunctions.registry(keys: store)
        let context = FunctionContext(database: database, now: SystemClock().nowMilliseconds(), logger: Logger(label: "engram.keys"))
        return try await registry.call(function, arguments: arguments, context: context)
    }
}
