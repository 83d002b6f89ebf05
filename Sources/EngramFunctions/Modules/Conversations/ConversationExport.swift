import EngramCore
import EngramStorage

/// `conversations:exportConversations`: matching conversations as JSON or CSV text,
/// byte for byte as the reference writes them.
enum ConversationExport {
    typealias C = Conversation

    /// Exports the matching conversations as JSON or CSV text.
    static func export(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let condition = ConversationDeletes.filter(ctx, userId: args.setString("userId"), type: args.setString("type"))
        var docs = try ConversationDeletes.matches(ctx.database, space: args.setString("memorySpaceId"), condition: condition)
        if let ids = args.array("conversationIds"), !ids.isEmpty {
            let wanted = Set(ids)
            docs = docs.filter { $0.fields["conversationId"].map { wanted.contains($0) } ?? false }
        }
        if let start = args.setNumber("dateStart") { docs = docs.filter { ($0.fields.number("createdAt") ?? .nan) >= start } }
        if let end = args.setNumber("dateEnd") { docs = docs.filter { ($0.fields.number("createdAt") ?? .nan) <= end } }
        let withMetadata = args.isSet("includeMetadata")
        let format = args.string("format") ?? "json"
        let data = format == "csv" ? try csv(docs, withMetadata: withMetadata) : json(docs, withMetadata: withMetadata)
        return ["format": .string(format), "data": .string(data), "count": .double(Double(docs.count)), "exportedAt": ctx.nowValue]
    }

    /// Pretty-printed (2 spaces) array of rows with the reference's key order.
    static func json(_ docs: [Document], withMetadata: Bool) -> String {
        let rows: [Value] = docs.map { doc in
            var row = ValueMap()
            for key in ["conversationId", "type", "participants", "messages", "messageCount", "createdAt", "updatedAt"] {
                row[key] = doc.fields[key]
            }
            if withMetadata, JavaScript.isTruthy(doc.fields["metadata"]) { row["metadata"] = doc.fields["metadata"] }
            return .map(row)
        }
        return JSONText.stringify(.array(rows), space: 2, insertionOrderDepth: 2)
    }

    /// Header plus one unquoted row per conversation (JSON columns are not escaped,
    /// as in the reference).
    static func csv(_ docs: [Document], withMetadata: Bool) throws -> String {
        var lines = ["conversationId,type,participants,messageCount,createdAt,updatedAt" + (withMetadata ? ",metadata" : "")]
        for doc in docs {
            let f = doc.fields
            func text(_ key: String) -> String {
                guard let v = f[key] else { return "undefined" }
                return v.stringValue ?? JSONText.stringify(v)
            }
            func date(_ key: String) throws -> String {
                guard let iso = JavaScript.isoString(milliseconds: f.number(key) ?? .nan) else { throw EngramError.plain("Invalid time value") }
                return iso
            }
            var columns = [
                text("conversationId"), text("type"), JSONText.stringify(f["participants"] ?? .map([:])),
                JavaScript.numberText(C.messageCount(f)), try date("createdAt"), try date("updatedAt"),
            ]
            if withMetadata {
                columns.append(JSONText.stringify(JavaScript.isTruthy(f["metadata"]) ? f["metadata"] ?? [:] : .map([:])))
            }
            lines.append(columns.joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }
}
