import CCurl
import Foundation
import Testing

@testable import Curl

/// What a test server's `/echo` route saw (see Tests/Integration/README.md).
private struct Seen: Decodable {
    var method: String
    var path: String
    var query: [String: [String]]
    var headers: [[String]]
    var body: String
    var form: [[String]]?

    /// Every value of the header `name` (lower case), in arrival order.
    func values(_ name: String) -> [String] {
        headers.filter { $0.first == name }.map { $0.count > 1 ? $0[1] : "" }
    }
}

private let apiKey = HTTPHeader(name: "X-Api-Key", value: "k-123")

/// Two loopback servers: 127.0.0.1 on two ports, so two origins.
@Suite("Redirects of requests with the caller's headers")
struct HTTPRedirectTests {
    let first: TestServer
    let second: TestServer
    let fetcher = HTTPFetcher(maxConcurrent: 4, retries: 0)

    init() throws {
        first = try TestServer(script: "http_server.py")
        second = try TestServer(script: "http_server.py")
    }

    private func stop() {
        first.stop()
        second.stop()
    }

    /// `/redirect-to?url=<target>&status=<status>` on `server`.
    private func redirect(on server: TestServer, to target: String, status: Int = 302, body: Int = 0) -> URL {
        let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? target
        return server.url("/redirect-to?url=\(encoded)&status=\(status)" + (body > 0 ? "&body=\(body)" : ""))
    }

    private func echo(_ request: FetchRequest) async throws -> (Seen, FetchResponse) {
        let response = try await fetcher.fetch(request)
        return (try JSONDecoder().decode(Seen.self, from: response.body), response)
    }

    private func hits(_ server: TestServer, _ path: String) async throws -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/hits?path=\(encoded)")))
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test(arguments: [301, 302, 303, 307, 308])
    func redirectToAnotherOriginDropsTheCallersHeaders(status: Int) async throws {
        defer { stop() }
        let target = second.url("/echo?case=cross").absoluteString
        let request = FetchRequest(
            url: redirect(on: first, to: target, status: status), userAgent: "digest-test/redirect",
            headers: [apiKey, HTTPHeader(name: "Accept", value: "application/json")])
        let (seen, response) = try await echo(request)
        #expect(seen.method == "GET")
        #expect(seen.query == ["case": ["cross"]])
        #expect(seen.values("x-api-key").isEmpty)
        #expect(seen.values("accept") == ["*/*"])
        // libcurl's own headers are not the caller's: they go along.
        #expect(seen.values("user-agent") == ["digest-test/redirect"])
        #expect(seen.values("accept-encoding").count == 1)
        #expect(response.finalURL == second.url("/echo?case=cross"))
        #expect(response.status == 200)
    }

    @Test func redirectWithinTheOriginKeepsThem() async throws {
        defer { stop() }
        for target in ["/echo?case=relative", first.url("/echo?case=absolute").absoluteString] {
            let request = FetchRequest(
                url: redirect(on: first, to: target),
                headers: [apiKey, HTTPHeader(name: "Accept", value: "application/json")])
            let (seen, response) = try await echo(request)
            #expect(seen.values("x-api-key") == ["k-123"])
            #expect(seen.values("accept") == ["application/json"])
            #expect(response.finalURL.path == "/echo")
            #expect(response.finalURL.port == first.port)
        }
    }

    @Test func aChainThatLeavesTheOriginNeverSendsThemAgain() async throws {
        defer { stop() }
        // first → second → first/echo: the way back is decided by the second server, so the key stays dropped.
        let back = first.url("/echo?case=back").absoluteString
        let request = FetchRequest(
            url: redirect(on: first, to: redirect(on: second, to: back).absoluteString), headers: [apiKey])
        let (seen, response) = try await echo(request)
        #expect(seen.query == ["case": ["back"]])
        #expect(seen.values("x-api-key").isEmpty)
        #expect(response.finalURL == first.url("/echo?case=back"))
    }

