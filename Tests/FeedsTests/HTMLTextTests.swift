import Feeds
import Foundation
import Testing

@Suite struct HTMLTextTests {
    @Test func paragraphsBreaksListsAndLinks() {
        let html =
            "<p>Första stycket med <b>fet</b>&nbsp;text.</p><p>Andra<br>rad två</p><ul><li>Ett</li><li>Två</li></ul>"
            + "<p>Läs <a href=\"https://x.se/a\">mer</a> och <a href=\"https://x.se/b\">https://x.se/b</a></p>"
            + "<script>alert(1)</script><style>p{}</style>"
        #expect(
            HTMLText.plainText(html)
                == "Första stycket med fet text.\n\nAndra\nrad två\n\n• Ett\n• Två\n\nLäs mer <https://x.se/a> och https://x.se/b"
        )
    }

    @Test func entitiesAndWhitespace() {
        #expect(HTMLText.plainText("  Bara   text &amp; &auml;mne\n\n") == "Bara text & ämne")
        #expect(HTMLText.plainText("ingen markup") == "ingen markup")
        #expect(HTMLText.plainText("") == "")
    }

    @Test func relativeLinksUseTheBase() {
        let text = HTMLText.plainText("<a href=\"/x\">Läs</a>", baseURL: URL(string: "https://bas.se/dir/"))
        #expect(text == "Läs <https://bas.se/x>")
        #expect(HTMLText.plainText("<a href=\"mailto:a@b.se\">a@b.se</a>") == "a@b.se")
    }

    @Test func deepNestingKeepsItsText() {
        func nested(_ depth: Int) -> String {
            String(repeating: "<div>", count: depth) + "djupt <b>nere</b>" + String(repeating: "</div>", count: depth)
        }
        for depth in [10, 200] {
            #expect(HTMLText.plainText("<p>Före</p>" + nested(depth)) == "Före\n\ndjupt nere", "depth \(depth)")
        }
        // Past libxml2's depth limit the tree stops: the text is read from the markup instead, none of it lost.
        for depth in [300, 2000] {
            #expect(HTMLText.plainText(nested(depth)) == "djupt nere", "depth \(depth)")
            #expect(HTMLText.plainText("<p>Före</p>" + nested(depth)) == "Före djupt nere", "depth \(depth)")
        }
    }

    @Test func aMailLinkWithOtherTextKeepsItsAddress() {
        #expect(HTMLText.plainText("<a href=\"mailto:a@b.se\">Mejla oss</a>") == "Mejla oss <mailto:a@b.se>")
        #expect(HTMLText.plainText("<pre>  två\n  rader</pre><p>sen</p>") == "två\n  rader\n\nsen")
    }

    @Test func brokenMarkupStillGivesText() {
        #expect(HTMLText.plainText("<p>öppen <b>fet <i>kursiv</p> slut") == "öppen fet kursiv\n\nslut")
        #expect(HTMLText.plainText("5 < 6 & 7 > 3") == "5 < 6 & 7 > 3")
    }
}
