import EngramCore
import EngramStorage

/// One step of a cascade: in one shard, delete every document of `table` that the
/// lookup `index = values` finds (and that existed when the job was recorded).
public struct CascadeStep: Sendable, Equatable {
    /// The shard the step deletes in.
    public let shard: Int
    /// The catalogue table.
    public let table: String
    /// The table's index the lookup uses (its leading fields bound to ``values``).
    public let index: String
    /// The values of the index's leading fields.
    public let values: [Value]

    /// A step.
    public init(shard: Int, table: String, index: String, values: [Value]) {
        self.shard = shard
        self.table = table
        self.index = index
        self.values = values
    }

    /// The step's lookup as a filter. Throws `INTERNAL` if the table or index is not
    /// (or no longer) declared with enough fields.
    func lookup() throws -> Predicate {
        guard let schema = Tables.all.first(where: { $0.name == table }), let ix = schema.index(named: index),
            ix.fields.count >= values.count
        else { throw EngramError(.internal, "a cascade step names \(table).\(index), which is not a catalogue index") }
        return .indexEquals(table: table, index: index, values)
    }

    var encoded: Value {
        ["shard": .double(Double(shard)), "table": .string(table), "index": .string(index), "values": .array(values)]
    }

    init(decoding value: Value) throws {
        guard let shard = value["shard"]?.int64Value, let table = value["table"]?.stringValue,
            let index = value["index"]?.stringValue, let values = value["values"]?.arrayValue
        else { throw EngramError(.internal, "a cascade job holds a malformed step: \(value)") }
        self.init(shard: Int(shard), table: table, index: index, values: values)
    }
}

/// A cascade recorded durably in the system shard: what to delete, shard by shard.
///
/// The record is written before anything is deleted (in the same transaction as the
/// system-shard writes that start the cascade, such as deleting a space's registry
/// record), so a crash at any later point leaves the job to be resumed. Only documents
/// created at or before ``cutoff`` are deleted: a job resumed after a restart never
/// removes data written after the operation that started it.
public struct CascadeJob: Sendable, Equatable {
    /// The id of the job record.
    public let id: DocumentID
    /// What started the job (`deleteSpace`, `eraseUser`).
    public let kind: String
    /// The logical id the job is about (the memorySpaceId, the userId).
    public let subject: String
    /// Milliseconds since the epoch; documents created in or before this millisecond are deleted.
    public let cutoff: UInt64
    /// The steps, applied in order.
    public let steps: [CascadeStep]

    init(document: Document) throws {
        let f = document.fields
        guard let kind = f["kind"]?.stringValue, let subject = f["subject"]?.stringValue,
            let cutoff = f["cutoff"]?.doubleValue, cutoff >= 0, let steps = f["steps"]?.arrayValue
        else { throw EngramError(.internal, "cascade job \(document.id) is malformed") }
        self.id = document.id
        self.kind = kind
        self.subject = subject
        self.cutoff = UInt64(cutoff)
        self.steps = try steps.map(CascadeStep.init(decoding:))
    }
}

/// The two collections behind cascade jobs. Neither is a contract table: `admin:*`
/// does not list, count or clear them.
public enum CascadeJobs {
    /// Job records, in the system shard.
    static let jobTable = "engramCascadeJobs"
    /// Per-step progress, each in the shard of its step, written in the same
    /// transaction as the deletions it counts.
    static let progressTable = "engramCascadeProgress"
    static let progressIndex = "by_job_step"

    /// The collections to declare alongside the catalogue's tables.
    public static let collections: [CollectionSchema] = [
        CollectionSchema(name: jobTable, placement: .system),
        CollectionSchema(
            name: progressTable, placement: .byID, indexes: [.secondary(progressIndex, ["jobId", "step"])]),
    ]

    /// Records a job in `scope`, which must write the system shard; the job is durable
    /// when that write commits. Throws `INTERNAL` for another shard.
    public static func record(kind: String, subject: String, steps: [CascadeStep], in scope: WriteScope) throws -> CascadeJob {
        guard scope.shard.index == 0 else {
            throw EngramError(.internal, "cascade jobs are recorded in the system shard, not shard \(scope.shard.index)")
        }
        let doc = try scope.insert(
            jobTable,
            [
                "kind": .string(kind), "subject": .string(subject), "cutoff": .double(Double(scope.now)),
                "steps": .array(steps.map(\.encoded)),
            ])
        return try CascadeJob(document: doc)
    }

    /// Every job recorded and not yet finished, oldest first.
    public static func pending(in database: Database) throws -> [CascadeJob] {
        try database.shards[0].read { scope in
            try scope.drain(Query(jobTable, index: .creationOrder)).map(CascadeJob.init(document:))
        }
    }
}
