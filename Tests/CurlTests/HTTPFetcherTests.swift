import DigestTesting
import Foundation
import Testing

@testable import Curl

@Suite("HTTPFetcher against the loopback test server")
struct HTTPFetcherTests {
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

    @Test func fetchesAFeedWithItsValidators() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/feed.xml")))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("<title>Smörgåsbord</title>"))
        #expect(response.etag == "\"feed-v1\"")
        #expect(response.lastModified == "Mon, 02 Mar 2026 08:00:00 GMT")
        #expect(response.contentType == "application/rss+xml")
        #expect(response.charset == "utf-8")
        #expect(!response.notModified)
        #expect(response.attempts == 1)
    }

    @Test func conditionalGetWithETagIsNotModified() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/feed.xml"), etag: "\"feed-v1\""))
        #expect(response.status == 304)
        #expect(response.notModified)
        #expect(response.body.isEmpty)
        #expect(response.etag == "\"feed-v1\"")
    }

    @Test func conditionalGetWithLastModifiedIsNotModified() async throws {
        defer { server.stop() }
        let request = FetchRequest(url: server.url("/feed.xml"), lastModified: "Mon, 02 Mar 2026 08:00:00 GMT")
        let response = try await fetcher.fetch(request)
        #expect(response.notModified)
        #expect(response.lastModified == "Mon, 02 Mar 2026 08:00:00 GMT")
    }

    @Test func staleETagGetsTheFullBody() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/feed.xml"), etag: "\"old\""))
        #expect(response.status == 200)
        #expect(!response.body.isEmpty)
    }

    @Test func followsRedirectsToTheFinalURL() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/redirect")))
        #expect(response.status == 200)
        #expect(response.finalURL == server.url("/feed.xml"))
        #expect(response.etag == "\"feed-v1\"")
    }

    @Test func redirectLoopFailsPermanently() async throws {
        defer { server.stop() }
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: server.url("/loop"), maxRedirects: 3))
        }
        #expect(error?.curlCode == 47)
        #expect(error?.reason == "more than 3 redirects")
        #expect(error?.isTransient == false)
        #expect(error?.attempts == 1)
    }

    @Test func redirectToFileIsRefused() async throws {
        defer { server.stop() }
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: server.url("/to-file")))
        }
        #expect(error?.curlCode == 1)
        #expect(error?.isTransient == false)
    }

    @Test func gzipBodyIsDecoded() async throws {
        defer { server.stop() }
        let plain = try await fetcher.fetch(FetchRequest(url: server.url("/feed.xml")))
        let compressed = try await fetcher.fetch(FetchRequest(url: server.url("/gzip")))
        #expect(compressed.body == plain.body)
    }

    @Test func slowResponseTimesOut() async throws {
        defer { server.stop() }
        let once = HTTPFetcher(retries: 0)
        let error = await #expect(throws: FetchError.self) {
            let request = FetchRequest(url: server.url("/slow?seconds=30"), timeout: FetchTimeout(total: .seconds(1)))
            return try await once.fetch(request)
        }
        #expect(error?.curlCode == 28)
        #expect(error?.reason == "timed out after 1 s")
        #expect(error?.isTransient == true)
        // The server answers 200 after 30 s, so a timeout (28) proves the 1 s limit fired. No clock is checked: the
        // awaiting task resumes on the cooperative pool, which CPU-heavy suites running beside it can hold up.
    }

    @Test func theTotalLimitCoversEveryAttemptAndTheWaitsBetween() async throws {
        defer { server.stop() }
        // Three attempts of a 1.2 s limit each took 3.6 s and more; the 1.2 s now bound the whole fetch.
        let patient = HTTPFetcher(retries: 2, backoff: .milliseconds(100))
        let error = await #expect(throws: FetchError.self) {
            let request = FetchRequest(
                url: server.url("/slow?seconds=5&case=total"), timeout: FetchTimeout(total: .milliseconds(1200)))
            return try await patient.fetch(request)
        }
        #expect(error?.curlCode == 28)
        #expect(error?.attempts == 1)  // no time was left to try again
        // Counted by the server, not by a clock that a loaded test run can hold up.
        #expect(try await hits("/slow?seconds=5&case=total") == "1")
        // A transient failure well inside the limit is still retried.
        let response = try await patient.fetch(
            FetchRequest(url: server.url("/flaky?case=total-limit"), timeout: FetchTimeout(total: .seconds(20))))
        #expect(response.status == 200)
    }

    @Test func chunkedBodyOverTheCapFails() async throws {
        defer { server.stop() }
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: server.url("/big?bytes=3000000"), maxBytes: 1024 * 1024))
        }
        #expect(error?.curlCode == 23)
        #expect(error?.reason == "response larger than 1 MB")
        #expect(error?.isTransient == false)
        #expect(error?.description == "\(server.url("/big?bytes=3000000")): response larger than 1 MB")
    }

    @Test func serverErrorIsRetriedThenReported() async throws {
        defer { server.stop() }
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: server.url("/error500?case=retries")))
        }
        #expect(error?.reason == "HTTP 500")
        #expect(error?.status == 500)
        #expect(error?.isTransient == true)
        #expect(error?.attempts == 3)
        #expect(try await hits("/error500?case=retries") == "3")
    }

    @Test func flakyEndpointSucceedsOnTheThirdAttempt() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/flaky?case=third")))
        #expect(response.status == 200)
        #expect(response.attempts == 3)
        #expect(String(decoding: response.body, as: UTF8.self) == "third time lucky\n")
    }

    @Test func notFoundIsPermanentAndNotRetried() async throws {
        defer { server.stop() }
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: server.url("/missing")))
        }
        #expect(error?.reason == "HTTP 404")
        #expect(error?.isTransient == false)
        #expect(try await hits("/missing") == "1")
    }

    @Test func wrongCharsetIsReportedAsClaimedAndBytesKept() async throws {
        defer { server.stop() }
        let response = try await fetcher.fetch(FetchRequest(url: server.url("/latin1")))
        #expect(response.charset == "utf-8")
        #expect(response.body == Data([0x53, 0x6D, 0xF6, 0x72, 0x67, 0xE5, 0x73, 0x62, 0x6F, 0x72, 0x64, 0x0A]))
    }

    @Test func sendsTheUserAgent() async throws {
        defer { server.stop() }
        let request = FetchRequest(url: server.url("/user-agent"), userAgent: "digest-test/2.0")
        let response = try await fetcher.fetch(request)
        #expect(String(decoding: response.body, as: UTF8.self) == "digest-test/2.0")
    }

    @Test func transfersRunOffTheCooperativePool() async throws {
        defer { server.stop() }
        // Four slow responses at once: were curl_easy_perform on the pool's two threads, at most two would be in
        // progress together. The server records the peak.
        let results = await HTTPFetcher(maxConcurrent: 4, retries: 0).fetchAll(
            (1...4).map { FetchRequest(url: server.url("/slow?seconds=2&n=\($0)")) })
        #expect(results.filter { (try? $0.get()) == nil }.isEmpty)
        let peak = try await fetcher.fetch(FetchRequest(url: server.url("/slow-peak")))
        #expect(String(decoding: peak.body, as: UTF8.self) == "4")
    }

    @Test func maxConcurrentBoundsTransfers() async throws {
        defer { server.stop() }
        let results = await HTTPFetcher(maxConcurrent: 2, retries: 0).fetchAll(
            (1...4).map { FetchRequest(url: server.url("/slow?seconds=1&n=\($0)")) })
        #expect(results.filter { (try? $0.get()) == nil }.isEmpty)
        let peak = try await fetcher.fetch(FetchRequest(url: server.url("/slow-peak")))
        #expect(String(decoding: peak.body, as: UTF8.self) == "2")
    }

    @Test func fetchAllKeepsRequestOrder() async throws {
        defer { server.stop() }
        let paths = ["/slow?seconds=0.5", "/error500?case=all", "/latin1", "/feed.xml"]
        let results = await HTTPFetcher(maxConcurrent: 2, retries: 0).fetchAll(
            paths.map { FetchRequest(url: server.url($0)) })
        #expect(results.count == 4)
        #expect((try? results[0].get().body) == Data("finally".utf8))
        #expect(throws: FetchError.self) { try results[1].get() }
        #expect((try? results[2].get().charset) == "utf-8")
        #expect((try? results[3].get().etag) == "\"feed-v1\"")
    }
}

