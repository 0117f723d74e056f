import Feeds
import Foundation
import Testing

@Suite struct HTMLSanitizerTests {
    let base = URL(string: "https://bas.se/dir/")

    @Test func nestingPastLibxml2sLimitKeepsItsTextEscaped() {
        let deep = String(repeating: "<div>", count: 400) + "djupt &lt;b&gt;" + String(repeating: "</div>", count: 400)
        #expect(HTMLSanitizer.sanitize("<p>Före</p>" + deep, baseURL: base) == "Före djupt &lt;b&gt;")
    }

    @Test func keepsTheSafeSubset() {
        let html =
            "<p>Första <strong>fet</strong> <em>kursiv</em></p><ul><li>Ett</li></ul><ol><li>Två</li></ol>"
            + "<blockquote>citat</blockquote>"
        #expect(HTMLSanitizer.sanitize(html, baseURL: base) == html)
    }

    @Test func removesDangerousContentAndAttributes() {
        let html =
            "<h2>Rubrik</h2><p onclick=\"x()\" style=\"c\">Text <a href=\"/rel\" target=_blank>rel</a> "
            + "<a href=\"javascript:alert(1)\">js</a> <img src=x.png> <iframe src=y>z</iframe><span>s</span></p>"
            + "<script>alert('x')</script><style>p{color:red}</style><object>o</object>"
        #expect(
            HTMLSanitizer.sanitize(html, baseURL: base)
                == "<p><strong>Rubrik</strong></p><p>Text <a href=\"https://bas.se/rel\">rel</a> js s</p>")
    }

    @Test func escapesTextAndLinks() {
        let html = "<p>a &lt;b&gt; &amp; <a href=\"https://x.se/?a=1&amp;b=&quot;2&quot;\">l</a></p>"
        #expect(
            HTMLSanitizer.sanitize(html, baseURL: nil)
                == "<p>a &lt;b&gt; &amp; <a href=\"https://x.se/?a=1&amp;b=%222%22\">l</a></p>")
    }

    @Test func formsAndUnknownBlocks() {
        #expect(HTMLSanitizer.sanitize("<div>a</div><div>b</div>", baseURL: nil) == "a<br>b")
        #expect(HTMLSanitizer.sanitize("<form><input name=x>hemligt</form>ok", baseURL: nil) == "ok")
        #expect(
            HTMLSanitizer.sanitize("<a href=\"mailto:info@x.se\">mejla</a>", baseURL: nil)
                == "<a href=\"mailto:info@x.se\">mejla</a>")
        #expect(HTMLSanitizer.sanitize("", baseURL: nil) == "")
    }
}
