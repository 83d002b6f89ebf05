import EngramCore
import EngramStorage

/// `conversations:search`: case-insensitive matching over message contents and/or
/// metadata, scored and ranked as the reference does.
enum ConversationSearch {
    typealias C = Conversation

    /// The match predicate of `mode` for the lower-cased query `q`.
    static func matcher(mode: String, q: String) -> (String) -> Bool {
        switch mode {
        case "exact": return { JavaScript.lowercase($0).utf16.elementsEqual(q.utf16) }
        case "fuzzy":
            let pieces = JavaScript.words(q)
            return { text in
                let t = JavaScript.lowercase(text)
                return pieces.allSatisfy { JavaScript.includes(t, $0) }
            }
        default: return { JavaScript.includes(JavaScript.lowercase($0), q) }
        }
    }

    /// The text around the first occurrence of `q` in `content` (±30 UTF-16 units),
    /// or its first 60 units (with "..." when longer) if `q` does not occur.
    static func highlight(_ content: String, q: String) -> String {
        let length = JavaScript.length(content)
        guard let i = JavaScript.indexOf(JavaScript.lowercase(content), q) else {
            return JavaScript.substring(content, from: 0, to: 60) + (length > 60 ? "..." : "")
        }
        return JavaScript.substring(content, from: max(0, i - 30), to: min(length, i + JavaScript.length(q) + 30))
    }

    /// Conversations whose messages and/or metadata match the query, best score first.
    static func search(_ ctx: FunctionContext, _ args: ValueMap) async throws -> Value {
        let q = JavaScript.lowercase(args.string("query") ?? "")
        let matches = matcher(mode: args.string("matchMode") ?? "contains", q: q)
        let searchIn = args.string("searchIn") ?? "content"
        let condition = ConversationDeletes.filter(ctx, userId: args.setString("userId"), type: args.setString("type"))
        let candidates = try ConversationDeletes.matches(ctx.database, space: args.setString("memorySpaceId"), condition: condition)
        let start = args.setNumber("dateStart"), end = args.setNumber("dateEnd")
        var hits: [(score: Double, result: Value)] = []
        for doc in candidates {
            let created = doc.fields.number("createdAt") ?? .nan
            if let start, created < start { continue }
            if let end, created > end { continue }
            var matched: [Value] = []
            if searchIn == "content" || searchIn == "both" {
                matched = C.messages(doc.fields).filter { matches($0.mapValue?.string("content") ?? "") }
            }
            var metadataMatch = false
            if searchIn == "metadata" || searchIn == "both" {
                let metadata = JavaScript.isTruthy(doc.fields["metadata"]) ? doc.fields["metadata"] ?? [:] : .map([:])
                metadataMatch = matches(JSONText.stringify(metadata))
            }
            guard !matched.isEmpty || metadataMatch else { continue }
            let count = C.messageCount(doc.fields)
            let score = (!matched.isEmpty && count > 0 ? Double(matched.count) / count : 0) + (metadataMatch ? 0.5 : 0)
            let highlights = matched.prefix(3).map { Value.string(highlight($0.mapValue?.string("content") ?? "", q: q)) }
            hits.append((score, ["conversation": doc.value, "matchedMessages": .array(matched), "highlights": .array(highlights), "score": .double(score)]))
        }
        let ranked = JavaScript.stableSorted(hits) { $0.score > $1.score }
        return .array(JavaScript.slice(ranked, start: 0, end: args.number("limit", orDefault: 10)).map(\.result))
    }
}
