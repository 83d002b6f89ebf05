import EngramStorage

/// Runs one vector index's graph maintenance in one shard, in the background.
///
/// Started when the shard opens (``VectorIndex/attach(to:)``, which first queues every
/// partition with pending work or a graph to load), then waits for the index to queue
/// more after each committed batch. Each step is one
/// request in the shard's ordinary write queue, so it is batched and committed like
/// any write and user writes never wait for more than one step. It touches the shard
/// only through its write queue, which refuses work once the shard closes, so it never
/// reaches a closed environment. Stops when the shard closes.
final class GraphMaintainer: Sendable {
    private let wakeups: AsyncStream<Void>.Continuation
    private let task: Task<Void, Never>

    init(index: VectorIndex, shard: Shard) {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeups = continuation
        task = Task.detached {
            var waiting = stream.makeAsyncIterator()
            repeat {
                while let partition = index.nextWork() {
                    guard !shard.isClosed, !Task.isCancelled else { return }
                    do {
                        if try await shard.write({ scope in try index.maintain(partition, in: scope.transaction) }) {
                            index.enqueue([partition])
                        }
                    } catch {
                        // The shard is closing, or the step failed and was rolled back; a
                        // later write to the partition queues it again.
                        break
                    }
                }
            } while await waiting.next() != nil
        }
        continuation.yield()
    }

    /// Signals that work was queued.
    func wake() { wakeups.yield() }

    /// Stops after the current step.
    func stop() {
        wakeups.finish()
        task.cancel()
    }
}
