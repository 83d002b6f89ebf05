/// The best `k` (distance, id) pairs seen so far; ties go to the smaller id, so results
/// are deterministic and, ids being time-ordered, older documents win ties.
struct TopResults {
    private(set) var items: [(distance: Float, id: RawDocumentID)] = []
    let k: Int

    init(k: Int) {
        self.k = k
        items.reserveCapacity(k + 1)
    }

    /// The distance a newcomer must beat once the set is full.
    var worst: Float { items.count < k ? .infinity : items[items.count - 1].distance }

    @inline(__always)
    private static func before(_ a: (distance: Float, id: RawDocumentID), _ b: (distance: Float, id: RawDocumentID)) -> Bool {
        a.distance != b.distance ? a.distance < b.distance : a.id < b.id
    }

    /// Offers a pair; kept when it ranks among the best `k`.
    mutating func offer(_ distance: Float, _ id: RawDocumentID) {
        guard k > 0, distance <= worst else { return }
        let item = (distance: distance, id: id)
        var i = items.count
        while i > 0 && Self.before(item, items[i - 1]) { i -= 1 }
        guard i < k else { return }
        items.insert(item, at: i)
        if items.count > k { items.removeLast() }
    }

    /// Merges another set in.
    mutating func merge(_ other: TopResults) {
        for item in other.items { offer(item.distance, item.id) }
    }
}
