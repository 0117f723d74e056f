import DigestTesting
import Foundation
import Testing

@testable import DigestKit

@Suite("Signing up: the confirmation token, the form, the pending signups")
struct SignupTests {
    let secret = Data("signup-test-secret".utf8)

    @Test("a token verifies under its secret only, and a changed character, a cut one or another secret fails")
    func token() throws {
        let token = SignupToken.issue(secret: secret)
        #expect(token.text.count == 43)
        #expect(SignupToken.verify(token.text, secret: secret) == token)
        #expect(token.id.count == 64 && !token.id.contains(token.text))
        let last = token.text.last == "A" ? "B" : "A"
        #expect(SignupToken.verify(String(token.text.dropLast()) + last, secret: secret) == nil)
        #expect(SignupToken.verify(String(token.text.dropLast()), secret: secret) == nil)
        #expect(SignupToken.verify(token.text, secret: Data("another".utf8)) == nil)
        #expect(SignupToken.verify(String(repeating: "A", count: 43), secret: secret) == nil)
        #expect(SignupToken.verify("<script>" + String(repeating: "A", count: 35), secret: secret) == nil)
        #expect(SignupToken.issue(secret: secret) != token, "every token is new")
    }

    @Test("the client and the consent sentence are named by hashes, never in clear")
    func hashes() {
        let client = SignupToken.keyedHash("192.0.2.7", purpose: "consent-client", secret: secret)
        #expect(client.hasPrefix("hmac-sha256:") && client.count == 12 + 32 && !client.contains("192.0.2.7"))
        #expect(client != SignupToken.keyedHash("192.0.2.7", purpose: "consent-client", secret: Data("x".utf8)))
        #expect(SignupToken.textVersion("a") == "sha256:ca978112ca1bbdca")
    }

    func strings(_ language: Language) async throws -> Strings {
        let workspace = try await WorkspaceBuilder().load()
        return workspace.renderer.strings(for: language)
    }

