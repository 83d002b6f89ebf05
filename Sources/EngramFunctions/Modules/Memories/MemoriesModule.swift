import EngramCore

/// The `memories` module: Layer 2, searchable memories with optional embeddings,
/// versioned by their own `previousVersions` (memories.md, 20 functions).
///
/// Two keys the Python SDK sends beyond the contract are declared (policy 2):
/// `participantId` on `list` and `count` (an equality filter) and `includeFacts` on
/// `exportMemories` (ignored).
enum MemoriesModule {
    private typealias R = MemoryRecords

    /// The space argument (and, with `memoryId`, the pair naming one memory).
    private static let space: ArgumentField = .required("memorySpaceId", .string)
    private static let spaceAndMemory: [ArgumentField] = [space, .required("memoryId", .string)]
    /// The hive participant: stored by `store` and `storePartialMemory`, an equality
    /// filter on `list` and `count` (where only the SDK sends it).
    private static let participant: ArgumentField = .optional("participantId", .string)

    /// The module's 20 declarations, in the contract's order.
    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "memories:store", .mutation,
            arguments: [
                space, participant, .optional("tenantId", .string), .required("content", .string),
                .required("contentType", R.contentType), .optional("embedding", .array(.number)),
                .required("sourceType", R.sourceType), .optional("sourceUserId", .string), .optional("sourceUserName", .string),
                .optional("userId", .string), .optional("agentId", .string), .optional("messageRole", R.messageRole),
                .optional("enrichedContent", .string), .optional("factCategory", .string),
                .optional("conversationRef", R.conversationRef), .optional("immutableRef", R.immutableRef),
                .optional("mutableRef", R.mutableRef), .optional("factsRef", R.factsRef), .required("importance", .number),
                .required("tags", .array(.string)),
            ], handler: MemoryWrites.store),
        FunctionDeclaration(
            "memories:storePartialMemory", .mutation,
            arguments: [
                space, participant, .required("conversationId", .string), .required("userId", .string),
                .required("content", .string), .required("isPartial", .boolean), .required("metadata", .any),
                .required("importance", .number), .required("tags", .array(.string)),
            ], handler: MemoryStreamingWrites.storePartialMemory),
        FunctionDeclaration(
            "memories:updatePartialMemory", .mutation,
            arguments: [.required("memoryId", .string), .required("content", .string), .required("metadata", .any)],
            handler: MemoryStreamingWrites.updatePartialMemory),
        FunctionDeclaration(
            "memories:finalizePartialMemory", .mutation,
            arguments: [
                .required("memoryId", .string), .required("content", .string), .optional("embedding", .array(.number)),
                .required("metadata", .any),
            ], handler: MemoryStreamingWrites.finalizePartialMemory),
        FunctionDeclaration("memories:deleteMemory", .mutation, arguments: spaceAndMemory, handler: MemoryWrites.deleteMemory),
        FunctionDeclaration("memories:get", .query, arguments: spaceAndMemory, handler: MemoryQueries.get),
        FunctionDeclaration(
            "memories:search", .query,
            arguments: [
                space, .required("query", .string), .optional("embedding", .array(.number)), .optional("userId", .string),
                .optional("tags", .array(.string)), .optional("sourceType", R.filterSourceType),
                .optional("minImportance", .number), .optional("minScore", .number), .optional("queryCategory", .string),
                .optional("limit", .number), MemoryHybridSearch.argument,
            ], handler: MemorySearch.search),
        FunctionDeclaration(
            "memories:list", .query,
            arguments: [
                space, .optional("userId", .string), participant, .optional("sourceType", R.sourceType), .optional("limit", .number),
            ], handler: MemoryQueries.list),
        FunctionDeclaration(
            "memories:count", .query,
            arguments: [space, .optional("userId", .string), participant, .optional("sourceType", R.sourceType)],
            handler: MemoryQueries.count),
        FunctionDeclaration(
            "memories:update", .mutation,
            arguments: spaceAndMemory + [
                .optional("content", .string), .optional("embedding", .array(.number)), .optional("importance", .number),
                .optional("tags", .array(.string)),
            ], handler: MemoryWrites.update),
        FunctionDeclaration(
            "memories:getVersion", .query, arguments: spaceAndMemory + [.required("version", .number)],
            handler: MemoryVersions.getVersion),
        FunctionDeclaration("memories:getHistory", .query, arguments: spaceAndMemory, handler: MemoryVersions.getHistory),
        FunctionDeclaration(
            "memories:deleteMany", .mutation,
            arguments: [space, .optional("userId", .string), .optional("sourceType", R.filterSourceType)],
            handler: MemoryBatchWrites.deleteMany),
        FunctionDeclaration(
            "memories:deleteByIds", .mutation, arguments: [.required("memoryIds", .array(.string))],
            handler: MemoryBatchWrites.deleteByIds),
        FunctionDeclaration("memories:purgeAll", .mutation, arguments: [], handler: MemoryBatchWrites.purgeAll),
        FunctionDeclaration(
            "memories:exportMemories", .query,
            arguments: [
                space, .optional("userId", .string), .required("format", .literals(["json", "csv"])),
                .optional("includeEmbeddings", .boolean), .optional("includeFacts", .boolean),
            ], handler: MemoryExport.exportMemories),
        FunctionDeclaration(
            "memories:updateMany", .mutation,
            arguments: [
                space, .optional("userId", .string), .optional("sourceType", R.filterSourceType),
                .optional("importance", .number), .optional("tags", .array(.string)),
            ], handler: MemoryBatchWrites.updateMany),
        FunctionDeclaration("memories:archive", .mutation, arguments: spaceAndMemory, handler: MemoryWrites.archive),
        FunctionDeclaration(
            "memories:restoreFromArchive", .mutation, arguments: spaceAndMemory, handler: MemoryWrites.restoreFromArchive),
        FunctionDeclaration(
            "memories:getAtTimestamp", .query, arguments: spaceAndMemory + [.required("timestamp", .number)],
            handler: MemoryVersions.getAtTimestamp),
    ]
}