    @Test(arguments: [307, 308])
    func postRedirectedWithinTheOriginKeepsMethodBodyAndHeaders(status: Int) async throws {
        defer { stop() }
        let form = FetchRequest(
            url: redirect(on: first, to: "/echo?case=form", status: status), method: .post, headers: [apiKey],
            body: .form([(name: "a", value: "1"), (name: "b", value: "å & ö")]))
        let (seen, response) = try await echo(form)
        #expect(seen.method == "POST")
        #expect(seen.form == [["a", "1"], ["b", "å & ö"]])
        #expect(seen.values("x-api-key") == ["k-123"])
        #expect(seen.values("expect").isEmpty)
        #expect(response.finalURL == first.url("/echo?case=form"))
        // A multipart body is sent again too.
        let multipart = FetchRequest(
            url: redirect(on: first, to: "/echo?case=multipart", status: status), method: .post, headers: [apiKey],
            body: .multipart([MultipartPart(name: "q", contentType: "application/json", content: Data("{}".utf8))]))
        let (again, _) = try await echo(multipart)
        #expect(again.method == "POST")
        #expect(again.body.contains("{}"))
        #expect(again.values("content-type").first?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect(again.values("x-api-key") == ["k-123"])
    }

    @Test func postRedirectedWith307ElsewhereKeepsTheBodyAndItsTypeButNotTheKey() async throws {
        defer { stop() }
        let json = #"{"query":"horizon"}"#
        let request = FetchRequest(
            url: redirect(on: first, to: second.url("/echo?case=json").absoluteString, status: 307), method: .post,
            headers: [apiKey, HTTPHeader(name: "Content-Type", value: "application/json")],
            body: .raw(Data(json.utf8), contentType: nil))
        let (seen, _) = try await echo(request)
        #expect(seen.method == "POST")
        #expect(seen.body == json)
        #expect(seen.values("content-type") == ["application/json"])
        #expect(seen.values("x-api-key").isEmpty)
        #expect(seen.values("expect").isEmpty)
    }

    @Test(arguments: [301, 302, 303])
    func postRedirectedWith301To303BecomesAGetWithoutTheBody(status: Int) async throws {
        defer { stop() }
        let request = FetchRequest(
            url: redirect(on: first, to: "/echo?case=get", status: status), etag: "\"feed-v1\"", method: .post,
            headers: [apiKey, HTTPHeader(name: "Content-Type", value: "application/json")],
            body: .raw(Data("{}".utf8), contentType: nil))
        let (seen, response) = try await echo(request)
        #expect(seen.method == "GET")
        #expect(seen.body.isEmpty)
        #expect(seen.values("content-type").isEmpty)
        #expect(seen.values("content-length").isEmpty)
        #expect(seen.values("if-none-match").isEmpty)
        #expect(seen.values("x-api-key") == ["k-123"])
        #expect(response.finalURL == first.url("/echo?case=get"))
        // A multipart body is left behind too.
        let multipart = FetchRequest(
            url: redirect(on: first, to: "/echo?case=multipart", status: status), method: .post, headers: [apiKey],
            body: .multipart([MultipartPart(name: "q", content: Data("x".utf8))]))
        let (dropped, _) = try await echo(multipart)
        #expect(dropped.method == "GET")
        #expect(dropped.body.isEmpty)
        #expect(dropped.values("content-type").isEmpty)
        // The existing 303 route behaves the same with headers.
        let seeOther = FetchRequest(
            url: first.url("/see-other"), method: .post, headers: [apiKey], body: .form([(name: "a", value: "1")]))
        let (other, _) = try await echo(seeOther)
        #expect(other.method == "GET")
        #expect(other.query == ["from": ["see-other"]])
        #expect(other.values("x-api-key") == ["k-123"])
    }

