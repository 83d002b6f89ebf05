import EngramCore
import Testing

@Suite struct MessagePackRoundTripTests {
    @Test func scalarsRoundTrip() throws {
        let values: [Value] = [.null, true, false, 0, 1, -1, "", "héllo", .double(1.5), .bytes([0, 255]), .vector([1, -2.5])]
        for v in values {
            #expect(try MessagePack.decode(MessagePack.encode(v)) == v)
        }
    }
}
