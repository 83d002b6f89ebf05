import EngramCore

/// The payload of a `hello` frame.
public struct HelloRequest: Sendable, Equatable {
    /// The API key, if the server requires one.
    public var apiKey: String?
    /// A free-form client name for logs.
    public var client: String?

    /// A hello.
    public init(apiKey: String? = nil, client: String? = nil) {
        self.apiKey = apiKey
        self.client = client
    }

    /// The wire map.
    public var value: Value {
        var m: ValueMap = [:]
        if let apiKey { m["apiKey"] = .string(apiKey) }
        if let client { m["client"] = .string(client) }
        return .map(m)
    }

    /// Parses a wire map. Throws `PROTOCOL_ERROR` for a wrong shape.
    public init(value: Value) throws {
        let m = try Wire.map(value, "hello")
        apiKey = try Wire.optionalString(m, "apiKey")
        client = try Wire.optionalString(m, "client")
    }
}

/// The payload of a `call` frame.
public struct CallRequest: Sendable, Equatable {
    /// The function's name, `module:function`.
    public var function: String
    /// Its arguments.
    public var args: ValueMap
    /// A deadline shorter than the server's, in milliseconds.
    public var timeoutMs: Int?

    /// A call.
    public init(function: String, args: ValueMap = [:], timeoutMs: Int? = nil) {
        self.function = function
        self.args = args
        self.timeoutMs = timeoutMs
    }

    /// The wire map.
    public var value: Value {
        var m: ValueMap = ["function": .string(function), "args": .map(args)]
        if let timeoutMs { m["timeoutMs"] = .int(Int64(timeoutMs)) }
        return .map(m)
    }

    /// Parses a wire map. Throws `PROTOCOL_ERROR` for a wrong shape.
    public init(value: Value) throws {
        let m = try Wire.map(value, "call")
        guard case .string(let f) = m["function"] else { throw Wire.shape("call needs a string 'function'") }
        function = f
        switch m["args"] {
        case nil, .null?: args = [:]
        case .map(let a)?: args = a
        default: throw Wire.shape("call 'args' must be a map")
        }
        timeoutMs = try Wire.optionalInt(m, "timeoutMs")
    }
}

/// The payload of a `query` frame.
public struct QueryRequest: Sendable, Equatable {
    /// Query-language text.
    public var text: String
    /// Named parameters (`$name`).
    public var params: ValueMap
    /// A deadline shorter than the server's, in milliseconds.
    public var timeoutMs: Int?

    /// A query.
    public init(text: String, params: ValueMap = [:], timeoutMs: Int? = nil) {
        self.text = text
        self.params = params
        self.timeoutMs = timeoutMs
    }

    /// The wire map.
    public var value: Value {
        var m: ValueMap = ["text": .string(text), "params": .map(params)]
        if let timeoutMs { m["timeoutMs"] = .int(Int64(timeoutMs)) }
        return .map(m)
    }

    /// Parses a wire map. Throws `PROTOCOL_ERROR` for a wrong shape.
    public init(value: Value) throws {
        let m = try Wire.map(value, "query")
        guard case .string(let t) = m["text"] else { throw Wire.shape("query needs a string 'text'") }
        text = t
        switch m["params"] {
        case nil, .null?: params = [:]
        case .map(let p)?: params = p
        default: throw Wire.shape("query 'params' must be a map")
        }
        timeoutMs = try Wire.optionalInt(m, "timeoutMs")
    }
}

/// The payload of `cursorNext` and `cursorClose` frames.
public struct CursorRequest: Sendable, Equatable {
    /// The cursor id a result handed out.
    public var cursor: Int64
    /// Most rows wanted in the next batch (`cursorNext` only).
    public var batchSize: Int?

    /// A cursor request.
    public init(cursor: Int64, batchSize: Int? = nil) {
        self.cursor = cursor
        self.batchSize = batchSize
    }

    /// The wire map.
    public var value: Value {
        var m: ValueMap = ["cursor": .int(cursor)]
        if let batchSize { m["batchSize"] = .int(Int64(batchSize)) }
        return .map(m)
    }

    /// Parses a wire map. Throws `PROTOCOL_ERROR` for a wrong shape.
    public init(value: Value) throws {
        let m = try Wire.map(value, "cursor request")
        guard case .int(let c) = m["cursor"] else { throw Wire.shape("a cursor request needs an integer 'cursor'") }
        cursor = c
        batchSize = try Wire.optionalInt(m, "batchSize")
    }
}

/// The payload of an `error` frame.
///
/// `data` is present exactly for application errors raised with a code (the hosted
/// backend's `ConvexError("CODE")`): it is then the code string. Platform errors
/// (validation, unknown function, limits, auth) carry no `data`.
public struct ErrorPayload: Error, Sendable, Equatable {
    /// The stable code.
    public var code: String
    /// The human message.
    public var message: String
    /// The application error's data payload (the code), or nil.
    public var data: Value?
    /// Structured context (a limit, a field), or nil.
    public var details: Value?

    /// An error payload.
    public init(code: String, message: String, data: Value? = nil, details: Value? = nil) {
        self.code = code
        self.message = message
        self.data = data
        self.details = details
    }

    /// A platform error's payload (no data).
    public init(_ error: EngramError) {
        self.init(code: error.code.rawValue, message: error.message, details: error.details)
    }

    /// The wire map.
    public var value: Value {
        var m: ValueMap = ["code": .string(code), "message": .string(message)]
        if let data { m["data"] = data }
        if let details { m["details"] = details }
        return .map(m)
    }

    /// Parses a wire map. Throws `PROTOCOL_ERROR` for a wrong shape.
    public init(value: Value) throws {
        let m = try Wire.map(value, "error")
        guard case .string(let c) = m["code"], case .string(let msg) = m["message"] else {
            throw Wire.shape("an error needs string 'code' and 'message'")
        }
        code = c
        message = msg
        data = m["data"]
        details = m["details"]
    }

    /// The error as an `EngramError` (code, message, details).
    public var error: EngramError { EngramError(EngramError.Code(rawValue: code), message, details: details) }
}

/// Shape checks shared by the message types.
enum Wire {
    static func shape(_ message: String) -> EngramError { EngramError(.protocolError, message) }

    static func map(_ value: Value, _ what: String) throws -> ValueMap {
        switch value {
        case .map(let m): return m
        case .null: return [:]
        default: throw shape("a \(what) payload must be a map")
        }
    }

    static func optionalString(_ m: ValueMap, _ key: String) throws -> String? {
        switch m[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw shape("'\(key)' must be a string")
        }
    }

    static func optionalInt(_ m: ValueMap, _ key: String) throws -> Int? {
        switch m[key] {
        case nil, .null?: return nil
        case .int(let i)?: return Int(i)
        case .double(let d)? where d == d.rounded() && abs(d) < 1e15: return Int(d)
        default: throw shape("'\(key)' must be an integer")
        }
    }
}
