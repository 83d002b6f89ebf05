import EngramCore

/// The `immutable` module (immutable.md): 12 functions over versioned records
/// identified by (type, id), Layer 1b of the memory model.
enum ImmutableModule {
    private static let key: [ArgumentField] = [.required("type", .string), .required("id", .string)]
    private static let dates: [ArgumentField] = ["createdAfter", "createdBefore", "updatedAfter", "updatedBefore"].map {
        .optional($0, .number)
    }

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "immutable:store", .mutation,
            arguments: key + [
                .required("data", .any), .optional("userId", .string), .optional("tenantId", .string), .optional("metadata", .any),
            ], handler: ImmutableWrites.store),
        FunctionDeclaration(
            "immutable:purge", .mutation, arguments: key + [.optional("tenantId", .string)], handler: ImmutableWrites.purge),
        FunctionDeclaration("immutable:get", .query, arguments: key + [.optional("tenantId", .string)], handler: ImmutableReads.get),
        FunctionDeclaration(
            "immutable:getVersion", .query, arguments: key + [.required("version", .number), .optional("tenantId", .string)],
            handler: ImmutableReads.getVersion),
        FunctionDeclaration("immutable:getHistory", .query, arguments: key, handler: ImmutableReads.getHistory),
        FunctionDeclaration(
            "immutable:list", .query,
            arguments: [
                .optional("type", .string), .optional("userId", .string), .optional("tenantId", .string),
                .optional("limit", .number), .optional("offset", .number),
            ] + dates + [.optional("sortBy", .string), .optional("sortOrder", .string)],
            handler: ImmutableReads.list),
        FunctionDeclaration(
            "immutable:search", .query,
            arguments: [
                .required("query", .string), .optional("type", .string), .optional("userId", .string), .optional("limit", .number),
            ], handler: ImmutableReads.search),
        FunctionDeclaration(
            "immutable:count", .query, arguments: [.optional("type", .string), .optional("userId", .string)] + dates,
            handler: ImmutableReads.count),
        FunctionDeclaration(
            "immutable:getAtTimestamp", .query, arguments: key + [.required("timestamp", .number)],
            handler: ImmutableReads.getAtTimestamp),
        FunctionDeclaration(
            "immutable:purgeMany", .mutation, arguments: [.optional("type", .string), .optional("userId", .string)],
            handler: ImmutableWrites.purgeMany),
        FunctionDeclaration(
            "immutable:purgeVersions", .mutation, arguments: key + [.required("keepLatest", .number)],
            handler: ImmutableWrites.purgeVersions),
        FunctionDeclaration("immutable:purgeAll", .mutation, arguments: [], handler: ImmutableWrites.purgeAll),
    ]
}
