import EngramCore
import EngramStorage

/// `memories:exportMemories`: a space's memories (optionally one user's) as JSON or
/// CSV text, formatted byte for byte as the reference formats them.
///
/// `includeFacts`, which the Python SDK always sends, is accepted and ignored: this
/// module never reads facts, and the reference's export has no place for them.
enum MemoryExport {
    private typealias R = MemoryRecords

    /// The export of the space's memories that pass the `userId` filter, oldest first.
    static func exportMemories(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let format = try args.requiredString("format")
        let filter = MemoryFilter.predicate(context, args, [.userOrSourceUser])
        let memories = try context.database.queryAll(R.spaceQuery(try args.requiredString("memorySpaceId"), where: filter))
        let data = format == "csv" ? try csv(memories) : json(memories, withEmbeddings: args.isSet("includeEmbeddings"))
        return ["format": .string(format), "data": .string(data), "count": .double(Double(memories.count)), "exportedAt": context.nowValue]
    }

    /// Pretty-printed (2 spaces) rows `{memoryId, content, sourceType, importance, tags,
    /// createdAt, embedding?}` in that key order; `embedding` only when asked for and
    /// present (an empty one included).
    static func json(_ memories: [Document], withEmbeddings: Bool) -> String {
        let rows: [Value] = memories.map { doc in
            var row = ValueMap()
            for key in ["memoryId", "content", "sourceType", "importance", "tags", "createdAt"] { row[key] = doc.fields[key] }
            if withEmbeddings, JavaScript.isTruthy(doc.fields["embedding"]) { row["embedding"] = doc.fields["embedding"] }
            return .map(row)
        }
        return JSONText.stringify(.array(rows), space: 2, insertionOrderDepth: 2)
    }

    /// The header and one unquoted line per memory: commas in the content become
    /// semicolons, tags are joined with `;`, `createdAt` is ISO-8601 UTC; no embeddings.
    static func csv(_ memories: [Document]) throws -> String {
        var lines = ["memoryId,content,sourceType,importance,tags,createdAt"]
        for doc in memories {
            let f = doc.fields
            func text(_ key: String) -> String { f[key]?.stringValue ?? "" }
            let content = String(String.UnicodeScalarView(text("content").unicodeScalars.map { $0 == "," ? ";" : $0 }))
            let tags = R.tags(f).map { $0.stringValue ?? "" }.joined(separator: ";")
            guard let created = JavaScript.isoString(milliseconds: f["createdAt"]?.doubleValue ?? .nan) else {
                throw EngramError.plain("Invalid time value")
            }
            let importance = JavaScript.numberText(f["importance"]?.doubleValue ?? .nan)
            lines.append([text("memoryId"), content, text("sourceType"), importance, tags, created].joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }
}
