import EngramCore
import EngramStorage
import EngramText
import EngramVector

/// The catalogue's 13 tables (schema.md §1): their indexes and where they live.
///
/// Placement keeps the common calls on one shard: tables scoped to a memory space are
/// sharded by `memorySpaceId`; registries read whole (memory spaces, agents,
/// governance) live in the system shard; the rest are sharded by the key their
/// lookups name. Index names and fields are the contract's, so "first of index X"
/// in the spec is a query on index X here.
public enum Tables {
    public static let conversations = CollectionSchema(
        name: "conversations", placement: .shardKey("memorySpaceId"),
        indexes: [
            .secondary("by_conversationId", ["conversationId"]),
            .secondary("by_memorySpace", ["memorySpaceId"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_space", ["tenantId", "memorySpaceId"]),
            .secondary("by_type", ["type"]),
            .secondary("by_user", ["participants.userId"]),
            .secondary("by_agent", ["participants.agentId"]),
            .secondary("by_memorySpace_user", ["memorySpaceId", "participants.userId"]),
            .secondary("by_memorySpace_agent", ["memorySpaceId", "participants.agentId"]),
            .secondary("by_created", ["createdAt"]),
        ])

    public static let immutable = CollectionSchema(
        name: "immutable", placement: .shardKey("id"),
        indexes: [
            .secondary("by_type_id", ["type", "id"]),
            .secondary("by_type", ["type"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_type_id", ["tenantId", "type", "id"]),
            .secondary("by_userId", ["userId"]),
            .secondary("by_created", ["createdAt"]),
        ])

    public static let mutable = CollectionSchema(
        name: "mutable", placement: .shardKey("namespace"),
        indexes: [
            .secondary("by_namespace_key", ["namespace", "key"]),
            .secondary("by_namespace", ["namespace"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_namespace", ["tenantId", "namespace"]),
            .secondary("by_tenant_namespace_key", ["tenantId", "namespace", "key"]),
            .secondary("by_userId", ["userId"]),
            .secondary("by_updated", ["updatedAt"]),
        ])

    public static let memories = CollectionSchema(
        name: "memories", placement: .shardKey("memorySpaceId"),
        indexes: [
            .secondary("by_memorySpace", ["memorySpaceId"]),
            .secondary("by_memoryId", ["memoryId"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_space", ["tenantId", "memorySpaceId"]),
            .secondary("by_userId", ["userId"]),
            .secondary("by_agentId", ["agentId"]),
            .secondary("by_memorySpace_created", ["memorySpaceId", "createdAt"]),
            .secondary("by_memorySpace_userId", ["memorySpaceId", "userId"]),
            .secondary("by_memorySpace_agentId", ["memorySpaceId", "agentId"]),
            .secondary("by_participantId", ["participantId"]),
            .vector("by_embedding", field: "embedding", filters: memorySearchFilters, options: memoryVectorOptions),
            TextIndex.definition("by_content", text: "content", filters: ["memorySpaceId"] + memorySearchFilters, tokenizer: .catalogue),
        ])

    /// The fields `memories:search` filters on (`MemoryFilter`), kept with each
    /// indexed embedding and text.
    static let memorySearchFilters: [FieldPath] = ["tenantId", "userId", "sourceUserId", "participantId", "sourceType", "tags", "importance"]

    /// One vector partition per memory space; a memory whose embedding cannot be indexed
    /// (not numbers, NaN) is left out rather than refused, and an all-zero embedding
    /// scores 0, as the contract's cosine gives.
    static let memoryVectorOptions: VectorIndexOptions = {
        var o = VectorIndexOptions()
        o.partition = ["memorySpaceId"]
        o.strict = false
        return o
    }()

    public static let facts = CollectionSchema(
        name: "facts", placement: .shardKey("memorySpaceId"),
        indexes: [
            .secondary("by_factId", ["factId"]),
            .secondary("by_memorySpace", ["memorySpaceId"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_space", ["tenantId", "memorySpaceId"]),
            .secondary("by_memorySpace_subject", ["memorySpaceId", "subject"]),
            .secondary("by_participantId", ["participantId"]),
            .secondary("by_userId", ["userId"]),
            TextIndex.definition(
                "by_content", text: "fact", filters: ["memorySpaceId", "tenantId", "factType"], tokenizer: .catalogue),
        ])

    public static let factHistory = CollectionSchema(
        name: "factHistory", placement: .shardKey("memorySpaceId"),
        indexes: [
            .secondary("by_eventId", ["eventId"]),
            .secondary("by_factId", ["factId"]),
            .secondary("by_memorySpace", ["memorySpaceId"]),
            .secondary("by_memorySpace_timestamp", ["memorySpaceId", "timestamp"]),
            .secondary("by_action", ["action"]),
            .secondary("by_userId", ["userId"]),
            .secondary("by_timestamp", ["timestamp"]),
        ])

    public static let memorySpaces = CollectionSchema(
        name: "memorySpaces", placement: .system,
        indexes: [
            .secondary("by_memorySpaceId", ["memorySpaceId"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_memorySpaceId", ["tenantId", "memorySpaceId"]),
            .secondary("by_tenant_status", ["tenantId", "status"]),
            .secondary("by_status", ["status"]),
            .secondary("by_type", ["type"]),
            .secondary("by_created", ["createdAt"]),
        ])

    public static let contexts = CollectionSchema(
        name: "contexts", placement: .shardKey("memorySpaceId"),
        indexes: [
            .secondary("by_contextId", ["contextId"]),
            .secondary("by_memorySpace", ["memorySpaceId"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_contextId", ["tenantId", "contextId"]),
            .secondary("by_tenant_space", ["tenantId", "memorySpaceId"]),
            .secondary("by_parentId", ["parentId"]),
            .secondary("by_rootId", ["rootId"]),
            .secondary("by_status", ["status"]),
            .secondary("by_memorySpace_status", ["memorySpaceId", "status"]),
            .secondary("by_userId", ["userId"]),
            .secondary("by_created", ["createdAt"]),
        ])

    public static let agents = CollectionSchema(
        name: "agents", placement: .system,
        indexes: [
            .secondary("by_agentId", ["agentId"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_status", ["tenantId", "status"]),
            .secondary("by_status", ["status"]),
            .secondary("by_registered", ["registeredAt"]),
        ])

    public static let sessions = CollectionSchema(
        name: "sessions", placement: .shardKey("sessionId"),
        indexes: [
            .secondary("by_sessionId", ["sessionId"]),
            .secondary("by_userId", ["userId"]),
            .secondary("by_tenantId", ["tenantId"]),
            .secondary("by_tenant_user", ["tenantId", "userId"]),
            .secondary("by_status", ["status"]),
            .secondary("by_memorySpace", ["memorySpaceId"]),
            .secondary("by_lastActive", ["lastActiveAt"]),
            .secondary("by_tenant_status", ["tenantId", "status"]),
        ])

    public static let governancePolicies = CollectionSchema(
        name: "governancePolicies", placement: .system,
        indexes: [
            .secondary("by_organization", ["organizationId"]),
            .secondary("by_memorySpace", ["memorySpaceId"]),
            .secondary("by_active", ["isActive", "organizationId"]),
            .secondary("by_updated", ["updatedAt"]),
        ])

    public static let governanceEnforcement = CollectionSchema(
        name: "governanceEnforcement", placement: .system,
        indexes: [
            .secondary("by_organization", ["organizationId", "executedAt"]),
            .secondary("by_memorySpace", ["memorySpaceId", "executedAt"]),
            .secondary("by_executed", ["executedAt"]),
        ])

    public static let graphSyncQueue = CollectionSchema(
        name: "graphSyncQueue", placement: .byID,
        indexes: [
            .secondary("by_synced", ["synced"]),
            .secondary("by_table", ["table"]),
            .secondary("by_table_entity", ["table", "entityId"]),
            .secondary("by_priority", ["priority", "synced"]),
            .secondary("by_created", ["createdAt"]),
        ])

    /// All 13 tables, in the contract's alphabetical order (schema.md §2.2).
    public static let all: [CollectionSchema] = [
        agents, contexts, conversations, factHistory, facts, governanceEnforcement, governancePolicies, graphSyncQueue,
        immutable, memories, memorySpaces, mutable, sessions,
    ]

    /// The 13 table names, for arguments typed "one of the 13 table literals".
    public static let names: [String] = all.map(\.name)
}
