import Foundation
import Testing

@testable import Curl

/// The client-credentials grant against the loopback token endpoint (`Tests/Integration/token_server.py`).
@Suite("OAuth2 client credentials against the test token endpoint", .serialized)
struct OAuth2ClientCredentialsTests {
    private func grant(_ server: TestServer, secret: String = "app-s3cret") throws -> OAuth2ClientCredentials {
        try OAuth2ClientCredentials(
            tokenURL: server.url("/token"), clientID: "digest-app", clientSecret: secret,
            scope: "https://outlook.office365.com/.default", timeout: .seconds(10), retries: 0)
    }

    @Test func aTokenIsKeptWhileItLasts() async throws {
        let server = try TestServer(script: "token_server.py")
        defer { server.stop() }
        let grant = try grant(server)
        async let first = grant.token()
        async let second = grant.token()
        let tokens = try await [first, second, grant.token()]
        #expect(tokens == ["tok-1", "tok-1", "tok-1"])
        #expect(await grant.requestCount == 1)
    }

    @Test func aShortLivedTokenIsRenewed() async throws {
        let server = try TestServer(script: "token_server.py", arguments: ["--expires-in", "1"])
        defer { server.stop() }
        let grant = try grant(server)
        let first = try await grant.token()
        try await Task.sleep(for: .milliseconds(950))  // past the 0.9 s it is used for, whatever the load
        let second = try await grant.token()
        #expect(first == "tok-1" && second == "tok-2")
    }

    @Test func aWrongSecretGivesTheEndpointsErrorAndNotTheSecret() async throws {
        let server = try TestServer(script: "token_server.py")
        defer { server.stop() }
        let grant = try grant(server, secret: "not-the-s3cret")
        let error = await #expect(throws: OAuth2Error.self) { try await grant.token() }
        #expect(
            error?.reason
                == "the OAuth2 token endpoint http://127.0.0.1:\(server.port)/token refused the request: HTTP 401, "
                + #"invalid_client: "AADSTS7000215: Invalid client secret provided.""#)
        #expect(error?.code == "invalid_client")
    }

    @Test func anEndpointThatIsDownCannotBeReached() async throws {
        let server = try TestServer(script: "token_server.py")
        let url = server.url("/token")
        server.stop()
        let grant = try OAuth2ClientCredentials(
            tokenURL: url, clientID: "digest-app", clientSecret: "x", scope: nil, timeout: .seconds(5), retries: 0)
        let error = await #expect(throws: OAuth2Error.self) { try await grant.token() }
        #expect(
            error?.reason.hasPrefix(
                "the OAuth2 token endpoint \(url.absoluteString) could not be reached: connection failed: ") == true)
    }
}
