import Foundation
import Testing

@testable import DigestKit

@Suite("Digest checks")
struct DigestLintTests {
    let lint = DigestLint()

    /// A small, correct message: CRLF lines, a List-Unsubscribe header, a short body.
    static func message(headers: [String] = [], body: String = "Hej!") -> [UInt8] {
        let fields =
            [
                "From: Nyhetsbrev <nyhetsbrev@example.se>",
                "To: anna@example.com",
                "Subject: Vecka 49",
                "List-Unsubscribe: <mailto:unsubscribe@example.se>",
            ] + headers
        return Array((fields.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n").utf8)
    }

    static let goodHTML = """
        <html><body><h1>Vecka 49</h1><h2>Evenemang</h2><p>Frukostseminarium</p>
        <a href="https://example.se/a">Läs</a> <a href="mailto:info@example.se">Skriv</a>
        <img src="https://example.se/logo.png" alt="Logotyp"></body></html>
        """

    func checks(_ findings: [DigestLint.Finding]) -> [DigestLint.Check] {
        findings.map(\.check)
    }

    @Test("a correct digest passes every check")
    func clean() {
        #expect(lint.check(message: Self.message(), html: Self.goodHTML, text: "Hej!\nKort rad.\n").isEmpty)
    }

    @Test("the example digests pass every check")
    func golden() throws {
        let folder = TestSupport.fixtures.appendingPathComponent("golden")
        for slug in ["anna-andersson-example-com", "erik-lindqvist-example-org", "sara-okafor-example-net"] {
            let eml = try Data(contentsOf: folder.appendingPathComponent(slug + ".eml"))
            let html = try String(contentsOf: folder.appendingPathComponent(slug + ".html"), encoding: .utf8)
            let text = try String(contentsOf: folder.appendingPathComponent(slug + ".txt"), encoding: .utf8)
            let findings = lint.check(message: Array(eml), html: html, text: text)
            #expect(findings.isEmpty, "\(slug): \(findings)")
        }
    }

    @Test("a message line over 998 octets is found, with its line number; 998 passes")
    func longMessageLine() {
        let exact = Self.message(body: String(repeating: "a", count: 998))
        #expect(lint.checkMessage(exact).isEmpty)
        let long = Self.message(body: "ok\r\n" + String(repeating: "b", count: 999))
        let findings = lint.checkMessage(long)
        #expect(checks(findings) == [.longMessageLine])
        #expect(findings.first?.message.contains("rad 7") == true, "\(findings)")
        let unterminated =
            Array("List-Unsubscribe: <mailto:u@example.se>\r\n\r\n".utf8) + Array(repeating: 0x63, count: 1000)
        #expect(checks(lint.checkMessage(unterminated)) == [.longMessageLine])
    }

    @Test("HTML over the limit is found; at the limit it passes")
    func htmlTooLarge() {
        let small = DigestLint(htmlLimit: 100)
        let atLimit = "<p>" + String(repeating: "x", count: 93) + "</p>"
        #expect(atLimit.utf8.count == 100)
        #expect(small.checkHTML(atLimit).isEmpty)
        #expect(checks(small.checkHTML(atLimit + " ")) == [.htmlTooLarge])
        let large = "<p>" + String(repeating: "å", count: 50_000) + "</p>"
        #expect(checks(lint.checkHTML(large)) == [.htmlTooLarge], "100 000 bytes of UTF-8 is over 90 000")
    }

    @Test("a missing List-Unsubscribe is found; the header name is case-insensitive and a body mention does not count")
    func missingListUnsubscribe() {
        let without = Array("From: a@example.se\r\nSubject: x\r\n\r\nList-Unsubscribe: <mailto:u@example.se>\r\n".utf8)
        #expect(checks(lint.checkMessage(without)) == [.missingListUnsubscribe])
        let lower = Array("from: a@example.se\r\nlist-unsubscribe:\r\n <https://example.se/u>\r\n\r\nHej\r\n".utf8)
        #expect(lint.checkMessage(lower).isEmpty)
        #expect(checks(lint.checkMessage([])) == [.missingListUnsubscribe])
    }

    @Test("links other than http, https and mailto are found, however they are written")
    func unsafeLinks() {
        let html = """
            <p><a href="javascript:alert(1)">x</a> <A HREF='  JavaScript:void(0)'>y</A> <a href=data:text/html,hi>z</a>
            <a href="ftp://example.se/f">f</a> <a href="/relative">r</a> <a href="HTTPS://EXAMPLE.SE">ok</a>
            <a href="mailto:a@example.se">ok</a> <a name="anchor">no href</a></p>
            """
        let findings = lint.checkHTML(html)
        #expect(checks(findings) == Array(repeating: .unsafeLink, count: 5))
        #expect(findings.first?.message.contains("javascript:alert(1)") == true)
    }

    @Test("images without alt are found; an empty alt marks a decorative image and passes")
    func imagesWithoutAlt() {
        let html = """
            <p><img src="a.png"><IMG SRC="b.png" ALT="Bild"><img src="c.png" alt=""><img src="d.png" title="alt"/></p>
            """
        let findings = lint.checkHTML(html)
        #expect(checks(findings) == [.imageWithoutAlt, .imageWithoutAlt])
        #expect(findings.map(\.message).joined().contains("a.png"))
        #expect(findings.map(\.message).joined().contains("d.png"))
    }

    @Test("plain-text lines over 78 columns are found, counted in characters; a lone long link passes")
    func longTextLines() {
        let swedish = String(repeating: "å", count: 78)
        #expect(lint.checkText(swedish + "\n").isEmpty, "78 characters are 156 bytes but fit")
        let text =
            "kort\n" + String(repeating: "ord ", count: 20) + "\n   https://example.se/"
            + String(repeating: "x", count: 90)
        let findings = lint.checkText(text)
        #expect(checks(findings) == [.longTextLine])
        #expect(findings.first?.message.contains("rad 2") == true, "\(findings)")
        #expect(checks(lint.checkText(String(repeating: "ord ", count: 20) + "\r\n")) == [.longTextLine])
    }

    @Test("a heading with nothing under it is found, at the end of the document, before the next heading or its box")
    func emptySections() {
        let html = """
            <h1>Vecka 49</h1><p>Hej</p>
            <table><tr><td><h2>Nya utlysningar</h2>
            </td></tr><tr><td><h2>Evenemang</h2><h3>Vecka 50</h3><p>Seminarium</p><h3>Vecka 51</h3>
            </td></tr></table>
            <h2>Ändrade &amp; flyttade</h2>
            <h2>Med bild</h2><img src="x.png" alt="x"><h2>Sist</h2><!-- bara en kommentar -->
            """
        let findings = lint.checkHTML(html)
        #expect(checks(findings) == Array(repeating: .emptySection, count: 4), "\(findings)")
        let titles = findings.map(\.message).joined(separator: "|")
        #expect(titles.contains("Nya utlysningar"))
        #expect(titles.contains("Vecka 51"))
        #expect(titles.contains("Ändrade & flyttade"))
        #expect(titles.contains("Sist"))
        #expect(!titles.contains("Evenemang"))
        #expect(!titles.contains("Med bild"))
    }

    @Test("broken or hostile HTML ends without a crash")
    func brokenHTML() {
        let inputs = [
            "<", "<a", "<a href=", "<a href=\"javascript:x", "<h2>", "</h2></h2><h2", "<!--", "<!", "&#xFFFFFFFF;",
            "&#0;<img", "<script>alert('<a href=javascript:x>')</script>", "<style>h2{}</style", "<h7>x</h7>",
            String(repeating: "<div>", count: 5000) + "<h2>x</h2>",
        ]
        for input in inputs {
            _ = lint.checkHTML(input)
        }
        #expect(lint.checkHTML("<script>var a = '<a href=\"javascript:x\">';</script>").isEmpty)
        #expect(checks(lint.checkHTML("<h2>x</h2")) == [.emptySection])
    }
}
