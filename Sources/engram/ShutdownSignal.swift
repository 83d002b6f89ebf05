import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Waits for SIGINT or SIGTERM.
enum ShutdownSignal {
    /// Returns the name of the first of SIGINT or SIGTERM to arrive.
    static func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let queue = DispatchQueue(label: "engram.signals")
            let once = Once()
            var sources: [DispatchSourceSignal] = []
            for (sig, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler {
                    if once.fire() { continuation.resume(returning: name) }
                }
                source.resume()
                sources.append(source)
            }
            Retain.forever(sources)
        }
    }

    /// Fires once.
    private final class Once: @unchecked Sendable {
        private var fired = false  // touched only on the signal queue
        func fire() -> Bool {
            defer { fired = true }
            return !fired
        }
    }

    /// Keeps the signal sources alive for the life of the process.
    private enum Retain {
        nonisolated(unsafe) static var held: [DispatchSourceSignal] = []
        static func forever(_ s: [DispatchSourceSignal]) { held += s }
    }
}