    @Test func redirectLoopWithHeadersFailsWithTheUsualError() async throws {
        defer { stop() }
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: first.url("/loop"), maxRedirects: 3, headers: [apiKey]))
        }
        #expect(error?.curlCode == 47)
        #expect(error?.reason == "more than 3 redirects")
        #expect(error?.isTransient == false)
        #expect(error?.attempts == 1)
        #expect(error?.url == first.url("/loop"))
        // The first request and three redirects, as libcurl's CURLOPT_MAXREDIRS would have it.
        #expect(try await hits(first, "/loop") == "4")
        let none = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(
                FetchRequest(url: redirect(on: first, to: "/echo"), maxRedirects: 0, headers: [apiKey]))
        }
        #expect(none?.curlCode == 47)
        #expect(none?.reason == "more than 0 redirects")
    }

    @Test func redirectToAFileWithHeadersIsRefused() async throws {
        defer { stop() }
        for url in [first.url("/to-file"), redirect(on: first, to: "ftp://127.0.0.1/x")] {
            let error = await #expect(throws: FetchError.self) {
                try await fetcher.fetch(FetchRequest(url: url, headers: [apiKey]))
            }
            #expect(error?.curlCode == 1)
            #expect(error?.isTransient == false)
            #expect(error?.reason.hasPrefix("unsupported or disallowed protocol") == true)
        }
    }

    @Test func theTotalTimeoutCoversTheWholeChain() async throws {
        defer { stop() }
        let error = await #expect(throws: FetchError.self) {
            let request = FetchRequest(
                url: redirect(on: first, to: "/slow?seconds=30"), timeout: FetchTimeout(total: .seconds(1)),
                headers: [apiKey])
            return try await fetcher.fetch(request)
        }
        #expect(error?.curlCode == 28)
        #expect(error?.reason == "timed out after 1 s")
        #expect(error?.isTransient == true)
        // A 200 would come after 30 s: the timeout (28) proves the chain's 1 s limit fired (no clock: a busy test run
        // can hold up the task's resumption).
    }

    @Test func redirectBodiesAreNotCountedAgainstTheCap() async throws {
        defer { stop() }
        let plain = try await fetcher.fetch(FetchRequest(url: first.url("/feed.xml")))
        let request = FetchRequest(
            url: redirect(on: first, to: "/feed.xml", body: 8192), maxBytes: 4096, headers: [apiKey])
        let response = try await fetcher.fetch(request)
        #expect(response.body == plain.body)
        #expect(response.etag == "\"feed-v1\"")
        #expect(response.finalURL == first.url("/feed.xml"))
    }

    @Test func requestsWithoutHeadersFollowTheSameWay() async throws {
        defer { stop() }
        let (seen, response) = try await echo(
            FetchRequest(url: redirect(on: first, to: second.url("/echo?case=plain").absoluteString)))
        #expect(seen.method == "GET")
        #expect(response.finalURL == second.url("/echo?case=plain"))
        // Conditional GETs keep their validators along a redirect.
        let conditional = try await fetcher.fetch(
            FetchRequest(
                url: redirect(on: first, to: second.url("/feed.xml").absoluteString), etag: "\"feed-v1\"",
                headers: [apiKey]))
        #expect(conditional.notModified)
        #expect(conditional.finalURL == second.url("/feed.xml"))
    }
}

@Suite("Origins and redirect chains without a server")
struct RedirectChainTests {
    private func origin(_ text: String) throws -> URLOrigin {
        try CurlURL(text, flags: CurlURL.redirectFlags).origin
    }

    @Test func originsCompareSchemeHostAndPort() throws {
        #expect(try origin("http://127.0.0.1/a") == origin("http://127.0.0.1:80/b?c"))
        #expect(try origin("HTTPS://API.Example.org/") == origin("https://api.example.org:443/x"))
        #expect(try origin("https://user:pw@api.example.org/") == origin("https://api.example.org/"))
        #expect(try origin("https://api.example.org/") != origin("http://api.example.org/"))
        #expect(try origin("https://api.example.org:8443/") != origin("https://api.example.org/"))
        #expect(try origin("https://api.example.org/") != origin("https://example.org/"))
        #expect(try origin("http://[::1]:8080/") == URLOrigin(scheme: "http", host: "[::1]", port: 8080))
        #expect(try origin("https://h/").description == "https://h:443")
    }

    @Test func redirectTargetsAreEncodedAsLibcurlFollowsThem() throws {
        #expect(try CurlURL("http://h/a b?c d", flags: CurlURL.redirectFlags).text == "http://h/a%20b?c+d")
        #expect(try CurlURL("http://h/ö", flags: CurlURL.redirectFlags).text == "http://h/%c3%b6")
        #expect(throws: CurlURL.Failure.self) { try CurlURL("/relative", flags: CurlURL.redirectFlags) }
    }

    @Test(arguments: [
        (301, HTTPMethod.post, HTTPMethod.get), (302, .post, .get), (303, .post, .get), (307, .post, .post),
        (308, .post, .post), (300, .post, .post), (301, .get, .get), (303, .get, .get), (307, .get, .get),
    ])
    func methodsChangeAsLibcurlChangesThem(status: Int, method: HTTPMethod, after: HTTPMethod) {
        #expect(RedirectChain.method(after: status, of: method) == after)
    }

    @Test func onlyRedirectStatusesAreFollowed() {
        #expect(RedirectChain.isRedirect(301))
        #expect(RedirectChain.isRedirect(308))
        #expect(!RedirectChain.isRedirect(304))
        #expect(!RedirectChain.isRedirect(200))
        #expect(!RedirectChain.isRedirect(400))
    }

