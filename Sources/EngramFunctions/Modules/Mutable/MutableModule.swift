import EngramCore

/// The `mutable` module (mutable.md): 11 functions over the live key/value store
/// identified by (namespace, key), Layer 1c of the memory model.
enum MutableModule {
    private static let key: [ArgumentField] = [.required("namespace", .string), .required("key", .string)]
    private static let tenant: ArgumentField = .optional("tenantId", .string)

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "mutable:set", .mutation,
            arguments: key + [.required("value", .any), .optional("userId", .string), tenant, .optional("metadata", .any)],
            handler: MutableWrites.set),
        FunctionDeclaration(
            "mutable:update", .mutation,
            arguments: key + [
                .required("operation", .literals(["increment", "decrement", "append", "custom"])), .optional("operand", .any), tenant,
            ], handler: MutableWrites.update),
        FunctionDeclaration("mutable:deleteKey", .mutation, arguments: key + [tenant], handler: MutableWrites.deleteKey),
        FunctionDeclaration(
            "mutable:purgeNamespace", .mutation,
            arguments: [.required("namespace", .string), .optional("dryRun", .boolean), tenant], handler: MutableWrites.purgeNamespace),
        FunctionDeclaration(
            "mutable:transaction", .mutation,
            arguments: [
                .required(
                    "operations",
                    .array(
                        .object([
                            .required("op", .literals(["set", "update", "delete", "increment", "decrement"])),
                            .required("namespace", .string), .required("key", .string), .optional("value", .any),
                            .optional("amount", .number),
                        ]))), tenant,
            ], handler: MutableTransaction.transaction),
        FunctionDeclaration(
            "mutable:purgeMany", .mutation,
            arguments: [
                .required("namespace", .string), .optional("keyPrefix", .string), .optional("userId", .string),
                .optional("updatedBefore", .number), .optional("lastAccessedBefore", .number), tenant,
            ], handler: MutableWrites.purgeMany),
        FunctionDeclaration("mutable:get", .query, arguments: key + [tenant], handler: MutableReads.get),
        FunctionDeclaration("mutable:exists", .query, arguments: key + [tenant], handler: MutableReads.exists),
        FunctionDeclaration(
            "mutable:list", .query,
            arguments: [
                .required("namespace", .string), .optional("keyPrefix", .string), .optional("userId", .string), tenant,
                .optional("limit", .number), .optional("offset", .number), .optional("updatedAfter", .number),
                .optional("updatedBefore", .number), .optional("sortBy", .string), .optional("sortOrder", .string),
            ], handler: MutableReads.list),
        FunctionDeclaration(
            "mutable:count", .query,
            arguments: [
                .required("namespace", .string), .optional("userId", .string), tenant, .optional("keyPrefix", .string),
                .optional("updatedAfter", .number), .optional("updatedBefore", .number),
            ], handler: MutableReads.count),
        FunctionDeclaration("mutable:purgeAll", .mutation, arguments: [tenant], handler: MutableWrites.purgeAll),
    ]
}
