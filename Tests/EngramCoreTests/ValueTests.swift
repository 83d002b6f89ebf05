import EngramCore
import Testing

@Suite struct ValueTests {
    @Test func numbersCompareAndHashAcrossIntAndDouble() {
        #expect(Value.int(5) == .double(5.0))
        #expect(Value.int(5).hashValue == Value.double(5.0).hashValue)
        #expect(Value.int(9_007_199_254_740_993) != .double(9_007_199_254_740_992))
        #expect(Value.int(9_007_199_254_740_993) > .double(9_007_199_254_740_992))
        #expect(Value.double(-0.0) == .int(0))
        #expect(Value.double(.nan) == .double(.nan))
        #expect(Value.double(.nan) > .double(.infinity))
    }

    @Test func crossTypeOrder() {
        let ordered: [Value] = [.null, .int(-5), .double(2.5), false, true, "", "a", .bytes([]), [], [:], .vector([])]
        for (a, b) in zip(ordered, ordered.dropFirst()) { #expect(a < b, "\(a) < \(b)") }
    }

    @Test func fieldPathsStepThroughMapsAndArrays() throws {
        let doc: Value = ["p": [["id": 1], ["id": 2], ["x": 3]], "o": ["a": ["b": "c"]], "tags": ["t1", "t2"]]
        #expect(doc.lookup("o.a.b") == "c")
        #expect(doc.lookup("p.id") == nil)
        #expect(doc.lookupAll("p.id") == [1, 2])
        #expect(doc.lookupAll("tags") == ["t1", "t2"])
        #expect(try doc.setting("o.a.z", to: 1).lookup("o.a.z") == 1)
        #expect(doc.removing("o.a.b").lookup("o.a") == [:])
        #expect(throws: EngramError.self) { try doc.setting("tags.x", to: 1) }
        #expect(throws: EngramError.self) { try FieldPath(parsing: "a..b") }
    }
}

@Suite struct DocumentIDTests {
    @Test func textRoundTripsAndOrderMatchesBytesAndTime() throws {
        let gen = DocumentIDGenerator()
        var ids = (0..<200).map { i in gen.make(milliseconds: 1_700_000_000_000 + UInt64(i / 3), collectionTag: 7, routing: .random(in: .min ... .max)) }
        #expect(try ids.map { try DocumentID($0.description) } == ids)
        #expect(ids.map(\.description) == ids.map(\.description).sorted())
        #expect(ids == ids.sorted())
        ids.shuffle()
        #expect(ids.sorted().map(\.milliseconds) == ids.map(\.milliseconds).sorted())
        let id = ids[0]
        #expect(id.collectionTag == 7)
        #expect(id.description.count == 26)
    }

    @Test(arguments: ["", "short", "0000000000000000000000000!", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "00000000000000000000000000a"])
    func rejectsMalformedText(text: String) {
        #expect(throws: EngramError.self) { try DocumentID(text) }
    }
}

@Suite struct StableHashTests {
    @Test func jumpHashIsStableAndMovesFewKeys() {
        // Fixed inputs give fixed outputs (routing must never change between builds).
        #expect(StableHash.hash64(Array("memorySpaceId".utf8)) == StableHash.hash64(Array("memorySpaceId".utf8)))
        var moved = 0
        for k in 0..<10_000 {
            let key = StableHash.mix64(UInt64(k))
            let a = StableHash.jumpConsistent(key, buckets: 8), b = StableHash.jumpConsistent(key, buckets: 9)
            #expect(a < 8 && b < 9)
            if a != b { moved += 1; #expect(b == 8) }
        }
        #expect(moved > 700 && moved < 1600)  // about 1/9 of the keys move, all to the new bucket
    }

    @Test func base64URLRoundTrips() {
        for n in 0..<40 {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.decode("a") == nil)
        #expect(Base64URL.decode("a*") == nil)
    }
}
