import EngramCore

/// The `facts` module: Layer 3, structured facts versioned by supersession chains
/// (facts.md, 18 functions).
enum FactsModule {
    private typealias R = FactRecords

    /// The optional content fields `update` and `updateInPlace` accept.
    private static let revisions: [ArgumentField] = [
        .optional("fact", .string), .optional("confidence", .number), .optional("tags", .array(.string)),
        .optional("validUntil", .number), .optional("metadata", .any), .optional("category", .string),
        .optional("searchAliases", .array(.string)), .optional("semanticContext", .string),
        .optional("entities", .array(R.entity)), .optional("relations", .array(R.relation)),
    ]

    private static let spaceAndFact: [ArgumentField] = [.required("memorySpaceId", .string), .required("factId", .string)]

    static let functions: [FunctionDeclaration] = [
        FunctionDeclaration(
            "facts:store", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .optional("participantId", .string), .optional("userId", .string),
                .optional("tenantId", .string), .required("fact", .string), .required("factType", R.factType),
                .optional("subject", .string), .optional("predicate", .string), .optional("object", .string),
                .required("confidence", .number), .required("sourceType", R.sourceType),
                .optional("sourceRef", R.sourceRef), .optional("metadata", .any), .required("tags", .array(.string)),
                .optional("validFrom", .number), .optional("validUntil", .number), .optional("category", .string),
                .optional("searchAliases", .array(.string)), .optional("semanticContext", .string),
                .optional("entities", .array(R.entity)), .optional("relations", .array(R.relation)),
            ], handler: FactWrites.store),
        FunctionDeclaration("facts:update", .mutation, arguments: spaceAndFact + revisions, handler: FactWrites.update),
        FunctionDeclaration("facts:deleteFact", .mutation, arguments: spaceAndFact, handler: FactWrites.deleteFact),
        FunctionDeclaration(
            "facts:supersede", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .required("oldFactId", .string), .required("newFactId", .string),
                .optional("reason", .string),
            ], handler: FactWrites.supersede),
        FunctionDeclaration(
            "facts:updateInPlace", .mutation, arguments: spaceAndFact + revisions, handler: FactWrites.updateInPlace),
        FunctionDeclaration(
            "facts:deleteMany", .mutation,
            arguments: [.required("memorySpaceId", .string), .optional("userId", .string), .optional("factType", R.factType)],
            handler: FactBatchWrites.deleteMany),
        FunctionDeclaration(
            "facts:get", .query, arguments: spaceAndFact + [.optional("tenantId", .string)], handler: FactQueries.get),
        FunctionDeclaration(
            "facts:list", .query,
            arguments: [.required("memorySpaceId", .string), .optional("tenantId", .string)] + FactFilter.arguments
                + FactFilter.pagingArguments,
            handler: FactQueries.list),
        FunctionDeclaration(
            "facts:count", .query,
            arguments: [.required("memorySpaceId", .string), .optional("tenantId", .string)] + FactFilter.arguments,
            handler: FactQueries.count),
        FunctionDeclaration(
            "facts:search", .query,
            arguments: [.required("memorySpaceId", .string), .required("query", .string), .optional("tenantId", .string)]
                + FactFilter.arguments + FactFilter.pagingArguments,
            handler: FactQueries.search),
        FunctionDeclaration("facts:getHistory", .query, arguments: spaceAndFact, handler: FactQueries.getHistory),
        FunctionDeclaration(
            "facts:queryBySubject", .query,
            arguments: [.required("memorySpaceId", .string), .required("subject", .string)]
                + FactFilter.arguments.filter { $0.name != "subject" } + FactFilter.pagingArguments,
            handler: FactQueries.queryBySubject),
        FunctionDeclaration(
            "facts:queryByRelationship", .query,
            arguments: [.required("memorySpaceId", .string), .required("subject", .string), .required("predicate", .string)]
                + FactFilter.arguments.filter { $0.name != "subject" && $0.name != "predicate" } + FactFilter.pagingArguments,
            handler: FactQueries.queryByRelationship),
        FunctionDeclaration(
            "facts:exportFacts", .query,
            arguments: [
                .required("memorySpaceId", .string), .required("format", .literals(["json", "jsonld", "csv"])),
                .optional("factType", R.factType),
            ], handler: FactExport.exportFacts),
        FunctionDeclaration(
            "facts:consolidate", .mutation,
            arguments: [
                .required("memorySpaceId", .string), .required("factIds", .array(.string)), .required("keepFactId", .string),
            ], handler: FactBatchWrites.consolidate),
        FunctionDeclaration(
            "facts:findByStructure", .query,
            arguments: [
                .required("memorySpaceId", .string), .optional("subject", .string), .optional("predicate", .string),
                .optional("object", .string), .optional("userId", .string), .optional("factType", R.factType),
                .optional("limit", .number),
            ], handler: FactQueries.findByStructure),
        FunctionDeclaration(
            "facts:deleteByIds", .mutation, arguments: [.required("factIds", .array(.string))],
            handler: FactBatchWrites.deleteByIds),
        FunctionDeclaration("facts:purgeAll", .mutation, arguments: [], handler: FactBatchWrites.purgeAll),
    ]
}
