import Foundation
import Testing

@testable import DigestKit

@Suite("Preview pages")
struct PreviewSiteTests {
    /// A site with one subscriber whose address, subject and feed item carry markup.
    static func hostileSite(paused: Bool = false) -> PreviewSite {
        var subscriber = Subscriber(email: "<b>evil</b>@example.se")
        subscriber.paused = paused
        var item = Item(id: "x1", kind: .funding, source: "utlysningar", title: "<script>alert(1)</script>")
        item.deadline = TestSupport.demoNow.addingTimeInterval(86_400)
        let content = DigestContent(
            subscriber: subscriber, language: .sv, newFunding: [Selection(item: item, reasons: [])], closingSoon: [],
            events: [], changed: [])
        let rendered = RenderedDigest(
            subject: "Vecka 49 <img src=x onerror=alert(2)>", preheader: "", html: "<p>Hej</p>",
            text: "Hej </pre><script>alert(3)</script>", calendarEvents: [],
            links: ReaderLinks(unsubscribeURL: nil, preferencesURL: nil, unsubscribeMailto: "mailto:u@example.se"))
        let message = OutgoingMessage(
            recipient: subscriber.email, envelopeFrom: "b@example.se", messageID: "m@example.se",
            bytes: Array("Subject: <i>x</i>\r\n\r\nHej\r\n".utf8) + Array(repeating: 0x61, count: 95_000))
        let digest = BuiltDigest(subscriber: subscriber, content: content, rendered: rendered, message: message)
        let findings = DigestLint().check(digest)
        var report = SourceReport(name: "kalendarium", url: "file:///k.ics")
        report.failure = "<b>404</b>"
        return PreviewSite(
            title: "Nyhetsbrev & <co>",
            issue: IssueInfo(id: "2026-W49", now: TestSupport.demoNow),
            entries: [PreviewSite.Entry(digest: digest, wouldSend: !paused, findings: findings)],
            reports: [report],
            unreceived: [item]
        )
    }

    @Test("the index escapes every subscriber and feed text and shows size, status and check warnings")
    func index() {
        let html = Self.hostileSite().indexHTML()
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the unreceived item is listed, escaped")
        #expect(html.contains("Nyhetsbrev &amp; &lt;co&gt;"))
        #expect(html.contains("över 90 KB"), "a message over 90 KB is flagged")
        #expect(html.contains("List-Unsubscribe"), "the missing header is reported")
        #expect(html.contains("kalendarium</strong>: fel: &lt;b&gt;404&lt;/b&gt;"))
        #expect(html.contains(#"href="b-evil-b-example-se.html""#))
        #expect(!html.contains("<form"), "a written site has no forms")
        #expect(Self.hostileSite(paused: true).indexHTML().contains("pausad"))
    }

    @Test("the pages and the checks speak the newsletter's language: Swedish by default, English when it is en")
    func language() throws {
        let swedish = Self.hostileSite()
        #expect(swedish.indexHTML().contains(#"<html lang="sv">"#))
        #expect(swedish.indexHTML().contains(#"<h2 id="subscribers">Prenumeranter</h2>"#))
        var english = Self.hostileSite()
        english.language = .en
        let index = english.indexHTML()
        #expect(index.contains(#"<html lang="en">"#))
        #expect(index.contains(#"<h2 id="subscribers">Subscribers</h2>"#))
        #expect(index.contains(#"<th scope="col">Recipient</th><th scope="col">Subject</th>"#))
        #expect(index.contains("1 subscribers, 1 get a digest, 1 with findings. Nothing is sent or saved."))
        #expect(index.contains("kalendarium</strong>: failed: &lt;b&gt;404&lt;/b&gt;"))
        #expect(index.contains("over 90 KB"))
        for swedishWord in ["Prenumeranter", "Sammanfattning", "Källor", "skickas", "förhandsvisning"] {
            #expect(!index.contains(swedishWord), "\(swedishWord) in the English index")
        }
        let entry = try #require(english.entry(slug: "b-evil-b-example-se"))
        #expect(english.pageHTML(for: entry).contains(#"<h2 id="text-version">The text version</h2>"#))
        let lint = DigestLint(language: .en).checkMessage(Array("Subject: x\r\n\r\nHej\r\n".utf8))
        #expect(lint.map(\.message) == ["The message has no List-Unsubscribe header."])
        #expect(
            DigestLint().checkMessage(Array("Subject: x\r\n\r\nHej\r\n".utf8)).map(\.message) == [
                "Meddelandet saknar rubriken List-Unsubscribe."
            ])
    }

    @Test("a subscriber's page frames the digest in a sandbox with a width toggle and escapes the text and headers")
    func page() throws {
        let site = Self.hostileSite()
        let entry = try #require(site.entry(slug: "b-evil-b-example-se"))
        let html = site.pageHTML(for: entry)
        #expect(html.contains(#"<iframe sandbox title="#))
        #expect(html.contains(#"srcdoc="&lt;p&gt;Hej&lt;/p&gt;""#), "the digest is in the frame, escaped once")
        #expect(html.contains(#"href="b-evil-b-example-se.digest.html""#))
        #expect(html.contains(#"id="width-mobile""#))
        #expect(html.contains(".preview:has(#width-mobile:checked) .frame iframe{width:375px}"))
        #expect(html.contains("Hej &lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;"))
        #expect(html.contains("Subject: &lt;i&gt;x&lt;/i&gt;"))
        #expect(html.contains(#"href="b-evil-b-example-se.eml""#))
        #expect(!html.contains("<script"))
        let served = site.pageHTML(for: entry, controls: PreviewControls(token: "t\"ok", address: "<a>"))
        #expect(served.contains(#"<form method="post" action="/send/b-evil-b-example-se">"#))
        #expect(served.contains(#"name="token" value="t&quot;ok""#))
        #expect(served.contains(#"value="&lt;a&gt;""#))
    }

    @Test("changes since the last issue: new, changed and dropped items")
    func changes() {
        var kept = Item(id: "a", kind: .event, source: "s", title: "Kvar")
        kept.start = TestSupport.demoNow
        let moved = Item(id: "b", kind: .event, source: "s", title: "Flyttad")
        let fresh = Item(id: "c", kind: .funding, source: "s", title: "Ny")
        let changes = IssueChanges(
            previousIssue: "2026-W48",
            sent: ["a": kept.fingerprint, "b": "old", "gone": "x"],
            now: ["a": kept, "b": moved, "c": fresh]
        )
        #expect(changes.added.map(\.id) == ["c"])
        #expect(changes.changed.map(\.id) == ["b"])
        #expect(changes.droppedCount == 1)
    }
}
