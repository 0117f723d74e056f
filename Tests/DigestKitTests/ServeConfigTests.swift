import Foundation
import Testing

@testable import DigestKit

@Suite("digest.yaml: serve")
struct ServeConfigTests {
    let minimal = """
        newsletter:
          title: "Företagsfrämjarna i Dalarna"
          from: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
        sources: []

        """

    func load(_ serve: String) throws -> DigestConfig {
        let folder = try TestSupport.temporaryFolder()
        return try DigestConfig.load(from: try TestSupport.write(minimal + serve, to: "digest.yaml", in: folder))
    }

    @Test("without a serve section: no trusted proxy, 10 s headers, 20 s body, 60 s idle, 512 connections")
    func defaults() throws {
        let serve = try load("").serve
        #expect(serve.trustedProxies.isEmpty)
        #expect(serve.headerTimeoutSeconds == 10 && serve.bodyTimeoutSeconds == 20 && serve.idleTimeoutSeconds == 60)
        #expect(serve.maxConnections == 512)
    }

    @Test("every key is read, one proxy or a list of them")
    func keys() throws {
        let serve = try load(
            """
            serve:
              trustedProxies: [10.0.0.0/8, "2001:db8::/32", 127.0.0.1]
              headerTimeoutSeconds: 5
              bodyTimeoutSeconds: 15
              idleTimeoutSeconds: 30
              maxConnections: 100

            """
        ).serve
        #expect(serve.trustedProxies.map(\.description) == ["10.0.0.0/8", "2001:db8::/32", "127.0.0.1/32"])
        #expect(serve.headerTimeoutSeconds == 5 && serve.bodyTimeoutSeconds == 15 && serve.idleTimeoutSeconds == 30)
        #expect(serve.maxConnections == 100)
        #expect(try load("serve:\n  trustedProxies: 192.0.2.0/24\n").serve.trustedProxies.count == 1)
    }

    @Test("a bad value is an error at its place that says what to write")
    func errors() throws {
        let cases: [(String, Int, Int, String)] = [
            (
                "serve:\n  trustedProxies: [10.0.0.0/8, 10.0.0.1/8]\n", 6, 32,
                "'10.0.0.1/8' has bits set after its prefix; did you mean 10.0.0.0/8?"
            ),
            (
                "serve:\n  trustedProxies: [proxy.example.se]\n", 6, 20,
                "'proxy.example.se' is not an IP address or range; write one like 10.0.0.0/8, 192.0.2.10 or "
                    + "2001:db8::/32."
            ),
            ("serve:\n  idleTimeoutSeconds: 0\n", 6, 23, "idleTimeoutSeconds must be between 1 and 3600."),
            ("serve:\n  maxConnections: -1\n", 6, 19, "maxConnections must be between 1 and 100000."),
            (
                "serve:\n  trustedProxy: 10.0.0.0/8\n", 6, 3,
                "unknown key 'trustedProxy'. Did you mean 'trustedProxies'?"
            ),
        ]
        for (text, line, column, message) in cases {
            let error = #expect(throws: DiagnosticList.self) { try load(text) }
            let diagnostic = try #require(error?.diagnostics.first)
            #expect(diagnostic.message == message)
            #expect(diagnostic.line == line && diagnostic.column == column, "\(diagnostic)")
        }
    }
}
