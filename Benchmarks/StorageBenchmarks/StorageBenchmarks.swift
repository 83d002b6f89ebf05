// Micro-benchmarks of the storage hot paths: `swift package benchmark --target StorageBenchmarks`.
import Benchmark
import EngramCore
import EngramStorage

/// A ~1 KB document like the ones the catalogue stores.
let sampleDocument: Value = [
    "memoryId": "mem-1700000000000-abc123def", "memorySpaceId": "space-42", "content": .string(String(repeating: "remember this ", count: 50)),
    "contentType": "raw", "sourceType": "conversation", "importance": 50.0, "tags": ["work", "project-x"],
    "createdAt": 1_700_000_000_000.0, "updatedAt": 1_700_000_000_000.0, "accessCount": 0.0, "version": 1.0,
    "conversationRef": ["conversationId": "conv-1", "messageIds": ["m1", "m2"]],
]

let benchmarks: @Sendable () -> Void = {
    let encoded = MessagePack.encode(sampleDocument)

    Benchmark("MessagePack.encode 1 KB document", configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(MessagePack.encode(sampleDocument)) }
    }

    Benchmark("MessagePack.decode 1 KB document", configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try MessagePack.decode(encoded)) }
    }

    Benchmark("KeyEncoding of a (string, number) index key", configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal])) { benchmark in
        for _ in benchmark.scaledIterations {
            var key: [UInt8] = []
            key.reserveCapacity(64)
            KeyEncoding.append(sampleDocument["memorySpaceId"], budget: 240, to: &key)
            KeyEncoding.append(sampleDocument["createdAt"], budget: 240, to: &key)
            blackHole(key)
        }
    }

    Benchmark("DocumentID make + text form", configuration: .init(metrics: [.throughput, .wallClock])) { benchmark in
        let generator = DocumentIDGenerator()
        for i in benchmark.scaledIterations {
            blackHole(generator.make(milliseconds: 1_700_000_000_000 + UInt64(i), collectionTag: 7, routing: 42).description)
        }
    }
}
