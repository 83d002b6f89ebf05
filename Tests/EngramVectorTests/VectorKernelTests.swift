@testable import EngramVector
import Testing

/// The four-at-a-time kernels give exactly the one-pair kernels' values, so a graph
/// walk that uses them ranks and scores as the scans do.
@Suite struct VectorKernelTests {
    @Test(arguments: VectorMetric.allCases)
    func fourAtATimeEqualsOneAtATimeBitForBit(metric: VectorMetric) {
        var rng = SeededGenerator(seed: 42)
        for dimension in [1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 100, 128, 384, 385] {
            for offset in [0, 1] {  // floats at an address that is not 8-byte aligned too
                // The query and four rows, each `offset` floats into its own stretch.
                let width = dimension + offset
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 5 * width)
                defer { buffer.deallocate() }
                for i in 0..<(5 * width) { (buffer + i).initialize(to: Float.random(in: -1..<1, using: &rng)) }
                let query = UnsafeRawPointer(buffer + offset)
                let rows = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: 4)
                defer { rows.deallocate() }
                for k in 0..<4 { rows[k] = UnsafeRawPointer(buffer + (k + 1) * width + offset) }
                let batched = UnsafeMutablePointer<Float>.allocate(capacity: 4)
                defer { batched.deallocate() }
                metric.distances(query, rows, dimension: dimension, into: batched)
                for k in 0..<4 {
                    let single = metric.distance(query, rows[k]!, dimension: dimension)
                    #expect(batched[k].bitPattern == single.bitPattern, "\(metric) d=\(dimension) offset=\(offset) row \(k)")
                }
            }
        }
    }
}
