import EngramCore

/// A vector checked and put in the form an index stores: float32, and normalised
/// under the cosine metric.
struct PreparedVector: Equatable {
    /// The components as stored (unit length under cosine, unless all zero).
    var components: [Float]

    var dimension: Int { components.count }

    /// Why a value cannot be indexed.
    enum Problem: Error, Equatable {
        case notAVector, empty, tooLong(Int), notFinite, zero

        var message: String {
            switch self {
            case .notAVector: return "is not a vector or an array of numbers"
            case .empty: return "is empty"
            case .tooLong(let max): return "has more than \(max) dimensions"
            case .notFinite: return "has a NaN or infinite component"
            case .zero: return "is all zeros, which has no direction under the cosine metric"
            }
        }
    }

    /// The vector at a document field: nil when the field is absent or null.
    ///
    /// - Parameter allowZero: accept a zero vector under cosine (it then scores 0 with
    ///   every query).
    static func from(_ value: Value?, metric: VectorMetric, maxDimension: Int, allowZero: Bool) throws(Problem) -> PreparedVector? {
        let floats: [Float]
        switch value {
        case nil, .null?: return nil
        case .vector(let v)?: floats = v
        case .array(let items)?:
            var out = [Float]()
            out.reserveCapacity(items.count)
            for item in items {
                guard let d = item.doubleValue else { throw .notAVector }
                out.append(Float(d))
            }
            floats = out
        default: throw .notAVector
        }
        return try prepare(floats, metric: metric, maxDimension: maxDimension, allowZero: allowZero)
    }

    /// Checks and normalises raw components.
    static func prepare(_ floats: [Float], metric: VectorMetric, maxDimension: Int, allowZero: Bool) throws(Problem) -> PreparedVector {
        guard !floats.isEmpty else { throw .empty }
        guard floats.count <= maxDimension else { throw .tooLong(maxDimension) }
        var sumOfSquares: Double = 0
        for f in floats {
            guard f.isFinite else { throw .notFinite }
            sumOfSquares += Double(f) * Double(f)
        }
        guard metric == .cosine else { return PreparedVector(components: floats) }
        guard sumOfSquares > 0 else {
            if allowZero { return PreparedVector(components: floats) }
            throw .zero
        }
        let scale = Float(1 / sumOfSquares.squareRoot())
        return PreparedVector(components: floats.map { $0 * scale })
    }
}
