import DigestKit
import DigestTesting
import Foundation
import Logging
import Testing

@testable import DigestWeb

@Suite("Preview server session")
struct PreviewServiceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let now = Date(timeIntervalSince1970: 1_796_108_400)  // 2026-12-01T08:00:00+01:00

    func service() -> PreviewService {
        PreviewService(
            options: .init(
                configFile: Self.root.appendingPathComponent("digest.yaml"),
                now: Self.now,
                environment: ["DIGEST_UNSUBSCRIBE_SECRET": "unit-test-secret"]
            ),
            logger: Logger(label: "test")
        )
    }

    func text(_ reply: PreviewReply) -> String {
        String(decoding: reply.body, as: UTF8.self)
    }

    @Test("form bodies decode + and %XX, keep the first of a repeated name and keep broken escapes as written")
    func formBody() {
        let form = FormBody("to=redaktor%40example.se&token=a+b&to=second&bad=%zz%4&empty&=x&name=%C3%A5")
        #expect(form["to"] == "redaktor@example.se")
        #expect(form["token"] == "a b")
        #expect(form["bad"] == "%zz%4")
        #expect(form["empty"] == "")
        #expect(form["name"] == "å")
        #expect(form["missing"] == nil)
        #expect(FormBody("").fields.isEmpty)
    }

    @Test("a session token is 64 hex digits, fresh each time, and matches only itself")
    func token() {
        let first = SessionToken()
        let second = SessionToken()
        #expect(first.value.count == 64 && first.value.allSatisfy(\.isHexDigit))
        #expect(first != second)
        #expect(first.matches(first.value))
        #expect(!first.matches(second.value))
        #expect(!first.matches(nil))
        #expect(!first.matches(String(first.value.dropLast())))
        #expect(!first.matches(first.value + "0"))
    }

    @Test("the index, a page, the raw digest, text and eml come back; unknown names are 404")
    func pages() async {
        let service = service()
        let index = await service.get(path: "/")
        #expect(index.status == 200)
        #expect(text(index).contains("anna.andersson@example.com"))
        #expect(text(index).contains(service.token.value), "the refetch form carries the session token")
        let page = await service.get(path: "/anna-andersson-example-com.html")
        #expect(page.status == 200 && text(page).contains(#"action="/send/anna-andersson-example-com""#))
        #expect(page.contentSecurityPolicy == "frame-ancestors 'none'")
        let raw = await service.get(path: "/anna-andersson-example-com.digest.html")
        #expect(raw.status == 200 && raw.contentSecurityPolicy.hasPrefix("sandbox"))
        #expect(await service.get(path: "/anna-andersson-example-com.txt").contentType.hasPrefix("text/plain"))
        #expect(await service.get(path: "/anna-andersson-example-com.eml").contentType == "message/rfc822")
        #expect(await service.get(path: "/nobody.html").status == 404)
        #expect(await service.get(path: "/digest.yaml").status == 404)
    }

    @Test("posts without the session token are refused; a bad address comes back as a notice on the page")
    func forms() async {
        let service = service()
        let slug = "anna-andersson-example-com"
        #expect(await service.sendTest(slug: slug, form: FormBody("to=a%40example.se")).status == 403)
        #expect(await service.refetch(form: FormBody("token=0")).status == 403)
        let bad = await service.sendTest(slug: slug, form: FormBody("to=not+an+address&token=\(service.token.value)"))
        #expect(bad.status == 303 && bad.location == "/\(slug).html")
        let page = text(await service.get(path: "/\(slug).html"))
        #expect(page.contains("Adressen går inte att använda"))
        #expect(page.contains(#"value="not an address""#), "the typed address is kept in the form")
        let again = text(await service.get(path: "/\(slug).html"))
        #expect(!again.contains("Adressen går inte att använda"), "a notice shows once")
    }

    @Test("an English newsletter's preview speaks English: the pages, the checks and the notices")
    func english() async throws {
        let config = try WorkspaceBuilder().subscriber("anna@example.se").language("en").write()
        let service = PreviewService(
            options: .init(configFile: config, now: Self.now, environment: ["DIGEST_UNSUBSCRIBE_SECRET": "s"]),
            logger: Logger(label: "test"))
        let index = text(await service.get(path: "/"))
        #expect(index.contains(#"<html lang="en">"#) && index.contains(#"<h2 id="subscribers">Subscribers</h2>"#))
        #expect(index.contains("Fetch the sources again"))
        let bad = await service.sendTest(
            slug: "anna-example-se", form: FormBody("to=nope&token=\(service.token.value)"))
        #expect(bad.status == 303)
        let page = text(await service.get(path: "/anna-example-se.html"))
        #expect(page.contains("The address cannot be used: "), "\(page.prefix(2000))")
        #expect(
            text(await service.get(path: "/nothing-here")).contains("There is no page nothing-here here; start at /."))
    }

    @Test("a test address with a control character is refused, named, before anything else; the form keeps the rest")
    func controlCharacterInAddress() async throws {
        let service = service()
        let slug = "anna-andersson-example-com"
        let token = service.token.value
        let cases = [
            ("Red%0D%0AFAKE%3A+x+%3Credaktor%40example.org%3E", "U+000D", "RedFAKE: x <redaktor@example.org>"),
            ("redaktor%40example.org%0A", "U+000A", "redaktor@example.org"),
            ("Red%E2%80%A8aktor+%3Credaktor%40example.org%3E", "U+2028", "Redaktor <redaktor@example.org>"),
        ]
        for (typed, named, kept) in cases {
            let reply = await service.sendTest(slug: slug, form: FormBody("to=\(typed)&token=\(token)"))
            #expect(reply.status == 303 && reply.location == "/\(slug).html")
            let page = text(await service.get(path: "/\(slug).html"))
            #expect(
                page.contains(
                    "Adressen går inte att använda: den innehåller ett styrtecken (\(named)). Skriv adressen på en rad."
                ),
                "\(typed)")
            #expect(page.contains("value=\"\(HTMLEscaping.escape(kept))\""), "\(typed)")
        }
        let english = try WorkspaceBuilder().subscriber("anna@example.se").language("en").write()
        let other = PreviewService(
            options: .init(configFile: english, now: Self.now, environment: ["DIGEST_UNSUBSCRIBE_SECRET": "s"]),
            logger: Logger(label: "test"))
        _ = await other.get(path: "/")
        _ = await other.sendTest(
            slug: "anna-example-se", form: FormBody("to=a%0D%40example.se&token=\(other.token.value)"))
        #expect(
            text(await other.get(path: "/anna-example-se.html")).contains(
                "The address cannot be used: it holds a control character (U+000D). Type the address on one line."))
    }
}
