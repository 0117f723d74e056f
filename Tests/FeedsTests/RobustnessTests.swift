import Feeds
import Foundation
import Testing

@Suite struct RobustnessTests {
    func rss(_ items: String, prolog: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>") -> Data {
        Data("\(prolog)\n<rss version=\"2.0\"><channel><title>T</title>\(items)</channel></rss>".utf8)
    }

    @Test func wholeDocumentFailures() {
        #expect(throws: FeedError(.empty, message: "the document is empty")) {
            try FeedParser().parse(Data("  \n".utf8))
        }
        #expect(
            throws: FeedError(
                .notAFeed, line: 1, message: "the root element <html> is not rss, rdf:RDF or an Atom feed")
        ) {
            try FeedParser().parse(Data("<html><body>hej</body></html>".utf8))
        }
        #expect(throws: FeedError(.tooLarge, message: "the document is 101 bytes, more than the limit of 100")) {
            try FeedParser(limits: FeedLimits(maximumBytes: 100)).parse(Data(repeating: 0x20, count: 101))
        }
        #expect {
            try FeedParser().parse(Data("<<<not xml".utf8))
        } throws: { error in
            (error as? FeedError)?.kind == .malformed
        }
    }

    @Test func truncatedDocumentKeepsCompleteItems() throws {
        let data = Data(
            "<rss><channel><title>T</title><item><title>Ett</title></item><item><title>Två</title></item><item><title>Tr"
                .utf8)
        let feed = try FeedParser().parse(data)
        #expect(feed.items.map(\.title) == ["Ett", "Två"])
        #expect(
            feed.problems == [
                FeedProblem(
                    line: 1,
                    message:
                        "not well-formed XML (Premature end of data in tag title line 1); kept the 2 items it could read"
                )
            ])
    }

    @Test func itemsAreHandedOutInBatchesWhileTheParseGoesOn() throws {
        let items = (0..<10).map { "<item><title>\($0)</title></item>" }.joined()
        var batches: [[String]] = []
        let feed = try FeedParser().parse(
            Data("<rss><channel>\(items)</channel></rss>".utf8), batchSize: 4,
            onItems: { batches.append($0.map(\.title)) })
        #expect(batches == [["0", "1", "2", "3"], ["4", "5", "6", "7"]])
        #expect(feed.items.map(\.title) == ["8", "9"])
    }

    @Test(arguments: 0..<17)
    func controlCharactersAndMarkupAreFoundAtAnyOffsetInALongRun(offset: Int) throws {
        let before = String(repeating: "a", count: offset)
        let after = String(repeating: "b", count: 20)
        let data = Data(
            """
            <rss><channel><item><title>\(before)&amp;\(after)</title>\
            <description><![CDATA[\(before)\u{1}\(after)]]></description><category>\(before)\u{2}\(after)</category>\
            </item></channel></rss>
            """.utf8)
        let feed = try FeedParser().parse(data)
        #expect(feed.items.map(\.title) == [before + "&" + after])
        #expect(feed.items.first?.summaryHTML == before + after)
        #expect(feed.items.first?.categories == [before + after])
        #expect(feed.problems.map(\.message) == ["removed 2 control characters XML forbids"])
    }

    @Test func aMismatchedEndTagIsReportedAndTheItemsAfterItAreKept() throws {
        let data = Data(
            """
            <rss><channel><title>T</title>
            <item><title>Ett</title></item>
            <item><title>Två</foo></item>
            <item><title>Tre</title></item>
            </channel></rss>
            """.utf8)
        let feed = try FeedParser().parse(data)
        #expect(feed.items.map(\.title) == ["Ett", "Två", "Tre"])
        #expect(
            feed.problems == [
                FeedProblem(
                    line: 3,
                    message:
                        "not well-formed XML (Opening and ending tag mismatch: title line 3 and foo); kept the 3 items it could read"
                )
            ])
    }

    @Test func anUndeclaredPrefixIsReadAsPartOfTheName() throws {
        let data = Data("<rss><channel><item><title>Ett</title><x:note>1</x:note></item></channel></rss>".utf8)
        let feed = try FeedParser().parse(data)
        #expect(feed.items.map(\.title) == ["Ett"])
        #expect(feed.items[0].elements["x:note"] == "1")
        #expect(feed.problems.isEmpty)
    }

    @Test func httpCharsetOnlyWhenTheDocumentDeclaresNone() throws {
        let latin1 = Data("<rss><channel><item><title>Sm\u{F6}rg\u{E5}s</title></item></channel></rss>".utf8)
        let bytes = Data(String(decoding: latin1, as: UTF8.self).data(using: .isoLatin1) ?? Data())
        #expect(try FeedParser().parse(bytes, contentTypeCharset: "ISO-8859-1").items[0].title == "Smörgås")
        // Without any declaration the invalid UTF-8 is re-read as Windows-1252 and reported.
        let fallback = try FeedParser().parse(bytes)
        #expect(fallback.items[0].title == "Smörgås")
        #expect(
            fallback.problems.map(\.description) == [
                "line 1: the document is not valid utf-8; read it as windows-1252 instead"
            ])
        // A declaration wins over a wrong HTTP charset.
        let declared = try FeedParser().parse(Fixture.data("rss2-iso-8859-1.xml"), contentTypeCharset: "us-ascii")
        #expect(declared.items[0].title == "Ökad export från Dalarna")
    }

    @Test func byteOrderMarks() throws {
        let utf8 = Data([0xEF, 0xBB, 0xBF]) + rss("<item><title>Å</title></item>")
        #expect(try FeedParser().parse(utf8).items[0].title == "Å")
        let text = String(
            decoding: rss("<item><title>Ä</title></item>", prolog: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
            as: UTF8.self)
        let utf16 = Data([0xFF, 0xFE]) + (text.data(using: .utf16LittleEndian) ?? Data())
        #expect(try FeedParser().parse(utf16).items[0].title == "Ä")
    }

    @Test func controlCharactersAndBadReferences() throws {
        let feed = try FeedParser().parse(rss("<item><title>A\u{01}B &#0; &#x1F; C</title></item>"))
        #expect(feed.items[0].title == "AB \u{FFFD} \u{FFFD} C")
        #expect(
            feed.problems.map(\.message) == [
                "removed 1 control character XML forbids", "replaced 2 character references XML forbids",
            ])
    }

    @Test func entitiesInsideCDATAAreLeftAlone() throws {
        let feed = try FeedParser().parse(
            rss("<item><title>x</title><description><![CDATA[a &nbsp; & b]]></description></item>"))
        #expect(feed.items[0].summaryHTML == "a &nbsp; & b")
        #expect(feed.problems.isEmpty)
    }

    @Test func declaredEntitiesAreNotRewritten() throws {
        let data = Data(
            "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY own \"x\">]><rss><channel><item><title>a&own;b</title></item></channel></rss>"
                .utf8)
        let feed = try FeedParser().parse(data)
        #expect(feed.items.count == 1)
        #expect(feed.problems.isEmpty)
    }

    @Test func unreadableDatesStayEmptyAndAreReported() throws {
        let feed = try FeedParser().parse(rss("<item><title>x</title><pubDate>igår</pubDate></item>"))
        #expect(feed.items[0].published == nil)
        #expect(feed.problems.map(\.message) == ["unreadable date in <pubDate>: \"igår\"; left empty"])
    }

    @Test func itemLimit() throws {
        let items = (1...5).map { "<item><title>\($0)</title></item>" }.joined()
        let feed = try FeedParser(limits: FeedLimits(maximumItems: 3)).parse(rss(items))
        #expect(feed.items.map(\.title) == ["1", "2", "3"])
        #expect(feed.problems.map(\.message) == ["more than 3 items; the rest are ignored"])
    }

    @Test func unescapedHTMLInDescriptionIsKeptAsMarkup() throws {
        let feed = try FeedParser().parse(
            rss("<item><title>x</title><description><p>Hej <br/>där</p></description></item>"))
        #expect(feed.items[0].summaryHTML == "<p>Hej <br>där</p>")
    }

    @Test func permalinkGuidStandsInForAMissingLink() throws {
        let feed = try FeedParser().parse(
            rss(
                "<item><title>a</title><guid>https://example.se/a</guid></item>"
                    + "<item><title>b</title><guid isPermaLink=\"false\">https://example.se/b</guid></item>"))
        #expect(feed.items.map(\.link) == [URL(string: "https://example.se/a"), nil])
        #expect(feed.items.map(\.id) == ["https://example.se/a", "https://example.se/b"])
    }

    @Test func atomLinkInsideRSS() throws {
        let data = Data(
            """
            <rss xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>
            <atom:link rel="self" href="https://example.se/feed.xml"/>
            <item><title>a</title><atom:link rel="self" href="https://example.se/self"/>
            <atom:link rel="alternate" href="/a"/><atom:updated>2024-12-05T10:00:00Z</atom:updated></item>
            </channel></rss>
            """.utf8)
        let feed = try FeedParser().parse(data, baseURL: URL(string: "https://example.se/feed.xml"))
        #expect(feed.link == nil)
        #expect(feed.items[0].link == URL(string: "https://example.se/a"))
        #expect(feed.items[0].updated == Fixture.date("2024-12-05T10:00:00Z"))
        #expect(feed.items[0].elements["atom:updated"] == "2024-12-05T10:00:00Z")
    }

    @Test func formatHintMismatchIsReported() throws {
        let feed = try FeedParser().parse(rss("<item><title>x</title></item>"), format: .atom)
        #expect(feed.format == .rss)
        #expect(feed.problems.map(\.message) == ["expected atom but the document is rss"])
    }

    @Test func everyFixtureParsesWithoutThrowing() throws {
        #expect(Fixture.allNames.count >= 14)
        for name in Fixture.allNames {
            let feed = try FeedParser().parse(Fixture.data(name))
            #expect(!feed.items.isEmpty, "\(name)")
        }
    }

    @Test func largeFeedStreams() throws {
        var text =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Stor</title>\n"
        let body = String(repeating: "<p>Lorem ipsum dolor sit amet &amp; mer text.</p>", count: 60)
        var count = 0
        while text.utf8.count < 21_000_000 {
            count += 1
            text += "<item><title>Nyhet \(count) &mdash; test</title><link>https://example.se/\(count)</link>"
            text += "<guid>id-\(count)</guid><pubDate>Tue, 3 Dec 2024 10:00:00 +0100</pubDate>"
            text +=
                "<description><![CDATA[\(body)]]></description><content:encoded><![CDATA[\(body)]]></content:encoded></item>\n"
        }
        text += "</channel></rss>"
        let clock = ContinuousClock()
        var feed: Feed?
        let elapsed = try clock.measure { feed = try FeedParser().parse(Data(text.utf8)) }
        #expect(feed?.items.count == count)
        #expect(feed?.items.last?.title == "Nyhet \(count) — test")
        #expect(feed?.items.last?.published == Fixture.date("2024-12-03T09:00:00Z"))
        // Release builds take well under a second; debug builds are several times slower.
        #expect(elapsed < .seconds(20), "parsing 21 MB took \(elapsed)")
        print("large feed: \(count) items, \(text.utf8.count) bytes in \(elapsed)")
    }
}
