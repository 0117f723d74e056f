import CCurl
import Foundation
import Testing

@testable import Curl

/// What the test server's `/echo` route saw (see Tests/Integration/README.md).
private struct Echo: Decodable {
    struct Part: Decodable, Equatable {
        var name: String
        var filename: String?
        var contentType: String?
        var content: String

        enum CodingKeys: String, CodingKey {
            case name, filename, content
            case contentType = "content_type"
        }
    }

    var method: String
    var path: String
    var query: [String: [String]]
    var headers: [[String]]
    var contentType: String?
    var body: String
    var form: [[String]]?
    var parts: [Part]?

    enum CodingKeys: String, CodingKey {
        case method, path, query, headers, body, form, parts
        case contentType = "content_type"
    }

    /// Every value of the header `name` (lower case), in arrival order.
    func values(_ name: String) -> [String] {
        headers.filter { $0.first == name }.map { $0.count > 1 ? $0[1] : "" }
    }
}

@Suite("HTTPFetcher requests with a method, headers and a body")
struct HTTPRequestTests {
    let server: TestServer
    let fetcher = HTTPFetcher(maxConcurrent: 4, retries: 2, backoff: .milliseconds(10))

    init() throws {
        server = try TestServer(script: "http_server.py")
    }

    private func hits(_ path: String) async throws -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/hits?path=\(encoded)")))
        return String(decoding: response.body, as: UTF8.self)
    }

    private func echo(_ request: FetchRequest) async throws -> Echo {
        let response = try await fetcher.fetch(request)
        #expect(response.contentType == "application/json")
        return try JSONDecoder().decode(Echo.self, from: response.body)
    }

    private func post(_ path: String, headers: [HTTPHeader] = [], body: RequestBody?) -> FetchRequest {
        FetchRequest(url: server.url(path), method: .post, headers: headers, body: body)
    }

    @Test func multipartPostWithJSONPartsAndHeaders() async throws {
        defer { server.stop() }
        let query = #"{"bool":{"must":[{"terms":{"type":["1","2","8"]}},{"terms":{"status":["31094501"]}}]}}"#
        let multiLine = "{\n  \"title\": \"Smörgåsbord\",\n  \"n\": 1\n}"
        let request = post(
            "/echo?apiKey=SEDIA&text=***&pageSize=50&pageNumber=2",
            headers: [
                HTTPHeader(name: "Accept", value: "application/json"), HTTPHeader(name: "X-Api-Key", value: "k-123"),
            ],
            body: .multipart([
                MultipartPart(name: "query", contentType: "application/json", content: Data(query.utf8)),
                MultipartPart(name: "languages", contentType: "application/json", content: Data(#"["en"]"#.utf8)),
                MultipartPart(name: "sort", contentType: "application/json", content: Data(multiLine.utf8)),
                MultipartPart(name: "plain", content: Data("x".utf8)),
                MultipartPart(
                    name: "upload", contentType: "text/csv", filename: "calls.csv", content: Data("a,b\n".utf8)),
            ]))
        let seen = try await echo(request)
        #expect(seen.method == "POST")
        #expect(seen.path == "/echo")
        #expect(seen.query == ["apiKey": ["SEDIA"], "text": ["***"], "pageSize": ["50"], "pageNumber": ["2"]])
        #expect(seen.contentType?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect(
            seen.parts == [
                Echo.Part(name: "query", contentType: "application/json", content: query),
                Echo.Part(name: "languages", contentType: "application/json", content: #"["en"]"#),
                Echo.Part(name: "sort", contentType: "application/json", content: multiLine),
                Echo.Part(name: "plain", contentType: nil, content: "x"),
                Echo.Part(name: "upload", filename: "calls.csv", contentType: "text/csv", content: "a,b\n"),
            ])
        #expect(seen.values("accept") == ["application/json"])
        #expect(seen.values("x-api-key") == ["k-123"])
        #expect(seen.values("expect").isEmpty)
    }

    @Test func largePostsDoNotAskForContinue() async throws {
        defer { server.stop() }
        // Over 1 MB libcurl 7.88 adds "Expect: 100-continue" and waits up to 1 s for the server's "100 Continue".
        let big = String(repeating: "0123456789", count: 110_000)
        let multipart = RequestBody.multipart([
            MultipartPart(name: "q", contentType: "text/plain", content: Data(big.utf8))
        ])
        let seen = try await echo(post("/echo", body: multipart))
        #expect(seen.parts?.first?.content == big)
        #expect(seen.values("expect").isEmpty)
        let raw = try await echo(post("/echo", body: .raw(Data(big.utf8), contentType: "text/plain")))
        #expect(raw.body == big)
        #expect(raw.values("expect").isEmpty)
        // The route does report the header when it comes: a caller's own Expect is sent as given.
        let asked = try await echo(
            post("/echo", headers: [HTTPHeader(name: "Expect", value: "100-continue")], body: multipart))
        #expect(asked.values("expect") == ["100-continue"])
        #expect(asked.parts?.first?.content == big)
    }

    @Test func urlencodedFormArrivesDecoded() async throws {
        defer { server.stop() }
        let seen = try await echo(
            post("/echo", body: .form([FormField(name: "a", value: "1"), FormField(name: "b", value: "å & ö")])))
        #expect(seen.method == "POST")
        #expect(seen.contentType == "application/x-www-form-urlencoded")
        #expect(seen.form == [["a", "1"], ["b", "å & ö"]])
        #expect(seen.body == "a=1&b=%C3%A5%20%26%20%C3%B6")
    }

    @Test func formKeepsOrderAndAwkwardCharacters() async throws {
        defer { server.stop() }
        let fields = [
            (name: "z", value: ""), (name: "a b", value: "x=y&z+w%"), (name: "a b", value: "second"),
            (name: "ü", value: "\n"),
        ]
        let seen = try await echo(post("/echo", body: .form(fields)))
        #expect(seen.form == [["z", ""], ["a b", "x=y&z+w%"], ["a b", "second"], ["ü", "\n"]])
    }

    @Test func rawJSONBodyWithTheCallersContentType() async throws {
        defer { server.stop() }
        let json = #"{"query":"horizon","page":1,"nul":"a\u0000b"}"#
        let seen = try await echo(
            post(
                "/echo", headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
                body: .raw(Data(json.utf8), contentType: nil)))
        #expect(seen.method == "POST")
        #expect(seen.values("content-type") == ["application/json"])
        #expect(seen.body == json)
        #expect(seen.values("content-length") == ["\(json.utf8.count)"])
    }

    @Test func rawBodyCarriesItsOwnContentTypeOrOctetStream() async throws {
        defer { server.stop() }
        let bytes = Data([0x7B, 0x00, 0x7D])
        let typed = try await echo(post("/echo", body: .raw(bytes, contentType: "application/json; charset=utf-8")))
        #expect(typed.values("content-type") == ["application/json; charset=utf-8"])
        #expect(typed.body == "{\u{0}}")
        let untyped = try await echo(post("/echo", body: .raw(bytes, contentType: nil)))
        #expect(untyped.values("content-type") == ["application/octet-stream"])
        #expect(untyped.values("content-length") == ["3"])
    }

    @Test func postWithoutBodySendsAnEmptyOne() async throws {
        defer { server.stop() }
        let seen = try await echo(post("/echo", body: nil))
        #expect(seen.method == "POST")
        #expect(seen.values("content-length") == ["0"])
        #expect(seen.values("content-type").isEmpty)
        #expect(seen.values("expect").isEmpty)
    }

    @Test func conditionalHeadersOnlyForGet() async throws {
        defer { server.stop() }
        var request = post("/echo", body: .form([(name: "a", value: "1")]))
        request.etag = "\"feed-v1\""
        request.lastModified = "Mon, 02 Mar 2026 08:00:00 GMT"
        let seen = try await echo(request)
        #expect(seen.values("if-none-match").isEmpty)
        #expect(seen.values("if-modified-since").isEmpty)
    }

    @Test func getWithCustomAcceptReplacesLibcurlsDefault() async throws {
        defer { server.stop() }
        let request = FetchRequest(
            url: server.url("/echo"),
            headers: [
                HTTPHeader(name: "Accept", value: "application/json"),
                HTTPHeader(name: "User-Agent", value: "custom/1"),
                HTTPHeader(name: "X-Empty", value: ""),
            ])
        let seen = try await echo(request)
        #expect(seen.method == "GET")
        #expect(seen.values("accept") == ["application/json"])
        #expect(seen.values("user-agent") == ["custom/1"])
        #expect(seen.values("x-empty") == [""])
        #expect(seen.values("expect").isEmpty)
    }

    @Test func getWithoutHeadersKeepsLibcurlsDefaults() async throws {
        defer { server.stop() }
        let seen = try await echo(FetchRequest(url: server.url("/echo"), userAgent: "digest-test/3"))
        #expect(seen.values("accept") == ["*/*"])
        #expect(seen.values("user-agent") == ["digest-test/3"])
        #expect(seen.values("accept-encoding").count == 1)
    }

    @Test func headerValueWithLineBreakIsRefusedBeforeConnecting() async throws {
        defer { server.stop() }
        let secret = "k-123\r\nX-Injected: yes"
        let request = post(
            "/echo?case=crlf", headers: [HTTPHeader(name: "X-Api-Key", value: secret)],
            body: .form([(name: "a", value: "1")]))
        let error = await #expect(throws: FetchError.self) { try await fetcher.fetch(request) }
        #expect(error?.reason == "header 'X-Api-Key' holds a line break")
        #expect(error?.isTransient == false)
        #expect(error?.attempts == 1)
        #expect(error?.curlCode == 43)
        for text in [
            error?.reason ?? "", error?.description ?? "", String(describing: error), String(reflecting: error),
        ] {
            #expect(text.contains("X-Api-Key") || text.isEmpty)
            #expect(!text.contains("k-123"))
        }
        #expect(try await hits("/echo?case=crlf") == "0")
    }

    @Test(arguments: ["\n", "\r", "\0"])
    func everyForbiddenValueCharacterIsRefused(character: String) async throws {
        defer { server.stop() }
        let request = FetchRequest(
            url: server.url("/echo?case=ctl"), headers: [HTTPHeader(name: "X-Api-Key", value: "s3cret\(character)")])
        let error = await #expect(throws: FetchError.self) { try await fetcher.fetch(request) }
        let expected = character == "\0" ? "a NUL byte" : "a line break"
        #expect(error?.reason == "header 'X-Api-Key' holds \(expected)")
        #expect(error?.description.contains("s3cret") == false)
        #expect(try await hits("/echo?case=ctl") == "0")
    }

    @Test func headerNameThatIsNotATokenIsRefusedWithoutItsTail() async throws {
        defer { server.stop() }
        let pasted = FetchRequest(
            url: server.url("/echo"), headers: [HTTPHeader(name: "Authorization: Bearer s3cret", value: "x")])
        let error = await #expect(throws: FetchError.self) { try await fetcher.fetch(pasted) }
        #expect(error?.reason == "header name 'Authorization…' holds ':', which a header name cannot hold")
        #expect(error?.description.contains("s3cret") == false)
        let cases: [(String, String)] = [
            ("", "a header has an empty name"),
            (" X", "a header name starts with a space, which a header name cannot hold"),
            ("X\r\nY", "header name 'X…' holds a line break, which a header name cannot hold"),
            ("Gr\u{FC}n", "header name 'Gr…' holds U+00FC, which a header name cannot hold"),
            ("Content-Length", "header 'Content-Length' cannot be set: libcurl sets it from the body"),
        ]
        for (name, reason) in cases {
            let request = FetchRequest(url: server.url("/echo"), headers: [HTTPHeader(name: name, value: "v")])
            #expect(throws: FetchError.self) { try request.validate() }
            do throws(FetchError) {
                try request.validate()
            } catch {
                #expect(error.reason == reason)
            }
        }
        #expect(try await hits("/echo") == "0")
    }

    @Test func tokenCharactersAreAccepted() throws {
        let request = FetchRequest(
            url: URL(string: "http://127.0.0.1/")!, headers: [HTTPHeader(name: "X!#$%&'*+-.^_`|~09az", value: "v\t ö")])
        try request.validate()
    }

    @Test func getWithBodyIsAUsageError() async throws {
        defer { server.stop() }
        let request = FetchRequest(url: server.url("/echo?case=get-body"), body: .raw(Data("x".utf8), contentType: nil))
        let error = await #expect(throws: FetchError.self) { try await fetcher.fetch(request) }
        #expect(error?.reason == "a GET request cannot have a body (use POST)")
        #expect(error?.isTransient == false)
        #expect(error?.attempts == 1)
        #expect(try await hits("/echo?case=get-body") == "0")
    }

    @Test func bodyConflictsAreUsageErrors() throws {
        let url = URL(string: "http://127.0.0.1/")!
        let type = HTTPHeader(name: "content-type", value: "text/plain")
        let cases: [(FetchRequest, String)] = [
            (
                FetchRequest(url: url, method: .post, headers: [type], body: .multipart([])),
                "header 'content-type' cannot be set for a multipart body (libcurl sets it, with the boundary)"
            ),
            (
                FetchRequest(url: url, method: .post, headers: [type], body: .raw(Data(), contentType: "text/csv")),
                "header 'content-type' differs from the body's Content-Type (give it once)"
            ),
            (
                FetchRequest(url: url, method: .post, body: .raw(Data(), contentType: "text/csv\r\nX: y")),
                "the body's Content-Type holds a line break"
            ),
            (
                FetchRequest(
                    url: url, method: .post,
                    body: .multipart([MultipartPart(name: "q", contentType: "a/b\nX: y", content: Data())])),
                "the Content-Type of part 'q' holds a line break"
            ),
            (
                FetchRequest(url: url, method: .post, body: .multipart([MultipartPart(name: "", content: Data())])),
                "a multipart part has an empty name"
            ),
            (FetchRequest(url: url, userAgent: "a\nb"), "the user agent holds a line break"),
            (FetchRequest(url: url, etag: "\"x\"\r\n"), "the ETag holds a line break"),
            (
                FetchRequest(url: URL(fileURLWithPath: "/tmp/x.ics"), method: .post),
                "a POST needs an http or https URL, not a file"
            ),
        ]
        for (request, reason) in cases {
            do throws(FetchError) {
                try request.validate()
                Issue.record("\(reason): not refused")
            } catch {
                #expect(error.reason == reason)
                #expect(!error.isTransient)
            }
        }
        // The same type twice (any case) is fine.
        try FetchRequest(
            url: url, method: .post, headers: [type], body: .raw(Data(), contentType: "Text/Plain")
        ).validate()
    }

    @Test func postAnswered500TwiceIsRetried() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(
            post("/flaky-post?case=third", body: .multipart([MultipartPart(name: "q", content: Data("same".utf8))])))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        let seen = try JSONDecoder().decode(Echo.self, from: response.body)
        #expect(seen.method == "POST")
        #expect(seen.parts?.map(\.content) == ["same"])
        #expect(try await hits("/flaky-post?case=third") == "3")
    }

    @Test func postRedirectedWith303BecomesAGet() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(post("/see-other", body: .form([(name: "a", value: "1")])))
        let seen = try JSONDecoder().decode(Echo.self, from: response.body)
        #expect(seen.method == "GET")
        #expect(seen.query == ["from": ["see-other"]])
        #expect(seen.body.isEmpty)
        #expect(response.finalURL == server.url("/echo?from=see-other"))
    }

    @Test func refusedOptionFailsTheAttemptNamingIt() async throws {
        defer { server.stop() }
        // libcurl refuses strings over 8,000,000 bytes (CURL_MAX_INPUT_LENGTH).
        let longAgent = FetchRequest(
            url: server.url("/echo?case=agent"), userAgent: String(repeating: "a", count: 8_000_001))
        let error = await #expect(throws: FetchError.self) { try await fetcher.fetch(longAgent) }
        let badArgument = CurlGlobal.describe(CURLE_BAD_FUNCTION_ARGUMENT)
        #expect(error?.reason == "libcurl refused CURLOPT_USERAGENT: \(badArgument)")
        #expect(error?.curlCode == 43)
        #expect(error?.isTransient == false)
        #expect(error?.attempts == 1)
        // A negative size cap is refused by CURLOPT_MAXFILESIZE_LARGE.
        let negative = FetchRequest(url: server.url("/echo?case=agent"), maxBytes: -1)
        let second = await #expect(throws: FetchError.self) { try await fetcher.fetch(negative) }
        #expect(second?.reason == "libcurl refused CURLOPT_MAXFILESIZE_LARGE: \(badArgument)")
        #expect(try await hits("/echo?case=agent") == "0")
    }
}

