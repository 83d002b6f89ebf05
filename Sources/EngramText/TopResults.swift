import EngramCore
import EngramStorage

/// One scored document on its way to the results.
struct Candidate {
    var score: Double
    var id: DocumentID
    /// The shard the document lives in.
    var shard: Int
    /// The document, when it was already read (to check a filter).
    var document: Document?

    /// Result order: higher score first; equal scores, newer (higher id) first.
    func ranks(before other: Candidate) -> Bool {
        score > other.score || (score == other.score && other.id < id)
    }
}

/// The best `capacity` candidates seen so far (a binary heap whose root is the worst
/// kept), and the threshold a new candidate must reach.
struct TopResults {
    let capacity: Int
    private var heap: [Candidate] = []

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(min(capacity, 1024))
    }

    /// The score a document must reach (ties decided by id) once the heap is full;
    /// nil before, when every candidate enters.
    var threshold: Double? { heap.count == capacity ? heap[0].score : nil }

    /// Whether a candidate with `score` may enter (true on a tie: the id decides).
    @inline(__always)
    func mayEnter(_ score: Double) -> Bool {
        heap.count < capacity || score >= heap[0].score
    }

    /// Whether a candidate with `score` and `id` enters.
    func enters(_ score: Double, _ id: DocumentID) -> Bool {
        guard heap.count == capacity else { return true }
        return Candidate(score: score, id: id, shard: 0, document: nil).ranks(before: heap[0])
    }

    /// Adds a candidate that ``enters(_:_:)``.
    mutating func insert(_ c: Candidate) {
        if heap.count < capacity {
            heap.append(c)
            siftUp(heap.count - 1)
        } else {
            heap[0] = c
            siftDown(0)
        }
    }

    /// The kept candidates in result order.
    func sorted() -> [Candidate] {
        heap.sorted { $0.ranks(before: $1) }
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[parent].ranks(before: heap[i]) else { return }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < heap.count, heap[worst].ranks(before: heap[l]) { worst = l }
            if r < heap.count, heap[worst].ranks(before: heap[r]) { worst = r }
            if worst == i { return }
            heap.swapAt(i, worst)
            i = worst
        }
    }
}
