#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with a condition variable, for a thread that sleeps until work arrives.
final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` holding the mutex.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for a signal; call only while holding the mutex (inside ``withLock(_:)``).
    func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes every waiter.
    func broadcast() { pthread_cond_broadcast(condition) }
}

/// A dedicated OS thread running one closure, which can be joined.
///
/// LMDB ties a write transaction to the thread that began it, so each shard's
/// writer owns one of these rather than borrowing threads from a pool.
final class WorkerThread: @unchecked Sendable {
    private var thread: pthread_t?

    /// Starts a thread running `body`.
    init(_ body: @escaping @Sendable () -> Void) {
        final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()  // passed by pthread_create below
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed with \(rc)")
        thread = t
    }

    /// Waits for the thread to finish.
    func join() {
        guard let t = thread else { return }
        thread = nil
        pthread_join(t, nil)
    }
}
