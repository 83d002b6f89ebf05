import EngramCore
import EngramStorage

/// `facts:exportFacts`: a space's active facts as JSON, JSON-LD or CSV text, formatted
/// byte for byte as the reference formats them.
enum FactExport {
    private typealias R = FactRecords

    static func exportFacts(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        let format = try args.requiredString("format")
        let factType = JavaScript.isTruthy(args["factType"]) ? args["factType"] : nil
        let facts = try R.scanSpace(context, try args.requiredString("memorySpaceId")) { doc in
            R.isActive(doc.fields) && (factType.map { doc.fields["factType"] == $0 } ?? true)
        }
        let data: String
        switch format {
        case "jsonld": data = try jsonLD(facts)
        case "csv": data = try csv(facts)
        default: data = JSONText.stringify(.array(facts.map(\.value)), space: 2)
        }
        return ["format": .string(format), "data": .string(data), "count": .double(Double(facts.count)), "exportedAt": context.nowValue]
    }

    /// `toISOString()` of a timestamp field; throws the plain `Invalid time value` when
    /// JavaScript would.
    private static func iso(_ value: Value?) throws -> String {
        guard let text = JavaScript.isoString(milliseconds: value?.doubleValue ?? .nan) else { throw EngramError.plain("Invalid time value") }
        return text
    }

    /// `{"@context": "https://schema.org/", "@graph": [...]}`, each item's keys in the
    /// reference's literal order.
    private static func jsonLD(_ facts: [Document]) throws -> String {
        let graph: [Value] = try facts.map { doc in
            let f = doc.fields
            var item: ValueMap = ["@type": "Fact", "@id": f["factId"] ?? .null]
            for key in ["subject", "predicate", "object"] { item[key] = f[key] }
            item["factStatement"] = f["fact"]
            item["confidence"] = f["confidence"]
            item["factType"] = f["factType"]
            item["dateCreated"] = .string(try iso(f["createdAt"]))
            if JavaScript.isTruthy(f["validFrom"]) { item["validFrom"] = .string(try iso(f["validFrom"])) }
            if JavaScript.isTruthy(f["validUntil"]) { item["validThrough"] = .string(try iso(f["validUntil"])) }
            return .map(item)
        }
        let root: Value = ["@context": "https://schema.org/", "@graph": .array(graph)]
        // The root (depth 0) and each item (depth 2, inside the @graph array) keep their literal order.
        return JSONText.stringify(root, space: 2, insertionOrderDepth: 3)
    }

    private static func csv(_ facts: [Document]) throws -> String {
        var lines = ["factId,fact,factType,subject,predicate,object,confidence,sourceType,tags,createdAt"]
        for doc in facts {
            let f = doc.fields
            func text(_ key: String) -> String { f[key]?.stringValue ?? "" }
            let quoted = "\"" + text("fact").split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
            let tags = (f["tags"]?.arrayValue ?? []).map { $0.stringValue ?? "" }.joined(separator: ";")
            let confidence = f["confidence"]?.doubleValue.map(JavaScript.numberText) ?? ""
            lines.append(
                [text("factId"), quoted, text("factType"), text("subject"), text("predicate"), text("object"), confidence,
                 text("sourceType"), tags, try iso(f["createdAt"])].joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }
}
