import EngramCore

/// The `agents` module: the optional agent registry (agents.md, 11 functions).
///
/// `agents:configure`, which the Python SDK calls, is not in the contract and is not
/// registered: as on the reference backend, calling it fails with `FUNCTION_NOT_FOUND`.
enum AgentsModule {
    private static let status = AgentRecords.status

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration("agents:get", .query, arguments: [.required("agentId", .string)], handler: AgentQueries.get),
        FunctionDeclaration(
            "agents:list", .query,
            arguments: [.optional("status", status), .optional("limit", .number), .optional("offset", .number)],
            handler: AgentQueries.list),
        FunctionDeclaration("agents:count", .query, arguments: [.optional("status", status)], handler: AgentQueries.count),
        FunctionDeclaration(
            "agents:exists", .query, arguments: [.required("agentId", .string)], handler: AgentQueries.exists),
        FunctionDeclaration(
            "agents:computeStats", .query, arguments: [.required("agentId", .string)], handler: AgentQueries.computeStats),
        FunctionDeclaration(
            "agents:register", .mutation,
            arguments: [
                .required("agentId", .string), .required("name", .string), .optional("description", .string),
                .optional("metadata", .any), .optional("config", .any),
            ], handler: AgentMutations.register),
        FunctionDeclaration(
            "agents:update", .mutation,
            arguments: [
                .required("agentId", .string), .optional("name", .string), .optional("description", .string),
                .optional("metadata", .any), .optional("config", .any), .optional("status", status),
            ], handler: AgentMutations.update),
        FunctionDeclaration(
            "agents:updateMany", .mutation,
            arguments: [
                .required("agentIds", .array(.string)), .optional("name", .string), .optional("description", .string),
                .optional("metadata", .any), .optional("config", .any),
            ], handler: AgentMutations.updateMany),
        FunctionDeclaration(
            "agents:unregister", .mutation, arguments: [.required("agentId", .string)], handler: AgentMutations.unregister),
        FunctionDeclaration(
            "agents:unregisterMany", .mutation,
            arguments: [.optional("status", status), .optional("agentIds", .array(.string))],
            handler: AgentMutations.unregisterMany),
        FunctionDeclaration("agents:purgeAll", .mutation, arguments: [], handler: AgentMutations.purgeAll),
    ]
}
