import EngramCore
import EngramProtocol
import NIOCore
import NIOEmbedded
import Testing

@Suite("Protocol")
struct ProtocolTests {
    @Test func versionNegotiationPicksTheHighestCommonVersion() {
        #expect(ProtocolVersion.negotiate(clientMin: 1, clientMax: 1) == 1)
        #expect(ProtocolVersion.negotiate(clientMin: 1, clientMax: 9) == ProtocolVersion.maximum)
        #expect(ProtocolVersion.negotiate(clientMin: 2, clientMax: 9) == nil)
        #expect(ProtocolVersion.negotiate(clientMin: 0, clientMax: 0) == nil)
    }

    @Test func headerLayoutIsBigEndianLengthTypeFlagsID() {
        var b = ByteBufferAllocator().buffer(capacity: 16)
        Frame(type: .call, requestID: 0x0102_0304, payload: ByteBuffer(bytes: [0xAA, 0xBB])).write(to: &b)
        #expect(Array(b.readableBytesView) == [0, 0, 0, 2, 0x03, 0, 1, 2, 3, 4, 0xAA, 0xBB])
        var p = ByteBufferAllocator().buffer(capacity: 8)
        Preamble(1, 3).write(to: &p)
        #expect(Array(p.readableBytesView) == [0x45, 0x4E, 0x47, 0x52, 0, 1, 0, 3])
    }

    @Test func decoderSplitsAByteStreamFedOneByteAtATime() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxPayloadBytes: 1024)))
        var stream = ByteBufferAllocator().buffer(capacity: 64)
        Preamble(1, 1).write(to: &stream)
        Frame.write(type: .call, requestID: 7, value: CallRequest(function: "a:b", args: ["x": 1]).value, to: &stream)
        Frame(type: .ping, requestID: 8, payload: ByteBuffer()).write(to: &stream)
        for byte in stream.readableBytesView {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        guard case .preamble(let p)? = try channel.readInbound(as: ProtocolMessage.self) else {
            Issue.record("no preamble")
            return
        }
        #expect(p == Preamble(1, 1))
        guard case .frame(let call)? = try channel.readInbound(as: ProtocolMessage.self),
            case .frame(let ping)? = try channel.readInbound(as: ProtocolMessage.self)
        else {
            Issue.record("missing frames")
            return
        }
        #expect(call.type == .call && call.requestID == 7)
        #expect(try CallRequest(value: call.decodePayload()) == CallRequest(function: "a:b", args: ["x": 1]))
        #expect(ping.type == .ping && ping.requestID == 8 && ping.payload.readableBytes == 0)
        #expect(try channel.readInbound(as: ProtocolMessage.self) == nil)
    }

    @Test func decoderRejectsBadMagicAndOversizeFrames() throws {
        let bad = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxPayloadBytes: 1024)))
        #expect(throws: EngramError.self) { try bad.writeInbound(ByteBuffer(bytes: Array("GET ".utf8))) }

        let big = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxPayloadBytes: 16, expectPreamble: false)))
        var b = ByteBufferAllocator().buffer(capacity: 16)
        Frame.writeHeader(type: FrameType.call.rawValue, requestID: 1, payloadLength: 17, to: &b)
        do {
            try big.writeInbound(b)
            Issue.record("an oversize frame was accepted")
        } catch let e as EngramError {
            #expect(e.code == .frameTooLarge)
        }
    }

    @Test func messagesRoundTripAndRejectWrongShapes() throws {
        let call = CallRequest(function: "memories:search", args: ["v": .vector([1, 2])], timeoutMs: 50)
        #expect(try CallRequest(value: call.value) == call)
        let query = QueryRequest(text: "SELECT 1", params: ["a": "b"])
        #expect(try QueryRequest(value: query.value) == query)
        let cursor = CursorRequest(cursor: 9, batchSize: 100)
        #expect(try CursorRequest(value: cursor.value) == cursor)
        let hello = HelloRequest(apiKey: "k", client: "c")
        #expect(try HelloRequest(value: hello.value) == hello)
        let error = ErrorPayload(code: "X_GONE", message: "gone", data: "X_GONE", details: ["n": 1])
        #expect(try ErrorPayload(value: error.value) == error)
        #expect(ErrorPayload(EngramError(.invalidArgument, "bad")).value["data"] == nil)

        for wrong: Value in [.int(3), ["function": 3], ["function": "a:b", "args": [1]], ["function": "a:b", "timeoutMs": "x"]] {
            #expect(throws: EngramError.self) { try CallRequest(value: wrong) }
        }
        #expect(throws: EngramError.self) { try CursorRequest(value: ["cursor": "x"]) }
        #expect(throws: EngramError.self) { try ErrorPayload(value: ["code": 1]) }
    }

    @Test func malformedPayloadsThrowMalformedMessagePack() {
        let f = Frame(type: .call, requestID: 1, payload: ByteBuffer(bytes: [0x92, 0x01]))
        #expect(throws: EngramError.self) { try f.decodePayload() }
        #expect((try? Frame(type: .ping, requestID: 1, payload: ByteBuffer()).decodePayload()) == .null)
    }
}
