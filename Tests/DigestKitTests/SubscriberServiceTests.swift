import Foundation
import MailMessage
import Testing

@testable import DigestKit

@Suite("Unsubscribe and preferences pages")
struct SubscriberServiceTests {
    let secret = Data("service-test-secret".utf8)

    func service() async throws -> (SubscriberService, StateStore, Workspace) {
        let workspace = try await Workspace.load(configFile: TestSupport.root.appendingPathComponent("digest.yaml"))
        let state = try StateStore.inMemory()
        return (try SubscriberService(workspace: workspace, state: state, secret: secret, files: nil), state, workspace)
    }

    func token(_ address: String, _ workspace: Workspace) throws -> String {
        try #require(MessageComposer(newsletter: workspace.config.newsletter, secret: secret).token(for: address))
    }

    @Test("GET shows a button and changes nothing; POST one-click unsubscribes at once, in plain text")
    func oneClick() async throws {
        let (service, state, workspace) = try await service()
        let token = try token("erik.lindqvist@example.org", workspace)
        let page = service.unsubscribePage(token: token)
        #expect(page.status == 200)
        #expect(page.body.contains("Vill du sluta få Företagsfrämjarna i Dalarna till erik.lindqvist@example.org?"))
        #expect(page.body.contains("<form method=\"post\""))
        #expect(try state.suppressions().isEmpty)

        let done = service.unsubscribe(
            token: token, form: FormBody("List-Unsubscribe=One-Click"), at: TestSupport.demoNow)
        #expect(done.status == 200)
        #expect(done.contentType.hasPrefix("text/plain"))
        #expect(try state.suppressions() == ["erik.lindqvist@example.org": .unsubscribed])
        #expect(try state.feedback(since: .distantPast).map(\.detail) == ["one-click"])
    }

    @Test("a forged, wrong or unknown token gets the same 404")
    func forged() async throws {
        let (service, _, workspace) = try await service()
        let real = try token("anna.andersson@example.com", workspace)
        let forged = String(real.dropLast()) + (real.last == "A" ? "B" : "A")
        let other = UnsubscribeToken.make(
            address: "anna.andersson@example.com", listID: "veckodigest.example.se", secret: Data("x".utf8))
        let answers = [forged, other, "nonsense", ""].map { service.unsubscribePage(token: $0) }
        #expect(answers.allSatisfy { $0.status == 404 })
        #expect(Set(answers.map(\.body)).count == 1)
        #expect(service.unsubscribe(token: forged, form: FormBody(""), at: TestSupport.demoNow).status == 404)
    }

    @Test("the preferences page is in the reader's language and shows what they follow")
    func preferences() async throws {
        let (service, _, workspace) = try await service()
        let sara = service.preferencesPage(token: try token("sara.okafor@example.net", workspace))
        #expect(sara.body.contains("<html lang=\"en\""))
        #expect(sara.body.contains("value=\"digitalisering\" checked> Digitalisation"))
        #expect(sara.body.contains("value=\"finansiering\"> Financing"))
        #expect(sara.body.contains("value=\"Mora\" checked> Mora"))
        let saved = service.savePreferences(
            token: try token("sara.okafor@example.net", workspace), form: FormBody(""), at: TestSupport.demoNow)
        #expect(saved.status == 503, "without a file updater nothing can be saved")
    }

    @Test("untrusted text in pages is escaped")
    func escaping() async throws {
        let (service, _, _) = try await service()
        let page = service.unsubscribePage(token: "<script>")
        #expect(page.status == 404)
        #expect(!page.body.contains("<script>"))
    }

    @Test("the rate limiter allows a number of requests per client and window")
    func rateLimit() {
        let limiter = RequestRateLimiter(limit: 3, window: 60)
        let start = TestSupport.demoNow
        #expect((0..<3).allSatisfy { limiter.allow("a", at: start.addingTimeInterval(Double($0))) })
        #expect(!limiter.allow("a", at: start.addingTimeInterval(5)))
        #expect(limiter.allow("b", at: start.addingTimeInterval(5)))
        #expect(limiter.allow("a", at: start.addingTimeInterval(61)))
    }

    @Test("the rate limiter's memory is bounded: passed windows are forgotten, and never more than its maximum kept")
    func rateLimitMemory() {
        let limiter = RequestRateLimiter(limit: 3, window: 60, maximumClients: 1_000)
        let start = TestSupport.demoNow
        for client in 0..<50_000 {  // a flood of distinct clients within one window
            _ = limiter.allow("c\(client)", at: start.addingTimeInterval(Double(client) / 1_000))
            if client % 1_000 == 0 { #expect(limiter.clientCount <= 1_000 + 1) }
        }
        #expect(limiter.clientCount <= 1_000 + 1)
        // The most recent client is still counted: a flood of new keys does not reset it.
        let soon = start.addingTimeInterval(50)
        #expect(limiter.allow("c49999", at: soon) && limiter.allow("c49999", at: soon))
        #expect(!limiter.allow("c49999", at: soon))
        let later = start.addingTimeInterval(3_600)
        for client in 0..<1_001 { _ = limiter.allow("d\(client)", at: later) }
        #expect(limiter.clientCount <= 1_001)
        #expect(limiter.allow("c0", at: later))
    }

    @Test("form bodies decode + and percent escapes")
    func forms() {
        let form = FormBody("keywords=export%2C+AI&topic=finansiering&topic=export&empty=")
        #expect(form.all.map(\.name) == ["keywords", "topic", "topic", "empty"])
        #expect(form["keywords"] == "export, AI")
        #expect(form.values("topic") == ["finansiering", "export"])
    }
}
