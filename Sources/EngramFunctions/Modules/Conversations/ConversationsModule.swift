import EngramCore

/// The `conversations` module (conversations.md): 16 functions over the
/// `conversations` table, Layer 1a of the memory model.
enum ConversationsModule {
    private static let range: [ArgumentField] = [
        "createdBefore", "createdAfter", "updatedBefore", "updatedAfter", "lastMessageBefore", "lastMessageAfter",
        "messageCountMin", "messageCountMax",
    ].map { .optional($0, .number) }

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "conversations:create", .mutation,
            arguments: [
                .required("conversationId", .string), .required("memorySpaceId", .string), .optional("participantId", .string),
                .optional("tenantId", .string), .required("type", Conversation.type),
                .required("participants", Conversation.participants), .optional("metadata", .any),
            ], handler: ConversationWrites.create),
        FunctionDeclaration(
            "conversations:addMessage", .mutation,
            arguments: [
                .required("conversationId", .string),
                .required(
                    "message",
                    .object([
                        .required("id", .string), .required("role", Conversation.role), .required("content", .string),
                        .optional("participantId", .string), .optional("metadata", .any),
                    ])),
            ], handler: ConversationWrites.addMessage),
        FunctionDeclaration(
            "conversations:deleteConversation", .mutation, arguments: [.required("conversationId", .string)],
            handler: ConversationWrites.deleteConversation),
        FunctionDeclaration(
            "conversations:deleteMany", .mutation,
            arguments: [
                .optional("userId", .string), .optional("memorySpaceId", .string), .optional("type", Conversation.type),
                .optional("dryRun", .boolean), .optional("confirmationThreshold", .number),
            ], handler: ConversationDeletes.deleteMany),
        FunctionDeclaration(
            "conversations:deleteByIds", .mutation, arguments: [.required("conversationIds", .array(.string))],
            handler: ConversationDeletes.deleteByIds),
        FunctionDeclaration("conversations:purgeAll", .mutation, arguments: [], handler: ConversationDeletes.purgeAll),
        FunctionDeclaration(
            "conversations:getMessage", .query,
            arguments: [.required("conversationId", .string), .required("messageId", .string)],
            handler: ConversationReads.getMessage),
        FunctionDeclaration(
            "conversations:getMessagesByIds", .query,
            arguments: [.required("conversationId", .string), .required("messageIds", .array(.string))],
            handler: ConversationReads.getMessagesByIds),
        FunctionDeclaration(
            "conversations:getOrCreate", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .optional("participantId", .string), .required("type", Conversation.type),
                .required("participants", Conversation.participants), .optional("metadata", .any),
            ], handler: ConversationWrites.getOrCreate),
        FunctionDeclaration(
            "conversations:findConversation", .query,
            arguments: [
                .required("memorySpaceId", .string), .required("type", Conversation.type), .optional("userId", .string),
                .optional("memorySpaceIds", .array(.string)),
            ], handler: ConversationReads.findConversation),
        FunctionDeclaration(
            "conversations:get", .query,
            arguments: [
                .required("conversationId", .string), .optional("tenantId", .string), .optional("includeMessages", .boolean),
                .optional("messageLimit", .number),
            ], handler: ConversationReads.get),
        FunctionDeclaration(
            "conversations:list", .query,
            arguments: [
                .optional("type", Conversation.type), .optional("userId", .string), .optional("memorySpaceId", .string),
                .optional("tenantId", .string), .optional("participantId", .string),
            ] + range + [
                .optional("limit", .number), .optional("offset", .number),
                .optional("sortBy", .literals(["createdAt", "updatedAt", "lastMessageAt", "messageCount"])),
                .optional("sortOrder", .literals(["asc", "desc"])), .optional("includeMessages", .boolean),
            ], handler: ConversationList.list),
        FunctionDeclaration(
            "conversations:count", .query,
            arguments: [.optional("userId", .string), .optional("memorySpaceId", .string), .optional("type", Conversation.type)],
            handler: ConversationReads.count),
        FunctionDeclaration(
            "conversations:getHistory", .query,
            arguments: [
                .required("conversationId", .string), .optional("limit", .number), .optional("offset", .number),
                .optional("sortOrder", .literals(["asc", "desc"])), .optional("since", .number), .optional("until", .number),
                .optional("roles", .array(Conversation.role)),
            ], handler: ConversationReads.getHistory),
        FunctionDeclaration(
            "conversations:search", .query,
            arguments: [
                .required("query", .string), .optional("type", Conversation.type), .optional("userId", .string),
                .optional("memorySpaceId", .string), .optional("dateStart", .number), .optional("dateEnd", .number),
                .optional("limit", .number), .optional("searchIn", .literals(["content", "metadata", "both"])),
                .optional("matchMode", .literals(["contains", "exact", "fuzzy"])),
            ], handler: ConversationSearch.search),
        FunctionDeclaration(
            "conversations:exportConversations", .query,
            arguments: [
                .optional("userId", .string), .optional("memorySpaceId", .string), .optional("conversationIds", .array(.string)),
                .optional("type", Conversation.type), .optional("dateStart", .number), .optional("dateEnd", .number),
                .required("format", .literals(["json", "csv"])), .optional("includeMetadata", .boolean),
            ], handler: ConversationExport.export),
    ]
}
