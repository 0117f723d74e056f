import DigestTesting
import Foundation
import Testing

@testable import DigestKit

@Suite("Rendering helpers")
struct RenderingTests {
    func strings(_ language: Language) throws -> Strings {
        try Strings.load(
            from: TestSupport.root.appendingPathComponent("templates/strings"),
            language: language,
            displayBase: TestSupport.root
        )
    }

    @Test("dates read the Swedish way and the English way, independent of the machine's locale")
    func dates() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Stockholm"))
        let start = try #require(TimeArgument.parse("2026-12-08 09:00", timeZone: zone))
        let end = try #require(TimeArgument.parse("2026-12-08 11:30", timeZone: zone))
        let swedish = DateText(strings: try strings(.sv), timeZone: zone)
        #expect(swedish.span(start: start, end: end, allDay: false) == "tisdag 8 december kl. 09.00–11.30")
        let english = DateText(strings: try strings(.en), timeZone: zone)
        #expect(english.span(start: start, end: end, allDay: false) == "Tuesday 8 December 09:00–11:30")
        let day = try #require(TimeArgument.parse("2026-12-17", timeZone: zone))
        let next = try #require(TimeArgument.parse("2026-12-18", timeZone: zone))
        let third = try #require(TimeArgument.parse("2026-12-19", timeZone: zone))
        #expect(swedish.span(start: day, end: next, allDay: true) == "torsdag 17 december")
        #expect(swedish.span(start: day, end: third, allDay: true) == "torsdag 17 december – fredag 18 december")
        #expect(swedish.week(start) == (50, 2026))
        let deadline = try #require(TimeArgument.parse("2027-03-19 14:00", timeZone: zone))
        #expect(swedish.deadline(deadline, hasTime: true) == "19 mars 2027 kl. 14.00")
        #expect(english.deadline(deadline, hasTime: true) == "19 March 2027, 14:00")
        #expect(swedish.deadline(deadline, hasTime: false) == "19 mars 2027")
        let tenth = try #require(TimeArgument.parse("2026-12-10 23:59", timeZone: zone))
        let seventeenth = try #require(TimeArgument.parse("2026-12-17 23:59", timeZone: zone))
        #expect(
            swedish.deadlineChange(from: tenth, to: seventeenth, afterHasTime: false, none: "ingen")
                == "10 → 17 december 2026")
        #expect(
            english.deadlineChange(from: tenth, to: deadline, afterHasTime: true, none: "none")
                == "10 December 2026 → 19 March 2027, 14:00")
        #expect(
            swedish.deadlineChange(from: nil, to: tenth, afterHasTime: false, none: "ingen")
                == "ingen → 10 december 2026")
        #expect(swedish.list(["Almi"]) == "Almi")
        #expect(swedish.list(["Almi", "Coompanion", "Vinnova"]) == "Almi, Coompanion och Vinnova")
        #expect(english.list(["Almi", "Vinnova"]) == "Almi and Vinnova")
    }

    @Test("text wraps at 72 columns, keeps indentation and never breaks a URL")
    func wrapping() {
        let url = "https://www.example.se/" + String(repeating: "a", count: 80)
        let text = "  " + String(repeating: "ord ", count: 30) + url
        let wrapped = TextWrapper(width: 72).wrap(text)
        let lines = wrapped.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 72 || $0.contains("https://") })
        #expect(lines.allSatisfy { $0.hasPrefix("  ") })
        #expect(lines.last.map(String.init) == "  " + url)
    }

    @Test("wrapping by bytes (Latin text) and by characters (anything else) breaks the same lines the same way")
    func wrappingPaths() {
        // A reference wrapper on Characters; the byte path must agree with it on text below U+0300, and the
        // character path on text with combining marks and other scripts.
        func reference(_ line: String, width: Int) -> String {
            guard line.count > width else { return line }
            let indent = String(line.prefix { $0 == " " })
            var lines: [String] = []
            var current = indent
            for word in line.dropFirst(indent.count).split(separator: " ") {
                if current == indent {
                    current += word
                } else if current.count + 1 + word.count <= width {
                    current += " " + word
                } else {
                    lines.append(current)
                    current = indent + word
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }
        var random = SystemRandomNumberGenerator()
        let alphabets = [Array("abcdeåäöÅÄÖé·–  "), Array("abc e\u{301}ñ漢字 🇸🇪 ")]
        for alphabet in alphabets {
            for _ in 0..<500 {
                let indent = String(repeating: " ", count: Int.random(in: 0...4, using: &random))
                let body = String((0..<Int.random(in: 0...200, using: &random)).map { _ in alphabet.randomElement()! })
                let line = indent + body
                #expect(TextWrapper(width: 40).wrap(line) == reference(line, width: 40), "\(line.debugDescription)")
            }
        }
    }

    @Test("ISO week ids follow the newsletter's zone")
    func weekID() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Stockholm"))
        #expect(IssueInfo.weekID(for: TestSupport.demoNow, timeZone: zone) == "2026-W49")
        let newYear = try #require(TimeArgument.parse("2027-01-01 10:00", timeZone: zone))
        #expect(IssueInfo.weekID(for: newYear, timeZone: zone) == "2026-W53")
    }

    @Test(
        "JSON strings: every escape written as the spec asks, and random text read back unchanged by JSONSerialization")
    func jsonStrings() throws {
        func encoded(_ text: String) -> String {
            var out: [UInt8] = []
            ItemJSON.append(string: text, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(encoded("a\"b\\c\n\r\t\u{01}\u{1F}") == #""a\"b\\c\n\r\t\u0001\u001f""#)
        #expect(encoded("x\u{2028}y\u{2029}z – €") == #""x\u2028y\u2029z – €""#)
        let pieces = ["a", "ö", "\"", "\\", "\n", "\u{0}", "\u{7}", "\u{2028}", "\u{2029}", "–", "€", "…", "😀", " "]
        var generator = SplitMix64(seed: 2028)
        for _ in 0..<2_000 {
            let count = Int(generator.next() % 40)
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let document = Data(("[" + encoded(text) + "]").utf8)
            let read = try #require(try JSONSerialization.jsonObject(with: document) as? [String])
            #expect(read == [text], "\(text.debugDescription)")
        }
    }

    @Test(
        "JSON lines use RFC 3339 with the zone's offset, dates for all-day events, null for missing values, and a status for events"
    )
    func json() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Stockholm"))
        var item = Item(id: "ev-1", kind: .event, source: "kal", title: "Möte \"A\"\n")
        let start = try #require(TimeArgument.parse("2026-12-08 09:00", timeZone: zone))
        item.start = start
        let line = ItemJSON(timeZone: zone).line(for: item)
        #expect(
            line
                == #"{"id":"ev-1","kind":"event","source":"kal","uid":null,"title":"Möte \"A\"\n","summary":"","url":null,"start":"2026-12-08T09:00:00+01:00","end":null,"allDay":false,"location":null,"organizer":null,"deadline":null,"topics":[],"regions":[],"status":"confirmed","published":null,"updated":null}"#
        )
        item.tentative = true
        #expect(
            ItemJSON(timeZone: zone).line(for: item).hasSuffix(
                #""status":"tentative","published":null,"updated":null}"#))
        item.cancelled = true
        #expect(ItemJSON(timeZone: zone).line(for: item).contains(#""status":"cancelled""#))
        var call = Item(id: "fu-1", kind: .funding, source: "flöde", title: "Stöd")
        call.published = start
        call.updated = start.addingTimeInterval(3_600)
        #expect(
            ItemJSON(timeZone: zone).line(for: call).hasSuffix(
                #""status":null,"published":"2026-12-08T09:00:00+01:00","updated":"2026-12-08T10:00:00+01:00"}"#))
        item.allDay = true
        item.end = item.start?.addingTimeInterval(86_400)
        #expect(ItemJSON(timeZone: zone).line(for: item).contains(#""start":"2026-12-08","end":"2026-12-09""#))
    }
}

@Suite("Summary shortening")
struct ShortenTests {
    @Test("whitespace collapses; text over the limit is cut at a word boundary with an ellipsis")
    func shorten() {
        #expect(DigestContext.shorten("  Ett\n\tkort   stöd  ", to: 300) == "Ett kort stöd")
        #expect(DigestContext.shorten("Stöd till små företag i Dalarna", to: 16) == "Stöd till små…")
        #expect(DigestContext.shorten("Stöd till", to: 9) == "Stöd till")
        #expect(DigestContext.shorten("Ordutanmellanslag", to: 5) == "Ordut…")
        let long = String(repeating: "ord ", count: 100_000)
        #expect(DigestContext.shorten(long, to: 10) == "ord ord…")
    }
}
