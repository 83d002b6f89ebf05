import EngramCore

/// The `memorySpaces` module: the registry of memory spaces (memorySpaces.md, 15 functions).
enum MemorySpacesModule {
    private typealias R = SpaceRecords

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "memorySpaces:register", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .optional("name", .string), .required("type", R.type),
                .optional("tenantId", .string), .optional("participants", .array(R.participant)),
                .optional("metadata", .any),
            ], handler: SpaceMutations.register),
        FunctionDeclaration(
            "memorySpaces:update", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .optional("name", .string), .optional("metadata", .any),
                .optional("status", R.status),
            ], handler: SpaceMutations.update),
        FunctionDeclaration(
            "memorySpaces:addParticipant", .mutation,
            arguments: [.required("memorySpaceId", .string), .required("participant", R.participant)],
            handler: SpaceMutations.addParticipant),
        FunctionDeclaration(
            "memorySpaces:removeParticipant", .mutation,
            arguments: [.required("memorySpaceId", .string), .required("participantId", .string)],
            handler: SpaceMutations.removeParticipant),
        FunctionDeclaration(
            "memorySpaces:archive", .mutation,
            arguments: [.required("memorySpaceId", .string), .optional("reason", .string), .optional("metadata", .any)],
            handler: SpaceMutations.archive),
        FunctionDeclaration(
            "memorySpaces:reactivate", .mutation, arguments: [.required("memorySpaceId", .string)],
            handler: SpaceMutations.reactivate),
        FunctionDeclaration(
            "memorySpaces:deleteSpace", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .optional("tenantId", .string), .required("cascade", .boolean),
                .required("reason", .string), .optional("confirmId", .string),
            ], handler: SpaceDeletion.deleteSpace),
        FunctionDeclaration(
            "memorySpaces:get", .query, arguments: [.required("memorySpaceId", .string), .optional("tenantId", .string)],
            handler: SpaceQueries.get),
        FunctionDeclaration(
            "memorySpaces:list", .query,
            arguments: [
                .optional("type", R.type), .optional("status", R.status), .optional("participant", .string),
                .optional("limit", .number), .optional("offset", .number),
                .optional("sortBy", .literals(["createdAt", "updatedAt", "name"])),
                .optional("sortOrder", .literals(["asc", "desc"])), .optional("tenantId", .string),
            ], handler: SpaceQueries.list),
        FunctionDeclaration(
            "memorySpaces:count", .query, arguments: [.optional("type", R.type), .optional("status", R.status)],
            handler: SpaceQueries.count),
        FunctionDeclaration(
            "memorySpaces:getStats", .query,
            arguments: [
                .required("memorySpaceId", .string),
                .optional("timeWindow", .literals(["24h", "7d", "30d", "90d", "all"])),
                .optional("includeParticipants", .boolean),
            ], handler: SpaceStats.getStats),
        FunctionDeclaration(
            "memorySpaces:findByParticipant", .query, arguments: [.required("participantId", .string)],
            handler: SpaceQueries.findByParticipant),
        FunctionDeclaration(
            "memorySpaces:search", .query,
            arguments: [
                .required("query", .string), .optional("type", R.type), .optional("status", R.status),
                .optional("limit", .number),
            ], handler: SpaceQueries.search),
        FunctionDeclaration(
            "memorySpaces:updateParticipants", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .optional("add", .array(R.participant)),
                .optional("remove", .array(.string)),
            ], handler: SpaceMutations.updateParticipants),
        FunctionDeclaration("memorySpaces:purgeAll", .mutation, arguments: [], handler: SpaceMutations.purgeAll),
    ]
}
