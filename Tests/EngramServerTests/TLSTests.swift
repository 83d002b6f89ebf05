import EngramClient
import EngramCore
import EngramServer
import Foundation
import NIOSSL
import Testing
import EngramTestSupport

@Suite("TLS")
struct TLSTests {
    /// A self-signed certificate for localhost/127.0.0.1 made by the openssl tool.
    static func makeCertificate(in dir: String) throws -> (cert: String, key: String) {
        let cert = dir + "/cert.pem"
        let key = dir + "/key.pem"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try launchSerially(p)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw EngramError(.internal, "openssl failed") }
        return (cert, key)
    }

    @Test func theSwiftClientSpeaksTLSAndChecksTheCertificate() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (cert, key) = try Self.makeCertificate(in: dir)
        let t = try await TestServer.start(directory: dir + "/data") {
            $0.tls = TLSFiles(certificatePath: cert, privateKeyPath: key)
        }
        var trusted = TLSConfiguration.makeClientConfiguration()
        trusted.trustRoots = .file(cert)
        let endpoint = EngramEndpoint(host: "localhost", port: t.server.port, tls: true)
        let client = try await EngramClient.connect(to: endpoint, tlsConfiguration: trusted)
        #expect(try await client.call("probe:echo", ["value": "secret"]) == "secret")
        await client.close()
        await #expect(throws: (any Error).self) { _ = try await EngramClient.connect(to: endpoint) }  // untrusted
        await t.stop()
    }
}
