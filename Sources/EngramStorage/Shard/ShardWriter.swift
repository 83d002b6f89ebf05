import EngramCore

/// A write request waiting for the shard's writer.
protocol WriteJob: AnyObject, Sendable {
    /// "now" for the request.
    var now: UInt64 { get }
    /// Runs the request inside its nested transaction, keeping its result.
    func run(_ scope: WriteScope) throws
    /// Hands the kept result (or `error`) to the waiting caller.
    func complete(_ error: Error?)
}

final class TypedWriteJob<T: Sendable>: WriteJob, @unchecked Sendable {
    let now: UInt64
    private let body: @Sendable (WriteScope) throws -> T
    private let continuation: CheckedContinuation<T, Error>
    private var result: T?  // written and read only on the writer thread

    init(now: UInt64, body: @escaping @Sendable (WriteScope) throws -> T, continuation: CheckedContinuation<T, Error>) {
        self.now = now
        self.body = body
        self.continuation = continuation
    }

    func run(_ scope: WriteScope) throws { result = try body(scope) }

    func complete(_ error: Error?) {
        if let error {
            continuation.resume(throwing: error)
        } else if let result {
            continuation.resume(returning: result)
        } else {
            continuation.resume(throwing: EngramError(.internal, "a write completed without a result"))
        }
    }
}

/// Statistics of one committed batch, for metrics.
public struct CommitBatch: Sendable {
    /// The shard that committed.
    public let shard: Int
    /// Requests in the batch (succeeded and failed).
    public let requests: Int
    /// Seconds from the batch's start to its durable commit.
    public let seconds: Double
}

/// The single writer of one shard, batching concurrent requests (group commit).
///
/// Requests queue while a batch commits; the writer thread then takes every queued
/// request (up to ``maxBatch``) into one LMDB transaction, runs each in its own
/// nested transaction (a failing request is rolled back alone), commits once (one
/// fsync for the whole batch) and only then answers each caller. When the map is
/// full, the batch is rolled back, the map grown, and the batch run again.
final class ShardWriter: @unchecked Sendable {
    /// Most requests in one batch.
    static let maxBatch = 1024

    private let shardIndex: Int
    private let lock = ConditionLock()
    private var pending: [any WriteJob] = []  // guarded by lock
    private var closing = false  // guarded by lock
    private var thread: WorkerThread?
    private let observer: (@Sendable (CommitBatch) -> Void)?

    init(shardIndex: Int, observer: (@Sendable (CommitBatch) -> Void)?) {
        self.shardIndex = shardIndex
        self.observer = observer
    }

    /// Starts the writer thread for `shard`, which owns this writer and outlives the
    /// thread (``close()`` joins it).
    func start(shard: Shard) {
        thread = WorkerThread { [self, unowned shard] in self.loop(shard) }
    }

    /// Runs `body` in the next batch and returns its result once the batch is durable.
    func submit<T: Sendable>(now: UInt64, _ body: @escaping @Sendable (WriteScope) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = TypedWriteJob(now: now, body: body, continuation: continuation)
            let accepted = lock.withLock {
                guard !closing else { return false }
                pending.append(job)
                lock.broadcast()
                return true
            }
            if !accepted {
                job.complete(EngramError(.closed, "the database is closed"))
            }
        }
    }

    /// True once ``close()`` began.
    var isClosing: Bool { lock.withLock { closing } }

    /// Finishes every queued request, then stops the thread.
    func close() {
        lock.withLock {
            closing = true
            lock.broadcast()
        }
        thread?.join()
        thread = nil
    }

    private func loop(_ shard: Shard) {
        while true {
            let jobs: [any WriteJob] = lock.withLock {
                while pending.isEmpty && !closing { lock.wait() }
                let n = min(pending.count, Self.maxBatch)
                let taken = Array(pending.prefix(n))
                pending.removeFirst(n)
                return taken
            }
            if jobs.isEmpty { return }  // closing, and nothing left
            runBatch(jobs, shard)
        }
    }

    private enum Outcome {
        case succeeded([@Sendable () -> Void])
        case failed(Error)
    }

    private func runBatch(_ jobs: [any WriteJob], _ shard: Shard) {
        let started = ContinuousClock.now
        let env = shard.environment
        while true {
            env.gate.enterShared()
            var outcomes: [Outcome] = []
            outcomes.reserveCapacity(jobs.count)
            var mapFull = false
            var txn: Transaction?
            do {
                let outer = try env.beginWrite()
                txn = outer
                for job in jobs {
                    let nested = try outer.beginNested()
                    let scope = WriteScope(shard: shard, transaction: nested, now: job.now)
                    do {
                        try job.run(scope)
                        try nested.commit()
                        outcomes.append(.succeeded(scope.commitActions))
                        for index in shard.transactionAwareIndexes { index.requestEnded(committed: true) }
                    } catch {
                        nested.abort()
                        for index in shard.transactionAwareIndexes { index.requestEnded(committed: false) }
                        if LMDB.isMapFull(error) { throw error }
                        outcomes.append(.failed(error))
                    }
                }
                try shard.changeLog.trim(budget: 64, in: outer)
                try outer.commit()
                for index in shard.transactionAwareIndexes { index.batchEnded(committed: true) }
            } catch {
                txn?.abort()
                for index in shard.transactionAwareIndexes { index.batchEnded(committed: false) }
                if LMDB.isMapFull(error) {
                    mapFull = true
                } else {
                    env.gate.leaveShared()
                    for job in jobs { job.complete(error) }
                    return
                }
            }
            env.gate.leaveShared()
            if mapFull {
                do {
                    try env.grow()
                    continue
                } catch {
                    for job in jobs { job.complete(error) }
                    return
                }
            }
            for (job, outcome) in zip(jobs, outcomes) {
                switch outcome {
                case .succeeded(let actions):
                    for action in actions { action() }
                    job.complete(nil)
                case .failed(let error):
                    job.complete(error)
                }
            }
            let elapsed = ContinuousClock.now - started
            observer?(
                CommitBatch(
                    shard: shardIndex, requests: jobs.count,
                    seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            return
        }
    }
}
