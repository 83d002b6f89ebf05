import EngramCore
import EngramText
import Testing

@Suite struct FusionTests {
    func id(_ n: UInt64) -> DocumentID {
        DocumentID(milliseconds: n, sequence: 0, collectionTag: 1, routing: 0, random: 0)
    }

    @Test func reciprocalRankFusion() throws {
        let vector = [ScoredID(id: id(1), score: 0.9), ScoredID(id: id(2), score: 0.8), ScoredID(id: id(3), score: 0.1)]
        let text = [ScoredID(id: id(3), score: 12), ScoredID(id: id(1), score: 7), ScoredID(id: id(4), score: 1)]
        let hits = try HybridFusion.reciprocalRank(k: 60).fuse(vector: vector, text: text)
        #expect(hits.map(\.id) == [id(1), id(3), id(2), id(4)])
        #expect(hits[0].score == 1.0 / 61 + 1.0 / 62)
        #expect(hits[0].vectorRank == 1 && hits[0].textRank == 2)
        #expect(hits[0].vectorScore == 0.9 && hits[0].textScore == 7)
        #expect(hits[2].textRank == nil && hits[2].textScore == nil && hits[2].vectorRank == 2)
        #expect(hits[3].vectorRank == nil && hits[3].score == 1.0 / 63)
        #expect(try HybridFusion.standard.fuse(vector: vector, text: text, limit: 2).map(\.id) == [id(1), id(3)])
    }

    @Test func weightedNormalisedScores() throws {
        let vector = [ScoredID(id: id(1), score: 0.9), ScoredID(id: id(2), score: 0.5), ScoredID(id: id(3), score: 0.1)]
        let text = [ScoredID(id: id(3), score: 10), ScoredID(id: id(2), score: 5), ScoredID(id: id(4), score: 0)]
        let hits = try HybridFusion.weighted(alpha: 0.25).fuse(vector: vector, text: text)
        // vector normalised: 1, 0.5, 0; text: 1, 0.5, 0.
        let byID = Dictionary(uniqueKeysWithValues: hits.map { ($0.id, $0.score) })
        #expect(byID[id(1)] == 0.25)
        #expect(byID[id(2)] == 0.25 * 0.5 + 0.75 * 0.5)
        #expect(byID[id(3)] == 0.75)
        #expect(byID[id(4)] == 0)
        #expect(hits.map(\.id) == [id(3), id(2), id(1), id(4)])
        // alpha 1 keeps the vector order; ties (id 3 and 4 both 0) newer id first.
        #expect(try HybridFusion.weighted(alpha: 1).fuse(vector: vector, text: text).map(\.id) == [id(1), id(2), id(4), id(3)])
    }

    @Test func edgeCasesAndErrors() throws {
        #expect(try HybridFusion.standard.fuse(vector: [], text: []).isEmpty)
        let one = [ScoredID(id: id(5), score: 3), ScoredID(id: id(6), score: 3), ScoredID(id: id(5), score: 1)]
        let hits = try HybridFusion.weighted(alpha: 0.5).fuse(vector: [], text: one)
        #expect(hits.map(\.id) == [id(6), id(5)])  // all equal → 1 each; tie → newer first; repeat ignored
        #expect(hits.allSatisfy { $0.score == 0.5 })
        #expect(hits[1].textRank == 1)
        #expect(throws: EngramError.self) { try HybridFusion.weighted(alpha: 1.5).fuse(vector: [], text: []) }
        #expect(throws: EngramError.self) { try HybridFusion.reciprocalRank(k: 0).fuse(vector: [], text: []) }
        #expect(throws: EngramError.self) { try HybridFusion.standard.fuse(vector: [ScoredID(id: id(1), score: .nan)], text: []) }
    }
}
