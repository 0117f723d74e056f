import Feeds
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct XPathTests {
    static let pageURL = URL(string: "https://example.se/a/b.html")!

    static func listing() throws -> HTMLDocument {
        HTMLDocument(data: try Fixture.data("html/utlysningar.html"), url: pageURL)
    }

    static func document(_ html: String, url: URL? = pageURL, charset: String? = nil) -> HTMLDocument {
        HTMLDocument(data: Data(html.utf8), url: url, charset: charset)
    }

    /// Runs `body` with file descriptor 2 redirected to a temporary file and returns what was written to it.
    static func standardError(during body: () throws -> Void) rethrows -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xpath-stderr-\(UUID()).txt").path
        let file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        precondition(file >= 0)
        fflush(nil)
        let saved = dup(2)
        dup2(file, 2)
        defer {
            fflush(nil)
            dup2(saved, 2)
            close(saved)
            close(file)
            unlink(path)
        }
        try body()
        fflush(nil)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    // MARK: - Compiling

    @Test func invalidExpressionThrowsLibxml2sReasonAndPrintsNothing() {
        var thrown: XPathError?
        let written = Self.standardError {
            do throws(XPathError) {
                _ = try XPath("//li[")
            } catch {
                thrown = error
            }
        }
        #expect(thrown == XPathError(expression: "//li[", reason: "Invalid expression"))
        #expect(thrown?.description == "invalid XPath '//li[': Invalid expression")
        #expect(!written.contains("XPath error"))
        #expect(!written.contains("Invalid expression"))
    }

    @Test func otherCompileErrors() {
        for expression in ["", "1 +", "//p)", "//li[@class=]"] {
            #expect(throws: XPathError.self, "\(expression)") { try XPath(expression) }
        }
        #expect(throws: XPathError(expression: "//li[contain(@class,'x')]", reason: "Unregistered function contain()"))
        {
            try XPath("//li[contain(@class,'x')]")
        }
        #expect(throws: XPathError(expression: "//a[@id=$id]", reason: "Undefined variable $id")) {
            try XPath("//a[@id=$id]")
        }
        #expect(throws: XPathError(expression: "//svg:rect", reason: "Undefined namespace prefix svg")) {
            try XPath("//svg:rect")
        }
    }

    @Test func validExpressionsCompile() throws {
        let expressions = [
            "//li[contains(@class,'utlysning')]", ".//h3", "string(.//a/@href)", "count(.//li)", ".//p[1]",
            "normalize-space(.//p[contains(., 'foo(')])", "child::text()", "//comment()", "1 and (2)",
            "substring-before(//p, ':')", "//*[local-name()='div']", "//div[@data-x = \"a:b\"]", "ancestor::li[1]",
        ]
        for expression in expressions {
            let xpath = try XPath(expression)
            #expect(xpath.expression == expression)
            #expect(xpath.description == expression)
        }
        #expect(try XPath(".//h3") == XPath(".//h3"))
    }

    @Test func evaluationErrorsAreThrownWithoutOutput() throws {
        let document = Self.document("<p>x</p>")
        let xpath = try XPath("count(1)")
        var thrown: XPathError?
        let written = Self.standardError {
            #expect(throws: XPathError.self) { try document.evaluate(xpath) }
            do throws(XPathError) {
                _ = try document.evaluate(try XPath("count(1)"))
            } catch {
                thrown = error
            }
        }
        #expect(thrown == XPathError(expression: "count(1)", reason: "Invalid type"))
        #expect(!written.contains("XPath"))
    }

    // MARK: - Evaluating

    @Test func itemsAndRelativeFields() throws {
        let document = try Self.listing()
        guard case .nodes(let items, let truncated) = try document.evaluate(XPath("//li[contains(@class,'utlysning')]"))
        else {
            Issue.record("expected nodes")
            return
        }
        #expect(items.count == 2)
        #expect(!truncated)
        #expect(items.allSatisfy { $0.kind == .element && $0.name == "li" })

        let title = try XPath(".//h3")
        let href = try XPath("string(.//a/@href)")
        let paragraphs = try XPath("count(.//p)")
        let first = try XPath(".//p[1]")
        #expect(try document.evaluate(title, at: items[0]).texts == ["Projektbidrag för hållbar stadsutveckling"])
        #expect(try document.evaluate(title, at: items[1]).texts == ["Nätverksbidrag för unga forskare"])
        #expect(try document.evaluate(href, at: items[0]).texts == ["utlysningar/hallbar-stad.html"])
        #expect(try document.evaluate(paragraphs, at: items[0]).texts == ["2"])
        #expect(
            try document.evaluate(first, at: items[0]).texts == ["Stöd till forskning om hållbara städer & regioner."])
        if case .number(let count) = try document.evaluate(try XPath("count(//li)")) {
            #expect(count == 5)
        } else {
            Issue.record("expected a number")
        }
        #expect(try document.evaluate(XPath("count(//li) > 3")).texts == ["true"])
        #expect(try document.evaluate(XPath("boolean(//table)")).texts == ["false"])
        #expect(try document.evaluate(XPath("number('x')")).texts == [])
        #expect(try document.evaluate(XPath("10 div 4")).texts == ["2.5"])
        #expect(try document.evaluate(XPath("//nothing")).texts == [])
    }

    @Test func attributeAndTextNodes() throws {
        let document = try Self.listing()
        guard case .nodes(let hrefs, _) = try document.evaluate(XPath("//li[contains(@class,'utlysning')]//a/@href"))
        else {
            Issue.record("expected nodes")
            return
        }
        #expect(hrefs.map(\.kind) == [.attribute, .attribute])
        #expect(hrefs.map(\.name) == ["href", "href"])
        #expect(hrefs.map(\.textContent) == ["utlysningar/hallbar-stad.html", "https://example.se/natverk"])
        #expect(hrefs.map(\.innerHTML) == ["utlysningar/hallbar-stad.html", "https://example.se/natverk"])

        guard case .nodes(let texts, _) = try document.evaluate(XPath("//h3/text()")) else {
            Issue.record("expected nodes")
            return
        }
        #expect(texts.first?.kind == .text)
        #expect(texts.first?.name == "")
        #expect(document.root.kind == .document)
        #expect(document.root.textContent.contains("Aktuella utlysningar"))

        guard case .nodes(let items, _) = try document.evaluate(XPath("//li[contains(@class,'oppen')]")) else {
            Issue.record("expected nodes")
            return
        }
        #expect(items.first?.attribute("CLASS") == "post utlysning oppen")
        #expect(items.first?.attribute("id") == nil)
        #expect(try document.evaluate(XPath("//li[contains(@class,'utlysning')][1]")).texts.count == 1)
    }

    @Test func innerHTMLKeepsMarkupAndEscapes() throws {
        let document = Self.document("<html><body><p>Hej <b>världen</b> &amp; co</p></body></html>")
        guard case .nodes(let paragraphs, _) = try document.evaluate(XPath("//p")) else {
            Issue.record("expected nodes")
            return
        }
        #expect(paragraphs.first?.innerHTML == "Hej <b>världen</b> &amp; co")
        #expect(paragraphs.first?.outerHTML == "<p>Hej <b>världen</b> &amp; co</p>")
        #expect(paragraphs.first?.textContent == "Hej världen & co")
        guard case .nodes(let texts, _) = try document.evaluate(XPath("//p/text()[2]")) else {
            Issue.record("expected nodes")
            return
        }
        #expect(texts.first?.innerHTML == " &amp; co")
    }

    @Test func textContentIsNotCollapsed() throws {
        let document = Self.document("<div><p>  två\n  rader&nbsp;här </p></div>")
        #expect(try document.evaluate(XPath("//p")).texts == ["  två\n  rader\u{00A0}här "])
    }

    @Test func nodesKeepTheirDocumentAlive() throws {
        var document: HTMLDocument? = try Self.listing()
        weak let weakDocument = document
        let result = try document!.evaluate(XPath("//h3"))
        document = nil
        #expect(weakDocument != nil)
        guard case .nodes(let titles, _) = result else {
            Issue.record("expected nodes")
            return
        }
        #expect(titles.map(\.textContent).last == "Nytt styrelseordförande utsett")
        #expect(titles[0].innerHTML == "Projektbidrag för hållbar stadsutveckling")
    }

    @Test func nodesOfAnotherDocumentAreEvaluatedThere() throws {
        let first = try Self.listing()
        let second = Self.document("<p>annan</p>")
        guard case .nodes(let items, _) = try first.evaluate(XPath("//li[contains(@class, 'nyhet')]")) else {
            Issue.record("expected nodes")
            return
        }
        #expect(try second.evaluate(XPath("string(.//h3)"), at: items[0]).texts == ["Nytt styrelseordförande utsett"])
    }

    @Test func largeNodeSetsAreBoundedAndFast() throws {
        let html =
            "<html><body><ul>" + String(repeating: "<li class=\"rad\">Punkt</li>\n", count: 100_000)
            + "</ul></body></html>"
        let clock = ContinuousClock()
        let start = clock.now
        let document = Self.document(html)
        guard case .nodes(let items, let truncated) = try document.evaluate(XPath("//li"), limit: 50) else {
            Issue.record("expected nodes")
            return
        }
        #expect(items.count == 50)
        #expect(truncated)
        #expect(try document.evaluate(XPath("count(//li[@class='rad'])")).texts == ["100000"])
        guard case .nodes(let none, let noneTruncated) = try document.evaluate(XPath("//li"), limit: 0) else {
            Issue.record("expected nodes")
            return
        }
        #expect(none.isEmpty && noneTruncated)
        #expect(clock.now - start < .seconds(5))
    }

    @Test func twentyMegabytePageParses() throws {
        let row = "<div class=\"rad\"><p>En rad i en mycket lång sida med text som upprepas om och om.</p></div>\n"
        let count = 20_000_000 / row.utf8.count
        let html =
            "<!DOCTYPE html><html><head><title>Stor</title></head><body>"
            + String(repeating: row, count: count) + "<p id=\"slut\">Slutet</p></body></html>"
        #expect(html.utf8.count > 19_000_000)
        let document = Self.document(html)
        #expect(try document.evaluate(XPath("count(//div[@class='rad'])")).texts == ["\(count)"])
        #expect(try document.evaluate(XPath("string(//p[@id='slut'])")).texts == ["Slutet"])
    }

    @Test func positionOfTheContextNode() throws {
        let document = try Self.listing()
        #expect(try document.evaluate(XPath("position()")).texts == ["1"])
        #expect(try document.evaluate(XPath("last()")).texts == ["1"])
        #expect(try document.evaluate(XPath("string((//h3)[last()])")).texts == ["Nytt styrelseordförande utsett"])
    }

    @Test func brokenMarkupParsesSilently() throws {
        let written = try Self.standardError {
            let html = "<html><body><p>öppen <b>fet <i>kursiv</p></div></span><table><tr><td>x</table>&bogus; <<>>"
            let document = Self.document(html + String(repeating: "<div>", count: 2000))
            _ = try document.evaluate(XPath("//p"))
            _ = document.mainText()
            _ = HTMLDocument(data: Data([0xFF, 0xFE, 0x00, 0xD8, 0x3C, 0x00]), url: nil).mainText()
        }
        #expect(!written.contains("error"))
    }

    @Test func emptyAndBinaryInputGiveADocument() throws {
        let empty = HTMLDocument(data: Data(), url: nil)
        #expect(try empty.evaluate(XPath("count(//*)")).texts == ["0"])
        #expect(empty.mainText() == "")
        #expect(empty.jsonLDBlocks() == [])
        let binary = HTMLDocument(data: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }), url: nil)
        _ = try binary.evaluate(XPath("//*"))
        _ = binary.mainText()
    }

    // MARK: - Encoding, links, scripts and main text

    @Test func metaCharsetDecodesLatin1() throws {
        let document = HTMLDocument(data: try Fixture.data("html/latin1.html"), url: nil)
        #expect(try document.evaluate(XPath("string(//h1)")).texts == ["Smörgåsbord"])
        // ISO-8859-1 is read as Windows-1252, as browsers do.
        #expect(try document.evaluate(XPath("string(//p)")).texts == ["Välkommen till vår \u{201C}julbord\u{201D}"])
        let httpEquiv = HTMLDocument(data: try Fixture.data("html/latin1-http-equiv.html"), url: nil)
        #expect(try httpEquiv.evaluate(XPath("string(//p)")).texts == ["Räksmörgås"])
    }

    @Test func explicitCharsetWins() throws {
        let latin1 = HTMLDocument(data: try Fixture.data("html/latin1.html"), url: nil, charset: "\"ISO-8859-1\"")
        #expect(try latin1.evaluate(XPath("string(//h1)")).texts == ["Smörgåsbord"])
        let utf8Page = Data(
            "<html><head><meta charset=\"iso-8859-1\"></head><body><h1>Smörgåsbord</h1></body></html>".utf8)
        let explicit = HTMLDocument(data: utf8Page, url: nil, charset: "utf-8")
        #expect(explicit.encoding == "utf-8")
        #expect(try explicit.evaluate(XPath("string(//h1)")).texts == ["Smörgåsbord"])
        let contentType = HTMLDocument(data: utf8Page, url: nil, charset: "text/html; charset=UTF-8")
        #expect(contentType.encoding == "utf-8")
        let fromMeta = HTMLDocument(data: utf8Page, url: nil)
        #expect(fromMeta.encoding == "windows-1252")
        #expect(try fromMeta.evaluate(XPath("string(//h1)")).texts == ["SmÃ¶rgÃ¥sbord"])
    }

    @Test func unsupportedButKnownCharsetsAreDecodedByLibxml2() throws {
        // "Привет" in KOI8-R.
        let bytes: [UInt8] = Array("<html><body><p>".utf8) + [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4] + Array("</p>".utf8)
        let document = HTMLDocument(data: Data(bytes), url: nil, charset: "koi8-r")
        #expect(try document.evaluate(XPath("string(//p)")).texts == ["Привет"])
    }

    @Test func invalidUTF8IsReadAsWindows1252() throws {
        let bytes = Array("<p>Sm".utf8) + [0xF6] + Array("rg".utf8) + [0xE5] + Array("s</p>".utf8)
        let document = HTMLDocument(data: Data(bytes), url: nil)
        #expect(try document.evaluate(XPath("string(//p)")).texts == ["Smörgås"])
    }

    @Test func baseHrefAndResolve() throws {
        let document = try Self.listing()
        #expect(document.baseURL?.absoluteString == "https://example.se/sv/")
        #expect(document.resolve("x.html")?.absoluteString == "https://example.se/sv/x.html")
        #expect(document.resolve("  /om  ")?.absoluteString == "https://example.se/om")
        #expect(document.resolve("https://annan.se/y")?.absoluteString == "https://annan.se/y")
        #expect(document.resolve("") == nil)
        #expect(document.resolve("   ") == nil)
        #expect(document.resolve("javascript:void(0)") == nil)
        #expect(document.resolve(" JavaScript:alert(1)") == nil)
        #expect(document.resolve("java\nscript:alert(1)") == nil)

        let noBase = Self.document("<a href=\"c.html\">c</a>")
        #expect(noBase.baseURL == Self.pageURL)
        #expect(noBase.resolve("c.html")?.absoluteString == "https://example.se/a/c.html")
        let absoluteBase = Self.document("<base href=\"https://cdn.example.se/x/\">")
        #expect(absoluteBase.resolve("y")?.absoluteString == "https://cdn.example.se/x/y")
        let scriptBase = Self.document("<base href=\"javascript:alert(1)//\"><a href=\"c.html\">c</a>")
        #expect(scriptBase.baseURL == Self.pageURL)
        let noURL = Self.document("<p>x</p>", url: nil)
        #expect(noURL.resolve("x.html") == nil)
        #expect(noURL.resolve("https://a.se/x")?.absoluteString == "https://a.se/x")
    }

    @Test func jsonLDBlocksInDocumentOrder() throws {
        let document = HTMLDocument(data: try Fixture.data("html/jsonld-blandat.html"), url: nil)
        let blocks = document.jsonLDBlocks()
        #expect(blocks.count == 3)
        #expect(blocks.first?.contains("\"WebSite\"") == true)
        #expect(blocks.last?.contains("Företagarnas dag") == true)
        #expect(!blocks.contains { $0.contains("Inte JSON-LD") })
    }

    @Test func mainTextLeavesOutNavigationAndFooter() throws {
        let document = Self.document(
            "<html><body><nav>Meny 1 januari 2027</nav><header>Sidhuvud 2 januari 2027</header>"
                + "<main><p>Sista ansökningsdag 15 mars 2027</p></main><footer>Sidfot 3 januari 2027</footer></body></html>"
        )
        let text = document.mainText()
        #expect(text.contains("Sista ansökningsdag 15 mars 2027"))
        #expect(!text.contains("Meny"))
        #expect(!text.contains("Sidhuvud"))
        #expect(!text.contains("Sidfot"))
    }

    @Test func mainTextOfARealisticPage() throws {
        let document = HTMLDocument(data: try Fixture.data("html/huvudinnehall.html"), url: Self.pageURL)
        let text = document.mainText()
        #expect(
            text
                == "Innovationscheckar 2027\n\nPublicerad 20 november 2026\n\n"
                + "Små och medelstora företag kan söka checkar på upp till 100 000 kronor.\n\n"
                + "Sista ansökningsdag 15 mars 2027")
        // The tree itself is untouched.
        #expect(try document.evaluate(XPath("count(//aside)")).texts == ["1"])
    }

    @Test func mainTextFallbacks() {
        let role = Self.document(
            "<body><div role=\"Main\"><p>Rollen</p><header>Rubrik 1 maj</header></div><div>Annat</div></body>")
        #expect(role.mainText() == "Rollen\n\nRubrik 1 maj")
        let article = Self.document("<body><div>Sidomeny</div><article><p>Artikeln</p></article></body>")
        #expect(article.mainText() == "Artikeln")
        let body = Self.document(
            "<body><header>Logga</header><div role=\"navigation\">Länkar</div><section><header>Avsnitt</header>"
                + "<p>Brödtext</p></section><footer>Fot</footer></body>")
        #expect(body.mainText() == "Avsnitt\n\nBrödtext")
    }
}
