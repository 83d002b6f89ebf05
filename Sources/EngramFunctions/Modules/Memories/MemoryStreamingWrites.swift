import EngramCore
import EngramStorage

/// The streaming lifecycle of a memory (`remember_stream`): a placeholder stored
/// while the response streams, overwritten while it grows, finalized at the end (or
/// deleted by `deleteMemory` as rollback). None of these makes a version.
///
/// `updatePartialMemory` and `finalizePartialMemory` take no space: like the reference,
/// they change any memory with the id, partial or not (within a bound caller's tenant).
enum MemoryStreamingWrites {
    private typealias R = MemoryRecords

    /// Inserts the placeholder (`mem-partial-<now>-<r>`): a raw conversation memory
    /// whose `partialMetadata` is the `metadata` argument. A tenant-bound caller's
    /// placeholder carries its tenant, so that the caller can find it again.
    static func storePartialMemory(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        var fields: ValueMap = ["memorySpaceId": args["memorySpaceId"] ?? .null]
        fields["participantId"] = args["participantId"]
        fields["tenantId"] = context.boundTenant.map(Value.string)
        fields["content"] = args["content"]
        fields["contentType"] = "raw"
        fields["sourceType"] = "conversation"
        fields["userId"] = args["userId"]
        fields["conversationRef"] = ["conversationId": args["conversationId"] ?? .null, "messageIds": []]
        fields["importance"] = args["importance"]
        fields["tags"] = args["tags"]
        fields["isPartial"] = args["isPartial"]
        fields["partialMetadata"] = args["metadata"] ?? .null
        let doc = try await R.insert(context, idPrefix: "mem-partial", fields)
        return ["memoryId": doc.fields["memoryId"] ?? .null, "_id": .string(doc.id.description)]
    }

    /// Replaces `content` and `partialMetadata` and touches `updatedAt`.
    static func updatePartialMemory(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let found = try partial(context, args)
        let now = context.nowValue
        try await R.rewrite(context, found) { fields in
            fields["content"] = args["content"]
            fields["partialMetadata"] = args["metadata"] ?? .null
            fields["updatedAt"] = now
        }
        return ["success": true]
    }

    /// Sets the final content, the embedding (removed when not given), `isPartial =
    /// false` and `partialMetadata`, and drops every "streaming" and "partial" tag.
    static func finalizePartialMemory(_ context: FunctionContext, _ args: ValueMap) async throws -> Value {
        let found = try partial(context, args)
        let now = context.nowValue
        try await R.rewrite(context, found) { fields in
            fields["content"] = args["content"]
            fields["embedding"] = args["embedding"]
            fields["updatedAt"] = now
            fields["isPartial"] = false
            fields["tags"] = .array(R.tags(fields).filter { $0 != "streaming" && $0 != "partial" })
            fields["partialMetadata"] = args["metadata"] ?? .null
        }
        return ["success": true]
    }

    /// The first memory with the `memoryId` argument in any space; `MEMORY_NOT_FOUND` if none.
    private static func partial(_ context: FunctionContext, _ args: ValueMap) throws -> Document {
        guard let doc = try R.find(context, try args.requiredString("memoryId")) else { throw EngramError.coded(R.notFound) }
        return doc
    }
}