@Suite("HTTPFetcher reading local files")
struct FileFetchTests {
    let fetcher = HTTPFetcher(retries: 2, backoff: .milliseconds(10))

    private func temporaryFile(_ contents: String) throws -> URL {
        let url = try TemporaryFolder.make("curl-file-").appendingPathComponent("calendar.ics")
        try Data(contents.utf8).write(to: url)
        return url
    }

    @Test func readsAFileURL() async throws {
        let url = try temporaryFile("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let response = try await fetcher.fetch(FetchRequest(url: url))
        #expect(response.status == 0)
        #expect(response.body == Data("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".utf8))
    }

    @Test func readsAPlainPath() async throws {
        let url = try temporaryFile("plain path")
        defer { try? FileManager.default.removeItem(at: url) }
        let response = try await fetcher.fetch(FetchRequest(url: URL(string: url.path)!))
        #expect(response.body == Data("plain path".utf8))
    }

    @Test func missingFileFailsWithoutRetry() async throws {
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: URL(fileURLWithPath: "/nonexistent/calendar.ics")))
        }
        #expect(error?.curlCode == 37)
        #expect(error?.reason == "cannot read file /nonexistent/calendar.ics")
        #expect(error?.isTransient == false)
        #expect(error?.attempts == 1)
    }

    @Test func fileOverTheCapFails() async throws {
        let url = try temporaryFile(String(repeating: "x", count: 5000))
        defer { try? FileManager.default.removeItem(at: url) }
        let error = await #expect(throws: FetchError.self) {
            try await fetcher.fetch(FetchRequest(url: url, maxBytes: 4096))
        }
        #expect(error?.reason == "response larger than 4 KB")
    }
}

@Suite("Formatting and header parsing")
struct FormattingTests {
    @Test(arguments: [
        (10 * 1024 * 1024, "10 MB"), (1536 * 1024, "1.5 MB"), (4096, "4 KB"), (512, "512 bytes"), (1, "1 byte"),
    ])
    func bytes(count: Int, text: String) {
        #expect(Formatting.bytes(count) == text)
    }

    @Test func durations() {
        #expect(Formatting.duration(.seconds(10)) == "10 s")
        #expect(Formatting.duration(.milliseconds(1500)) == "1.5 s")
        #expect(Formatting.duration(.milliseconds(250)) == "250 ms")
        #expect(Formatting.milliseconds(.microseconds(1)) == 1)
    }

    @Test func contentTypeParameters() {
        let value = ContentType("Text/HTML; Charset=\"ISO-8859-1\"; boundary=x")
        #expect(value.mediaType == "text/html")
        #expect(value.charset == "iso-8859-1")
        #expect(ContentType(nil) == ContentType(nil))
        #expect(ContentType("application/json").charset == nil)
    }
}
