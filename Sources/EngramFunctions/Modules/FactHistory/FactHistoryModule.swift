import EngramCore

/// The `factHistory` module: the audit trail of belief revisions on facts
/// (factHistory.md, 11 functions). Events are appended and deleted, never modified.
enum FactHistoryModule {
    private typealias R = HistoryRecords

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "factHistory:logEvent", .mutation,
            arguments: [
                .required("factId", .string), .required("memorySpaceId", .string), .required("action", R.action),
                .optional("oldValue", .string), .optional("newValue", .string), .optional("supersededBy", .string),
                .optional("supersedes", .string), .optional("reason", .string), .optional("confidence", .number),
                .optional("pipeline", R.pipeline), .optional("userId", .string), .optional("participantId", .string),
                .optional("conversationId", .string),
            ], handler: HistoryWrites.logEvent),
        FunctionDeclaration(
            "factHistory:deleteByFactId", .mutation, arguments: [.required("factId", .string)],
            handler: HistoryWrites.deleteByFactId),
        FunctionDeclaration(
            "factHistory:deleteByUserId", .mutation, arguments: [.required("userId", .string)],
            handler: HistoryWrites.deleteByUserId),
        FunctionDeclaration(
            "factHistory:deleteByMemorySpace", .mutation, arguments: [.required("memorySpaceId", .string)],
            handler: HistoryWrites.deleteByMemorySpace),
        FunctionDeclaration(
            "factHistory:purgeOldEvents", .mutation,
            arguments: [.optional("memorySpaceId", .string), .required("olderThan", .number), .optional("limit", .number)],
            handler: HistoryWrites.purgeOldEvents),
        FunctionDeclaration(
            "factHistory:getHistory", .query, arguments: [.required("factId", .string), .optional("limit", .number)],
            handler: HistoryQueries.getHistory),
        FunctionDeclaration(
            "factHistory:getEvent", .query, arguments: [.required("eventId", .string)], handler: HistoryQueries.getEvent),
        FunctionDeclaration(
            "factHistory:getChangesByTimeRange", .query,
            arguments: [
                .required("memorySpaceId", .string), .optional("after", .number), .optional("before", .number),
                .optional("action", R.action), .optional("limit", .number), .optional("offset", .number),
            ], handler: HistoryQueries.getChangesByTimeRange),
        FunctionDeclaration(
            "factHistory:countByAction", .query,
            arguments: [.required("memorySpaceId", .string), .optional("after", .number), .optional("before", .number)],
            handler: HistoryQueries.countByAction),
        FunctionDeclaration(
            "factHistory:getSupersessionChain", .query, arguments: [.required("factId", .string)],
            handler: HistoryQueries.getSupersessionChain),
        FunctionDeclaration(
            "factHistory:getActivitySummary", .query,
            arguments: [.required("memorySpaceId", .string), .optional("hours", .number)],
            handler: HistoryQueries.getActivitySummary),
    ]
}
