import EngramCore
import EngramFunctions
import EngramStorage

/// A tiny function module for tests of the server and its clients (`engram serve
/// --probe-functions`, hidden): put/get by id over the `probeItems` collection with
/// tenant checks, an echo, a deliberate failure and a sleep. Never part of the catalogue.
public enum ProbeFunctions {
    /// The collection the probe functions use.
    public static let schema = CollectionSchema(name: "probeItems", placement: .byID)

    /// `probe:put {value, tenantId?}` → `{id}` (mutation); `probe:get {id, tenantId?}` →
    /// the document or null (query; `FORBIDDEN` across tenants); `probe:echo {value}` →
    /// value (query); `probe:fail {code?, message?}` throws a coded error when `code`
    /// is given, else a plain one (query); `probe:sleep {ms}` → null after `ms`
    /// milliseconds (action).
    public static let declarations: [FunctionDeclaration] = [
        FunctionDeclaration(
            "probe:put", .mutation, arguments: [.required("value", .any), .optional("tenantId", .string)]
        ) { context, args in
            var fields: ValueMap = ["value": args["value"] ?? .null]
            if let t = args["tenantId"] { fields["tenantId"] = t }
            let doc = try await context.database.insert(schema.name, fields, now: context.now)
            return ["id": .string(doc.id.description)]
        },
        FunctionDeclaration(
            "probe:get", .query, arguments: [.required("id", .id([schema.name])), .optional("tenantId", .string)]
        ) { context, args in
            let id = try DocumentID(args["id"]?.stringValue ?? "")
            guard let doc = try context.database.get(schema.name, id) else { return .null }
            try context.authorize(tenantOf: doc.fields)
            return doc.value
        },
        FunctionDeclaration("probe:echo", .query, arguments: [.required("value", .any)]) { _, args in
            args["value"] ?? .null
        },
        FunctionDeclaration(
            "probe:fail", .query, arguments: [.optional("code", .string), .optional("message", .string)]
        ) { _, args in
            if let code = args["code"]?.stringValue { throw EngramError.coded(code, args["message"]?.stringValue) }
            throw EngramError.plain(args["message"]?.stringValue ?? "probe failure")
        },
        FunctionDeclaration("probe:sleep", .action, arguments: [.required("ms", .number)]) { _, args in
            try await Task.sleep(for: .milliseconds(Int(args["ms"]?.doubleValue ?? 0)))
            return .null
        },
    ]
}
