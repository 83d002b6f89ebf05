import EngramCore

extension EngramError.Code {
    /// A vector is unusable: not numbers, NaN or infinite components, a zero vector
    /// under the cosine metric, empty, or longer than the index's maximum dimension.
    public static let invalidVector: Self = "INVALID_VECTOR"
}
