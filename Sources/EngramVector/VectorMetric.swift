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