    @Test func headersStayOnTheFirstOrigin() throws {
        let request = FetchRequest(
            url: URL(string: "https://api.example.org/search")!, etag: "\"e\"",
            headers: [HTTPHeader(name: "X-Api-Key", value: "k"), HTTPHeader(name: "Accept", value: "a/b")])
        var chain = RedirectChain(request)
        #expect(chain.headerLines == HTTPTransfer.headerLines(for: request))
        try chain.follow(301, to: "https://API.example.org:443/moved")
        #expect(chain.headerLines == ["If-None-Match: \"e\"", "X-Api-Key: k", "Accept: a/b"])
        #expect(chain.onFirstOrigin)
        // https → http on the same host is another origin: no headers, for the rest of the chain.
        try chain.follow(302, to: "http://api.example.org/plain")
        #expect(chain.headerLines == ["If-None-Match: \"e\""])
        #expect(!chain.onFirstOrigin)
        try chain.follow(302, to: "https://api.example.org/search")
        #expect(chain.headers.isEmpty)
        #expect(chain.url == "https://api.example.org/search")
        #expect(chain.redirects == 3)
    }

    @Test func anotherPortIsAnotherOrigin() throws {
        var chain = RedirectChain(
            FetchRequest(
                url: URL(string: "http://127.0.0.1:8080/")!, headers: [HTTPHeader(name: "X-Api-Key", value: "k")]))
        try chain.follow(302, to: "http://127.0.0.1:8081/")
        #expect(chain.headers.isEmpty)
        #expect(chain.origin == URLOrigin(scheme: "http", host: "127.0.0.1", port: 8081))
    }

    @Test func aBodyKeepsItsTypeAndAGetDropsIt() throws {
        let request = FetchRequest(
            url: URL(string: "https://api.example.org/search")!, etag: "\"e\"", method: .post,
            headers: [HTTPHeader(name: "X-Api-Key", value: "k"), HTTPHeader(name: "content-type", value: "a/json")],
            body: .raw(Data("{}".utf8), contentType: nil))
        var elsewhere = RedirectChain(request)
        try elsewhere.follow(307, to: "https://other.example.org/search")
        #expect(elsewhere.method == .post)
        #expect(elsewhere.headerLines == ["content-type: a/json", "Expect:"])
        var get = RedirectChain(request)
        try get.follow(302, to: "https://api.example.org/r")
        #expect(get.method == .get)
        #expect(get.headerLines == ["X-Api-Key: k"])
        try get.follow(307, to: "https://other.example.org/r")
        #expect(get.headerLines.isEmpty)
    }

    @Test func refusedTargets() throws {
        let request = FetchRequest(url: URL(string: "http://127.0.0.1/")!, maxRedirects: 1)
        var chain = RedirectChain(request)
        do throws(RedirectChain.Refusal) {
            try chain.follow(302, to: "file:///etc/hostname")
            Issue.record("a redirect to a file was followed")
        } catch {
            #expect(error.code == CURLE_UNSUPPORTED_PROTOCOL)
            #expect(error.detail == "Protocol \"file\" disabled (in redirect)")
        }
        do throws(RedirectChain.Refusal) {
            try chain.follow(302, to: "http://[::1/")
            Issue.record("a malformed target was followed")
        } catch {
            #expect(error.code == CURLE_URL_MALFORMAT)
            #expect(error.detail.hasPrefix("The redirect target URL could not be parsed: "))
        }
        #expect(chain.redirects == 0)
        try chain.follow(302, to: "http://127.0.0.1/next")
        do throws(RedirectChain.Refusal) {
            try chain.follow(302, to: "http://127.0.0.1/again")
            Issue.record("the second redirect was followed")
        } catch {
            #expect(error.code == CURLE_TOO_MANY_REDIRECTS)
        }
    }

    @Test func statusLinesSetTheStatusAndRedirectBodiesAreDropped() {
        let context = HTTPTransferContext(maxBytes: 10)
        context.header("HTTP/1.1 302 Found\r\n")
        #expect(context.status == 302)
        #expect(context.discardsBody)
        context.header("HTTP/2 200 \r\n")
        #expect(context.status == 200)
        #expect(!context.discardsBody)
        context.body = Data("x".utf8)
        context.startResponse()
        #expect(context.body.isEmpty)
        #expect(context.status == 0)
    }
}