    @Test("the form's mistakes, word for word in Swedish and English, in the order of the fields")
    func validation() async throws {
        let workspace = try await WorkspaceBuilder().load()
        let body = FormBody(
            "email=anna%40&name=Anna%0D%0ABcc&language=fi&topic=finansiering&topic=astrologi&region=Falun"
                + "&organizer=Almi&kind=event&kind=party&keywords=export%2C+" + String(repeating: "x", count: 61))
        let form = SubscriberForm(body)
        guard
            case .failure(let list) = form.check(
                taxonomy: workspace.taxonomy, organizers: SubscriberForm.Choices.organizers(workspace))
        else {
            Issue.record("the form passed")
            return
        }
        let swedish = workspace.renderer.strings(for: .sv)
        #expect(
            list.problems.map { $0.message(swedish) } == [
                "”anna@” är inte en e-postadress.",
                "Namnet innehåller ett kontrolltecken (U+000D); skriv det på en rad.",
                "”fi” finns inte bland valen; välj bland rutorna.",
                "”astrologi” finns inte bland valen; välj bland rutorna.",
                "”party” finns inte bland valen; välj bland rutorna.",
                "Nyckelordet ”\(String(repeating: "x", count: 60))…” är för långt; skriv högst 60 tecken.",
            ])
        #expect(list.problems.map(\.field) == ["email", "name", "language", "topic", "kind", "keywords"])
        let english = workspace.renderer.strings(for: .en)
        #expect(list.problems[0].message(english) == "“anna@” is not an email address.")
        #expect(
            list.problems[1].message(english) == "The name holds a control character (U+000D); write it on one line.")

        let empty = SubscriberForm(FormBody("keywords=" + (1...21).map { "w\($0)" }.joined(separator: ",")))
        guard case .failure(let second) = empty.check(taxonomy: workspace.taxonomy, organizers: []) else {
            Issue.record("the form passed")
            return
        }
        #expect(
            second.problems.map { $0.message(english) } == ["Enter your email address.", "Write at most 20 keywords."])
    }

    @Test("a valid form gives the subscriber; the encoded form reads back as the same form")
    func validForm() async throws {
        let workspace = try await WorkspaceBuilder().load()
        let body = FormBody(
            "email=+ny%40example.se+&name=%C3%85sa+%22%C3%96%22&language=en&topic=export&region=Mora&organizer=Almi"
                + "&kind=funding&keywords=AI%2C+%C3%A5tervinning%2C%2C+AI")
        let form = SubscriberForm(body)
        let subscriber = try form.check(
            taxonomy: workspace.taxonomy, organizers: SubscriberForm.Choices.organizers(workspace)
        ).get()
        #expect(subscriber.email == "ny@example.se")
        #expect(subscriber.name == "Åsa \"Ö\"")
        #expect(subscriber.language == .en)
        #expect(subscriber.interests.topics == ["export"] && subscriber.interests.regions == ["Mora"])
        #expect(subscriber.interests.organizers == ["Almi"] && subscriber.interests.kinds == [.funding])
        #expect(subscriber.interests.keywords == ["AI", "återvinning"])
        #expect(SubscriberForm(FormBody(form.encoded)) == form)
    }

    @Test(
        "pending signups: used once, not after they expire, the address forgotten once used", arguments: [false, true])
    func store(onDisk: Bool) throws {
        let folder = try TemporaryFolder.make("signup-")
        let state =
            onDisk ? try StateStore.open(at: folder.appendingPathComponent("state.sqlite")) : try StateStore.inMemory()
        let now = WorkspaceBuilder.demoNow
        func signup(_ id: String, _ address: String, at time: Date) -> PendingSignup {
            PendingSignup(
                id: id, address: address, form: "email=\(address)", textVersion: "sha256:0", createdAt: time,
                expiresAt: time.addingTimeInterval(SubscriberService.confirmationLifetime))
        }
        try state.addPendingSignup(signup("a", "Ny@Example.se", at: now))
        try state.addPendingSignup(signup("b", "ny@example.se", at: now.addingTimeInterval(10)))
        try state.addPendingSignup(signup("c", "old@example.se", at: now.addingTimeInterval(-8 * 24 * 3600)))
        #expect(try state.pendingSignup(id: "a")?.address == "ny@example.se")
        #expect(try state.hasPendingSignup(address: "NY@example.se", at: now))
        #expect(try !state.usePendingSignup(id: "c", at: now), "expired a day ago")
        #expect(try state.usePendingSignup(id: "a", at: now.addingTimeInterval(60)))
        #expect(try !state.usePendingSignup(id: "a", at: now.addingTimeInterval(61)), "single use")
        let used = try #require(try state.pendingSignup(id: "a"))
        #expect(used.usedAt != nil && used.address.isEmpty && used.form.isEmpty)
        #expect(try state.pendingSignup(id: "b") == nil, "the address's other link goes with it")
        #expect(try !state.hasPendingSignup(address: "ny@example.se", at: now))
        #expect(try !state.usePendingSignup(id: "nonexistent", at: now))
        // A new signup forgets those that expired before it.
        try state.addPendingSignup(signup("d", "d@example.se", at: now))
        #expect(try state.pendingSignup(id: "c") == nil)
    }

    @Test("signup mails: one per address an hour and one per client a minute")
    func mailLimits() throws {
        let state = try StateStore.inMemory()
        let now = WorkspaceBuilder.demoNow
        func reserve(_ address: String, _ client: String, after seconds: TimeInterval) throws -> Bool {
            try state.reserveSignupMail(
                addressKey: address, clientKey: client, at: now.addingTimeInterval(seconds), addressInterval: 3600,
                clientInterval: 60)
        }
        #expect(try reserve("a", "c1", after: 0))
        #expect(try !reserve("a", "c2", after: 120), "the address again within the hour")
        #expect(try !reserve("b", "c1", after: 30), "the client again within the minute")
        #expect(try reserve("b", "c1", after: 61))
        #expect(try reserve("a", "c3", after: 3601))
    }

    @Test("a welcome message counts as sent for the next issue, but is never the last issue the preview compares with")
    func welcomeLedger() throws {
        let state = try StateStore.inMemory()
        let now = WorkspaceBuilder.demoNow
        let welcome = SendOptions.welcomeIssue(for: now, timeZone: TimeZone(identifier: "Europe/Stockholm")!)
        #expect(welcome == "welcome-2026-W49")
        for (issue, at) in [("2026-W48", now.addingTimeInterval(-7 * 86_400)), (welcome, now)] {
            _ = try state.beginDelivery(issue: issue, subscriber: "ny@example.se", messageID: issue, at: at)
            try state.markOutcome(
                issue: issue, subscriber: "ny@example.se", result: .delivered("ok"),
                sent: ["ev-1": SentRecord(fingerprint: "f", reminded: false)], at: at)
        }
        #expect(try state.sentRecords(subscriber: "ny@example.se", before: "2026-W49")["ev-1"] != nil)
        #expect(try state.lastSentIssue(other: "2026-W49") == "2026-W48")
    }

    @Test(
        "signing up and confirming: the same page for a new, a pending and a subscribed address; the file with consent")
    func flow() async throws {
        let config = try WorkspaceBuilder().subscriber("anna@example.com").write()
        let (workspace, _) = try Workspace.loadForServing(configFile: config)
        let state = try StateStore.inMemory()
        let service = try SubscriberService(
            workspace: workspace, state: state, secret: secret, files: SubscriberFiles(workspace: workspace))
        let now = WorkspaceBuilder.demoNow
        let new = service.signup(
            form: FormBody("email=ny%40example.se&topic=export"), language: .sv, client: "192.0.2.1", at: now)
        let pending = service.signup(
            form: FormBody("email=ny%40example.se&topic=export"), language: .sv, client: "192.0.2.2",
            at: now.addingTimeInterval(120))
        let subscribed = service.signup(
            form: FormBody("email=anna%40example.com&topic=export"), language: .sv, client: "192.0.2.3", at: now)
        #expect(new.page.status == 200 && pending.page.status == 200 && subscribed.page.status == 200)
        #expect(new.page.body == pending.page.body)
        #expect(
            subscribed.page.body
                == new.page.body.replacingOccurrences(of: "ny@example.se", with: "anna@example.com"))
        #expect(new.mail != nil && pending.mail == nil, "one mail per address an hour")
        let subscribedMail = String(decoding: try #require(subscribed.mail).bytes, as: UTF8.self)
            .replacingOccurrences(of: "=\r\n", with: "")
        #expect(subscribedMail.contains("https://digest.example.se/preferences/"))
        // Quoted-printable: the link may be broken over two lines by a soft line break.
        let mail = String(decoding: try #require(new.mail).bytes, as: UTF8.self).replacingOccurrences(
            of: "=\r\n", with: "")
        let link = try #require(mail.firstRange(of: /https:\/\/digest\.example\.se\/confirm\/([A-Za-z0-9_-]{43})/))
        let token = String(mail[link].suffix(43))
        #expect(service.confirmPage(token: token, at: now).body.contains("<form method=\"post\">"))
        #expect(
            !FileManager.default.fileExists(atPath: workspace.config.subscribersFolder.path + "/ny-example-se.yaml")
        )
        let confirmed = service.confirm(token: token, client: "192.0.2.1", at: now.addingTimeInterval(300))
        #expect(confirmed.page.status == 200 && confirmed.welcome?.email == "ny@example.se")
        let text = try String(
            contentsOf: workspace.config.subscribersFolder.appendingPathComponent("ny-example-se.yaml"), encoding: .utf8
        )
        let version = SignupToken.textVersion(
            "Jag vill få Företagsfrämjarna i Dalarna med e-post och godkänner att min adress och mina val sparas för "
                + "det. Jag kan avsluta när som helst med länken i varje utskick.")
        let client = SignupToken.keyedHash("192.0.2.1", purpose: "consent-client", secret: secret)
        #expect(
            text == """
                email: ny@example.se
                interests:
                  topics: [export]
                consent:
                  at: "2026-12-01T07:05:00Z"
                  how: web-form
                  textVersion: "\(version)"
                  client: "\(client)"

                """)
        let again = service.confirm(token: token, client: "192.0.2.1", at: now.addingTimeInterval(301))
        #expect(again.page.status == 410 && again.welcome == nil)
        // A token with its first character changed to one it is not (every bit of the first counts; the last
        // character's low bits are padding, and a random token may already end in "A").
        let tampered = (token.hasPrefix("A") ? "B" : "A") + String(token.dropFirst())
        #expect(service.confirm(token: tampered, client: "x", at: now).page.status == 404)
    }
}
