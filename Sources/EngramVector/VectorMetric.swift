import CVectorKernels

/// How vectors are compared.
///
/// Every search orders results by ``VectorHit/score``, higher first:
/// - `cosine` (the default): the cosine similarity, in [-1, 1]. Vectors are stored
///   normalised, so the score is their inner product with the normalised query.
/// - `dot`: the inner product of the vectors as given.
/// - `l2`: the squared Euclidean distance, negated (so that higher is closer).
public enum VectorMetric: String, Sendable, Hashable, CaseIterable {
    case cosine, dot, l2

    /// The distance the graph and the scans minimise for stored vector `b` and query
    /// `a` (both `dimension` floats, any alignment).
    @inline(__always)
    func distance(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, dimension: Int) -> Float {
        switch self {
        case .cosine: return 1 - engram_dot(a, b, dimension)
        case .dot: return -engram_dot(a, b, dimension)
        case .l2: return engram_l2sq(a, b, dimension)
        }
    }

    /// The distances between query `a` and the four vectors `b[0]`…`b[3]` (each
    /// `dimension` floats), into `out[0]`…`out[3]`: exactly what four calls of
    /// ``distance(_:_:dimension:)`` return, computed together so their loads overlap.
    @inline(__always)
    func distances(
        _ a: UnsafeRawPointer, _ b: UnsafePointer<UnsafeRawPointer?>, dimension: Int, into out: UnsafeMutablePointer<Float>
    ) {
        switch self {
        case .cosine:
            engram_dot4(a, b, dimension, out)
            for k in 0..<4 { out[k] = 1 - out[k] }
        case .dot:
            engram_dot4(a, b, dimension, out)
            for k in 0..<4 { out[k] = -out[k] }
        case .l2: engram_l2sq4(a, b, dimension, out)
        }
    }

    /// The distance for an inner product (cosine and dot only).
    @inline(__always)
    func distance(innerProduct p: Float) -> Float {
        self == .cosine ? 1 - p : -p
    }

    /// The score reported for a distance.
    @inline(__always)
    func score(distance d: Float) -> Float {
        switch self {
        case .cosine: return 1 - d
        case .dot, .l2: return -d
        }
    }
}

/// The SIMD variant chosen for this CPU ("avx512", "avx2" or "scalar"), for logs and
/// benchmark reports.
public var vectorKernelVariant: String { String(cString: engram_kernel_variant()) }
