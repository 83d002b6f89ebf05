import EngramCore

/// The `users` module: read helpers for user profiles stored in `immutable` (users.md, 8 functions).
enum UsersModule {
    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration("users:get", .query, arguments: [.required("userId", .string)], handler: UserProfiles.get),
        FunctionDeclaration("users:list", .query, arguments: [.optional("limit", .number)], handler: UserProfiles.list),
        FunctionDeclaration("users:count", .query, arguments: [.optional("filters", .any)], handler: UserProfiles.count),
        FunctionDeclaration(
            "users:getVersion", .query, arguments: [.required("userId", .string), .required("version", .number)],
            handler: UserProfiles.getVersion),
        FunctionDeclaration(
            "users:getHistory", .query, arguments: [.required("userId", .string)], handler: UserProfiles.getHistory),
        FunctionDeclaration(
            "users:getAtTimestamp", .query, arguments: [.required("userId", .string), .required("timestamp", .number)],
            handler: UserProfiles.getAtTimestamp),
        FunctionDeclaration(
            "users:deleteUserProfile", .mutation, arguments: [.required("userId", .string)],
            handler: UserProfiles.deleteUserProfile),
        FunctionDeclaration("users:exists", .query, arguments: [.required("userId", .string)], handler: UserProfiles.exists),
    ]
}
