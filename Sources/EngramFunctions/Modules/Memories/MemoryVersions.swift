import EngramCore
import EngramStorage

/// A memory's versions: the entries `update` records in `previousVersions`, and the
/// version reads `getVersion`, `getHistory` and `getAtTimestamp`.
///
/// A version is seen as the projection `{memoryId, version, content, embedding?,
/// timestamp}`: the current version's timestamp is the memory's `updatedAt`, a
/// previous one's the timestamp recorded with it. Keys whose value is missing are left
/// out. A missing memory, or one of another space, has no versions.
enum MemoryVersions {
    private typealias R = MemoryRecords

    /// The `previousVersions` entry describing the state an update replaces:
    /// `{version, content, embedding?, timestamp: updatedAt}`.
    static func entry(replacing fields: ValueMap) -> Value {
        var entry = ValueMap()
        entry["version"] = fields["version"]
        entry["content"] = fields["content"]
        entry["embedding"] = fields["embedding"]
        entry["timestamp"] = fields["updatedAt"]
        return .map(entry)
    }

    /// The projection of the current version.
    private static func current(_ fields: ValueMap) -> Value {
        projection(fields, version: fields["version"], content: fields["content"], embedding: fields["embedding"], timestamp: fields["updatedAt"])
    }

    /// The projection of one `previousVersions` entry.
    private static func previous(_ fields: ValueMap, _ entry: Value) -> Value {
        projection(fields, version: entry["version"], content: entry["content"], embedding: entry["embedding"], timestamp: entry["timestamp"])
    }

    /// `{memoryId, version, content, embedding, timestamp}`, leaving out missing values.
    private static func projection(_ fields: ValueMap, version: Value?, content: Value?, embedding: Value?, timestamp: Value?) -> Value {
        var out = ValueMap()
        out["memoryId"] = fields["memoryId"]
        out["version"] = version
        out["content"] = content
        out["embedding"] = embedding
        out["timestamp"] = timestamp
        return .map(out)
    }

    /// The stored previous versions, oldest first.
    private static func entries(_ fields: ValueMap) -> [Value] {
        fields["previousVersions"]?.arrayValue ?? []
    }

    /// The fields of the memory the arguments name, when it belongs to their space.
    private static func memory(_ context: FunctionContext, _ args: ValueMap) throws -> ValueMap? {
        guard let doc = try R.find(context, try args.requiredString("memoryId")),
            R.belongs(doc, to: try args.requiredString("memorySpaceId"))
        else { return nil }
        return doc.fields
    }

    /// Version `version` (exact numeric equality): the current one, else the first
    /// previous entry with that number; null when there is none.
    static func getVersion(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let fields = try memory(context, args) else { return .null }
        let wanted = try args.requiredNumber("version")
        if fields["version"]?.doubleValue == wanted { return current(fields) }
        return entries(fields).first { $0["version"]?.doubleValue == wanted }.map { previous(fields, $0) } ?? .null
    }

    /// Every version, ascending by version number (stable); `[]` without a memory.
    static func getHistory(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let fields = try memory(context, args) else { return .array([]) }
        let versions = entries(fields).map { previous(fields, $0) } + [current(fields)]
        func number(_ v: Value) -> Double { v["version"]?.doubleValue ?? .nan }
        return .array(JavaScript.stableSorted(versions) { number($0) < number($1) })
    }

    /// The version current at `timestamp`, by the reference's algorithm: the current
    /// version from `updatedAt` on; nothing before `createdAt`; otherwise the newest
    /// previous entry whose timestamp is not after `timestamp`, else null.
    static func getAtTimestamp(_ context: FunctionContext, _ args: ValueMap) throws -> Value {
        guard let fields = try memory(context, args) else { return .null }
        let at = try args.requiredNumber("timestamp")
        func number(_ v: Value?) -> Double { v?.doubleValue ?? .nan }
        if at >= number(fields["updatedAt"]) { return current(fields) }
        if at < number(fields["createdAt"]) { return .null }
        return entries(fields).last { at >= number($0["timestamp"]) }.map { previous(fields, $0) } ?? .null
    }
}
