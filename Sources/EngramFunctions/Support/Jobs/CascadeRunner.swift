import EngramCore
import EngramStorage
import Synchronization

/// Applies cascade jobs: each step in batches, each batch one transaction in the
/// step's shard that deletes documents and records how many, together.
///
/// Every batch is idempotent: it deletes what the step's lookup still finds and adds
/// that number to the step's progress record in the same commit, so re-running a step
/// (after a crash, or twice at once) never double-counts and never deletes data the
/// job did not cover. When every step is done the job finishes: progress records
/// are removed shard by shard, then the job record. A job interrupted anywhere is
/// completed by ``resumePending()``.
public struct CascadeRunner: Sendable {
    /// The database.
    public let database: Database
    /// Most documents deleted per transaction.
    public let batchSize: Int

    /// A runner. `batchSize` must be at least 1.
    public init(database: Database, batchSize: Int = 256) {
        self.database = database
        self.batchSize = max(1, batchSize)
    }

    /// Jobs being run by this process, which ``resumePending()`` leaves alone.
    private static let running = Mutex<Set<DocumentID>>([])

    /// Runs every step of `job` to completion, finishes the job, and returns the
    /// number of documents deleted per step (in step order).
    ///
    /// Throws what the storage throws; the job then stays recorded and resumable.
    public func run(_ job: CascadeJob) async throws -> [Int] {
        Self.running.withLock { _ = $0.insert(job.id) }
        defer { Self.running.withLock { _ = $0.remove(job.id) } }
        return try await execute(job)
    }

    private func execute(_ job: CascadeJob) async throws -> [Int] {
        for step in job.steps.indices {
            while try await !applyBatch(of: job, step: step) {}
        }
        let counts = try progress(of: job).map(\.deleted)
        try await finish(job)
        return counts
    }

    /// Completes every recorded job that this process is not already running (call
    /// it at start-up). Returns the number completed; if a job fails, the others are
    /// still attempted and the first error is thrown at the end.
    @discardableResult
    public func resumePending() async throws -> Int {
        var completed = 0
        var firstError: Error?
        for job in try CascadeJobs.pending(in: database) {
            guard Self.running.withLock({ $0.insert(job.id).inserted }) else { continue }
            defer { Self.running.withLock { _ = $0.remove(job.id) } }
            do {
                _ = try await execute(job)
                completed += 1
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return completed
    }

    /// Applies one batch of step `step` of `job`: deletes up to ``batchSize`` of the
    /// documents it covers and records them. Returns whether the step is complete.
    public func applyBatch(of job: CascadeJob, step index: Int) async throws -> Bool {
        let step = job.steps[index]
        let shard = try shard(step.shard)
        let jobText = Value.string(job.id.description)
        let filter = Predicate.and([
            try step.lookup(),
            .lt("_creationTime", .double(Double(job.cutoff + 1))),
        ])
        let batch = batchSize
        return try await shard.write { scope in
            let record = try Self.progressRecord(job: jobText, step: index, in: scope)
            if record?.fields["done"] == .bool(true) { return true }
            let victims = try scope.query(Query(step.table, filter: filter, index: .named(step.index), limit: batch)).documents
            for doc in victims { try scope.delete(step.table, doc.id) }
            let done = victims.count < batch
            if victims.isEmpty, record == nil { return done }  // nothing deleted, nothing to count
            let deleted = (record?.fields["deleted"]?.doubleValue ?? 0) + Double(victims.count)
            if let record {
                try scope.patch(
                    CascadeJobs.progressTable, record.id, Patch(set: ["deleted": .double(deleted), "done": .bool(done)]))
            } else {
                try scope.insert(
                    CascadeJobs.progressTable,
                    ["jobId": jobText, "step": .double(Double(index)), "deleted": .double(deleted), "done": .bool(done)])
            }
            return done
        }
    }

    /// What each step of `job` has recorded so far: documents deleted, and whether complete.
    public func progress(of job: CascadeJob) throws -> [(deleted: Int, done: Bool)] {
        let jobText = Value.string(job.id.description)
        return try job.steps.indices.map { i in
            let record = try shard(job.steps[i].shard).read { try Self.progressRecord(job: jobText, step: i, in: $0) }
            return (Int(record?.fields["deleted"]?.doubleValue ?? 0), record?.fields["done"] == .bool(true))
        }
    }

    /// Removes the job's progress records, shard by shard, then the job record.
    private func finish(_ job: CascadeJob) async throws {
        let jobText = Value.string(job.id.description)
        for number in Set(job.steps.map(\.shard)).sorted() {
            try await shard(number).write { scope in
                let records = try scope.drain(
                    Query(
                        CascadeJobs.progressTable, filter: .eq("jobId", jobText),
                        index: .named(CascadeJobs.progressIndex)))
                for r in records { try scope.delete(CascadeJobs.progressTable, r.id) }
            }
        }
        try await database.shards[0].write { scope in
            if try scope.get(CascadeJobs.jobTable, job.id) != nil { try scope.delete(CascadeJobs.jobTable, job.id) }
        }
    }

    private func shard(_ number: Int) throws -> Shard {
        guard database.shards.indices.contains(number) else {
            throw EngramError(.internal, "a cascade step names shard \(number) of \(database.shardCount)")
        }
        return database.shards[number]
    }

    private static func progressRecord(job: Value, step: Int, in scope: ReadScope) throws -> Document? {
        try scope.query(
            Query(
                CascadeJobs.progressTable, filter: .and([.eq("jobId", job), .eq("step", .double(Double(step)))]),
                index: .named(CascadeJobs.progressIndex), limit: 1)
        ).documents.first
    }
}
