import Feeds
import Foundation
import Testing

/// Documents in UTF-16 and UTF-32 (with and without byte-order mark) and in the legacy charsets feeds declare,
/// decoded to the same text (XML 1.0 section 4.3.3 and Appendix F).
@Suite struct EncodingTests {
    static let swedish = "Företagsstöd – Dalarna"

    func parse(_ name: String, charset: String? = nil) throws -> Feed {
        try FeedParser().parse(Fixture.data("encoding/" + name), contentTypeCharset: charset)
    }

    @Test(arguments: [
        "utf-16le-bom.xml", "utf-16be-bom.xml", "utf-32le-bom.xml", "utf-32be-bom.xml", "utf-32be-no-bom.xml",
        "utf-16le-no-bom-comment.xml",
    ])
    func wideUnicode(file: String) throws {
        let feed = try parse(file)
        #expect(feed.title == Self.swedish)
        #expect(feed.items.map(\.title) == [Self.swedish])
        #expect(feed.items.map(\.id) == ["enc-1"])
        #expect(feed.problems.isEmpty)
    }

    @Test(arguments: [
        ("koi8-r.xml", "Гранты для бизнеса"),
        ("windows-1251.xml", "Гранты для бизнеса"),
        ("shift_jis.xml", "中小企業の助成金"),
        ("big5.xml", "中小企業補助"),
        ("iso-8859-2.xml", "Dotacje dla firm: źródło łąka"),
        ("windows-1250.xml", "Dotacje dla firm: źródło łąka"),
        ("euc-kr.xml", "중소기업 지원금"),
        ("gb2312.xml", "中小企业补助"),
    ])
    func declaredCharset(file: String, title: String) throws {
        let feed = try parse(file)
        #expect(feed.items.map(\.title) == [title])
        #expect(feed.problems.isEmpty)
    }

    @Test func httpCharsetWhenTheDocumentDeclaresNone() throws {
        #expect(try parse("koi8-r-undeclared.xml", charset: "KOI8-R").items.map(\.title) == ["Гранты для бизнеса"])
        // The declaration wins over the HTTP header (the bytes say what they are).
        #expect(try parse("koi8-r.xml", charset: "iso-8859-1").items.map(\.title) == ["Гранты для бизнеса"])
    }

    @Test func anUnknownCharsetIsReportedWithoutItsControlCharacters() throws {
        let feed = try parse("unknown-charset.xml")
        #expect(feed.items.map(\.title) == ["Plain ASCII"])
        #expect(
            feed.problems.map(\.description) == [
                "unsupported encoding \"x-no-such?charset\"; read the document as UTF-8"
            ])
    }

    @Test func bytesInvalidInTheCharsetBecomeReplacementCharacters() throws {
        // 0xFF 0xFF is no Shift_JIS character.
        var bytes = Array("<?xml version=\"1.0\" encoding=\"shift_jis\"?>\n<rss><channel><item><title>a".utf8)
        bytes += [0xFF, 0xFF]
        bytes += Array("b</title></item></channel></rss>".utf8)
        let feed = try FeedParser().parse(Data(bytes))
        #expect(feed.items.map(\.title) == ["a\u{FFFD}\u{FFFD}b"])
        #expect(
            feed.problems.map(\.description) == ["line 2: replaced 2 byte sequences not valid in shift_jis with U+FFFD"]
        )
    }

    @Test func theHeadOfAWideDocumentIsReadAsText() throws {
        let head = DocumentHead.text(of: try Fixture.data("encoding/utf-32be-no-bom.xml"), maximumBytes: 5)
        #expect(head == "<?xml")
        #expect(!head.unicodeScalars.contains("\u{0}"))
    }
}