@Suite("Request parts without a server")
struct RequestPartsTests {
    @Test func headerDescriptionsHideTheValue() {
        let header = HTTPHeader(name: "X-Api-Key", value: "k-123")
        let request = FetchRequest(url: URL(string: "https://example.org/")!, headers: [header])
        var dumped = ""
        dump(request, to: &dumped)
        for text in [
            String(describing: header), String(reflecting: header), "\(request)", String(reflecting: request), dumped,
        ] {
            #expect(text.contains("X-Api-Key"))
            #expect(!text.contains("k-123"))
        }
    }

    @Test func urlencodingMatchesCurlEasyEscape() throws {
        let samples = ["a", "å & ö", "x=y&z+w%", "~-._", " /?#[]@!$'()*,;", "\u{1F600}", "\n\t\0", ""]
        for sample in samples {
            let escaped = try #require(curl_easy_escape(nil, sample, Int32(sample.utf8.count)))
            defer { curl_free(escaped) }
            #expect(RequestBody.percentEncoded(sample) == String(cString: escaped))
        }
        #expect(
            RequestBody.urlencoded([FormField(name: "a", value: "1"), FormField(name: "b", value: "å & ö")])
                == "a=1&b=%C3%A5%20%26%20%C3%B6")
    }

    @Test func bodiesCompareByContent() {
        let form = RequestBody.form([("a", "1"), ("b", "2")])
        #expect(form == .form([FormField(name: "a", value: "1"), FormField(name: "b", value: "2")]))
        #expect(form != .form([("b", "2"), ("a", "1")]))
        #expect(form.hashValue == RequestBody.form([(name: "a", value: "1"), (name: "b", value: "2")]).hashValue)
        #expect(RequestBody.raw(Data("x".utf8), contentType: nil) != .raw(Data("x".utf8), contentType: "text/plain"))
        #expect(Set([form, form, .multipart([])]).count == 2)
    }

    @Test func defaultsKeepAPlainGet() {
        let request = FetchRequest(url: URL(string: "https://example.org/")!)
        #expect(request.method == .get)
        #expect(request.headers.isEmpty)
        #expect(request.body == nil)
        #expect(HTTPMethod.allCases.map(\.rawValue) == ["GET", "POST"])
    }

    @Test func headerLinesAddWhatThePostNeeds() {
        let url = URL(string: "https://example.org/")!
        let get = FetchRequest(url: url, etag: "\"e\"", headers: [HTTPHeader(name: "Accept", value: "a/b")])
        #expect(HTTPTransfer.headerLines(for: get) == ["If-None-Match: \"e\"", "Accept: a/b"])
        let post = FetchRequest(url: url, method: .post, body: .raw(Data(), contentType: "application/json"))
        #expect(HTTPTransfer.headerLines(for: post) == ["Content-Type: application/json", "Expect:"])
        let ownExpect = FetchRequest(
            url: url, method: .post, headers: [HTTPHeader(name: "Expect", value: "100-continue")], body: .form([]))
        #expect(HTTPTransfer.headerLines(for: ownExpect) == ["Expect: 100-continue"])
    }

    @Test func optionNamesComeFromLibcurl() {
        #expect(SetupFailure.optionName(CURLOPT_MIMEPOST) == "CURLOPT_MIMEPOST")
        #expect(SetupFailure.optionName(CURLOPT_PROTOCOLS_STR) == "CURLOPT_PROTOCOLS_STR")
        #expect(SetupFailure.optionName(CURLoption(rawValue: 999_999)) == "option 999999")
    }

    @Test func applyThrowsForARefusedOption() throws {
        let handle = try #require(EasyHandle())
        #expect(throws: SetupFailure.refused(CURLOPT_PROTOCOLS_STR, CURLE_UNSUPPORTED_PROTOCOL)) {
            try handle.apply(CURLOPT_PROTOCOLS_STR, "no-such-protocol")
        }
        try handle.apply(CURLOPT_PROTOCOLS_STR, "http,https")
        #expect(throws: SetupFailure.refused(CURLOPT_MAXFILESIZE_LARGE, CURLE_BAD_FUNCTION_ARGUMENT)) {
            try handle.apply(CURLOPT_MAXFILESIZE_LARGE, offset: -1)
        }
    }
}
