import EngramCore

/// Where a server is and how to reach it, parsed from `engram://[key@]host[:port]`
/// (`engrams://` for TLS).
public struct EngramEndpoint: Sendable, Equatable {
    /// Host name or address.
    public var host: String
    /// Port (default 7717).
    public var port: Int
    /// The API key, if any.
    public var apiKey: String?
    /// Whether to use TLS.
    public var tls: Bool

    /// The default port of `engram serve`.
    public static let defaultPort = 7717

    /// An endpoint.
    public init(host: String = "127.0.0.1", port: Int = EngramEndpoint.defaultPort, apiKey: String? = nil, tls: Bool = false) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.tls = tls
    }

    /// Parses `engram://[key@]host[:port][/]` or `engrams://…`.
    ///
    /// - Throws: `INVALID_ARGUMENT` for another scheme, an empty host or a bad port.
    public init(url: String) throws {
        let tls: Bool
        var rest: Substring
        if url.hasPrefix("engram://") {
            tls = false
            rest = url.dropFirst("engram://".count)
        } else if url.hasPrefix("engrams://") {
            tls = true
            rest = url.dropFirst("engrams://".count)
        } else {
            throw EngramError(.invalidArgument, "'\(url)' is not an engram:// or engrams:// URL")
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        var key: String?
        if let at = rest.lastIndex(of: "@") {
            key = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        var host = String(rest)
        var port = EngramEndpoint.defaultPort
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {  // [::1]:port
            let inner = String(host[host.index(after: host.startIndex)..<close])
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw EngramError(.invalidArgument, "bad port in '\(url)'")
                }
                port = p
            }
            host = inner
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else {
                throw EngramError(.invalidArgument, "bad port in '\(url)'")
            }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw EngramError(.invalidArgument, "no host in '\(url)'") }
        self.init(host: host, port: port, apiKey: key.flatMap { $0.isEmpty ? nil : $0 }, tls: tls)
    }
}
