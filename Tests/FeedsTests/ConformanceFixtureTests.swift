import Feeds
import Foundation
import Testing

/// The classes of feeds that feedparser's own corpus showed this module reading wrongly (issue 19), each on a
/// small fixture of ours: RSS in UserLand's namespace, text only in extension elements, scripts in titles,
/// internal DTD entities, and Atom's base64 text.
@Suite struct ConformanceFixtureTests {
    func parse(_ name: String) throws -> Feed {
        try FeedParser().parse(Fixture.data(name), baseURL: URL(string: "https://feed.example.se/"))
    }

    @Test func rss2InUserLandsNamespace() throws {
        let feed = try parse("rss2-userland-namespace.xml")
        #expect(feed.format == .rss)
        #expect(feed.title == "Namnrymd")
        #expect(feed.link == URL(string: "https://example.se/"))
        #expect(feed.items.count == 1)
        #expect(feed.items.first?.title == "Innovationscheckar 2027")
        #expect(feed.items.first?.link == URL(string: "https://example.se/checkar"))
        #expect(feed.items.first?.id == "userland-1")
        #expect(feed.items.first?.published == Fixture.date("2024-12-03T09:00:00Z"))
        #expect(feed.problems.isEmpty)
    }

    @Test func textOnlyInExtensionElementsIsKept() throws {
        let feed = try parse("conformance/rss2-fallback-fields.xml")
        #expect(feed.problems.isEmpty)
        #expect(feed.items.count == 6)
        let items = feed.items
        #expect(items[0].summaryHTML == "Bara dc:description")
        #expect(items[1].contentHTML == "<p>Bara <b>xhtml:body</b></p>")
        #expect(items[2].summaryHTML == "Bara itunes:summary")
        #expect(items[3].summaryHTML == "Bara media:description")
        #expect(items[4].title == "Bara media:title")
        // Fallbacks only: an item's own title and description win.
        #expect(items[5].title == "Egen titel")
        #expect(items[5].summaryHTML == "Egen beskrivning")
    }

    @Test func scriptsAndStylesAreNotTitleText() throws {
        let feed = try parse("rss2-script-in-title.xml")
        #expect(feed.items.map(\.title) == ["safe description", "Seminarium i Falun"])
    }

    @Test func internalEntitiesAreExpandedAndExternalOnesNeverRead() throws {
        let feed = try parse("conformance/rss2-internal-entities.xml")
        #expect(feed.title == "Region Dalarna")
        #expect(feed.items.count == 1)
        #expect(feed.items[0].title == "Stöd från Region Dalarna")
        #expect(feed.items[0].id == "tag:example.se,2026:item-1")
        #expect(feed.items[0].summaryHTML == "Läs &secret; här")
        #expect(
            feed.problems.map(\.description) == [
                "line 2: kept references to external entities as text (&secret;); they are never read"
            ])
    }

    @Test func entityExpansionIsBounded() throws {
        let started = Date()
        let feed = try parse("conformance/rss2-billion-laughs.xml")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(feed.items.map(\.id) == ["loop", "laughs"])
        // The entity that refers to itself is cut at the depth bound; the laughs stop at 1 MiB of "lol".
        #expect(feed.items[0].title == "Efter " + String(repeating: "x", count: 16))
        // The budget is the document's: the 16 "x" above count too.
        #expect(feed.items[1].title.utf8.count == (1 << 20) - 16)
        #expect(feed.items[1].title.hasPrefix("lollollol"))
        #expect(
            feed.problems.map(\.description) == [
                "line 2: entity &loop; nests more than 16 deep; left out the deeper text",
                "line 2: the document's entities expand to more than 1048576 bytes or 1000000 references; the rest left out",
            ])
    }

    @Test func atomBase64TextIsDecoded() throws {
        let feed = try parse("conformance/atom-base64.xml")
        #expect(feed.items.count == 2)
        // A media type that is neither text nor XML: base64 of that type, here read as text (RFC 4287 4.1.3.3).
        #expect(feed.items[0].title == "Företagsstöd <b>2027</b>")
        #expect(feed.items[0].contentHTML == "&lt;p&gt;Innehåll&lt;/p&gt;")
        // XHTML: markup out, escaped text stays text.
        #expect(feed.items[1].title == "Om <blink> och fet text")
        #expect(feed.items[1].contentHTML == nil)
        #expect(
            feed.problems.map(\.description) == [
                "line 14: <content> (image/png) is not base64 of UTF-8 text; left out"
            ])
    }

    @Test func atom03Base64Mode() throws {
        let feed = try parse("conformance/atom03-base64.xml")
        #expect(feed.items.map(\.title) == ["History of the <blink> tag"])
        #expect(feed.items.first?.summaryHTML == "<b>Kort</b> text")
        #expect(feed.problems.isEmpty)
    }

    @Test func microsoftCDF() throws {
        let cdf = """
            <CHANNEL HREF="https://example.se/">
              <TITLE>Kanal</TITLE>
              <ITEM HREF="https://example.se/ett"><TITLE>Första</TITLE><ABSTRACT>Kort text</ABSTRACT></ITEM>
            </CHANNEL>
            """
        let feed = try FeedParser().parse(Data(cdf.utf8))
        #expect(feed.format == .rss)
        #expect(feed.title == "Kanal")
        #expect(feed.items.map(\.title) == ["Första"])
        #expect(feed.items.map(\.link) == [URL(string: "https://example.se/ett")])
        #expect(feed.items.map(\.summaryHTML) == ["Kort text"])
        #expect(feed.problems.isEmpty)
    }

    @Test func upperCaseHexReferences() throws {
        let xml = "<rss><channel><item><title>&#X41;&#x42;&#67;</title></item></channel></rss>"
        let feed = try FeedParser().parse(Data(xml.utf8))
        #expect(feed.items.map(\.title) == ["ABC"])
        #expect(feed.problems.isEmpty)
    }
}
