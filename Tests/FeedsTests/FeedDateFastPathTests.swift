import DigestTesting
import Foundation
import Testing

@testable import Feeds

/// The byte-level reader of the canonical RFC 1123 form against the general RFC 822 reader it stands in front of.
@Suite struct FeedDateFastPathTests {
    private static let utc = TimeZone(secondsFromGMT: 0)!

    @Test(arguments: [
        "Mon, 30 Nov 2026 09:00:00 +0000", "30 Nov 2026 09:00:00 +0000", "Tue, 3 Dec 2024 10:00 GMT",
        "tis, 3 maj 2024 10:00:00 +0200", "Fri, 01 Jan 2027 23:59:59 -0530", "Sun, 29 Feb 2032 00:00:00 Z",
        "Wed, 04 Dec 2024 10:00:00 UT", "Wed, 04 DEC 2024 10:00:00 utc", "Thu, 05 Dec 2024 24:00:00 +1400",
    ])
    func readsTheCanonicalForm(text: String) throws {
        let fast = try #require(FeedDate.canonicalRFC1123(text))
        #expect(fast == FeedDate.parseRFC822(text, timeZone: Self.utc))
    }

    @Test(arguments: [
        "Mon, 30 Nov 26 09:00:00 +0000", "Mon 30 Nov 2026 09:00:00 +0000", "Mon, 30 Nov 2026 9:00:00 +0000",
        "Mon, 30 Nov 2026 09:00:00.5 +0000", "Mon, 30 Nov 2026 09:00:00 CEST", "Mon, 30 Nov 2026 09:00:00 +01:00",
        "Mon, 30 Nov 2026", "Mon, 30 November 2026 09:00:00 +0000", "Mon, 31 Nov 2026 09:00:00 +0000",
        "Mon, 30 Nov 2026 09:00:00 +1500", "Mon, 30 Nov 2026 09:00:00 +0060", "Mon, 300 Nov 2026 09:00:00 +0000",
        "Dec 3, 2024 2:05:00 PM GMT", "Mon, 30 Nov 2026 09:00:00 +0000 ", "Xyz, 30 Nov 2026 09:00:00 +0000",
    ])
    func leavesEveryOtherFormToTheGeneralReader(text: String) {
        let fast = FeedDate.canonicalRFC1123(text)
        #expect(fast == nil || fast == FeedDate.parseRFC822(text, timeZone: Self.utc))
        #expect(
            FeedDate.parse(text, timeZone: Self.utc) == FeedDate.parseRFC822(text.trimmedWhitespace, timeZone: Self.utc)
        )
    }

    @Test func randomVariantsReadAlike() {
        var generator = SplitMix64(seed: 1123)
        let pieces: [[String]] = [
            ["", "Mon, ", "mon, ", "Tis, ", "Fri,", "Mon ", "Foo, "],
            ["1", "01", "9", "29", "30", "31", "00", "123"],
            [" "],
            ["Jan", "feb", "MAR", "Maj", "okt", "Sept", "Dec", "Xyz"],
            [" "],
            ["2024", "2032", "24", "0000", "99999"],
            [" "],
            ["00:00", "09:00:00", "23:59:59", "24:00", "25:00", "9:00", "09:60", "09:00:61", "09:00:00.5"],
            [" +0000", " -0130", " +1400", " +1500", " +0099", " GMT", " ut", " Z", " CEST", " +01:00", "", " PM"],
        ]
        var read = 0
        for _ in 0..<5000 {
            let text = pieces.map { $0.randomElement(using: &generator)! }.joined()
            let fast = FeedDate.canonicalRFC1123(text)
            if fast != nil { read += 1 }
            #expect(fast == nil || fast == FeedDate.parseRFC822(text, timeZone: Self.utc), "\(text)")
        }
        #expect(read > 100)  // the fast path was taken, not only declined
    }
}
