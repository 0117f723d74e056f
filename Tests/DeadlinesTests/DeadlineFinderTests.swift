import Deadlines
import DigestTesting
import Feeds
import Foundation
import Testing

@Suite struct DeadlineFinderTests {
    let finder = DeadlineFinder(timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current)

    @Test(arguments: [
        ("Sista ansökningsdag: 2027-01-15", "2027-01-15T22:59:59Z"),
        ("Ansök senast 15 januari 2027", "2027-01-15T22:59:59Z"),
        ("Stänger 19 mars 2027 kl. 14.00", "2027-03-19T13:00:00Z"),
        ("Stängd 19 mars 2024", "2024-03-19T22:59:59Z"),
        ("Deadline: 15 Jan 2027", "2027-01-15T22:59:59Z"),
        ("Du kan söka t.o.m. 31 maj 2027.", "2027-05-31T21:59:59Z"),
        ("Ansök senast 15 sept. 2027 klockan 12", "2027-09-15T10:00:00Z"),
        ("Applications close on January 15, 2027 at 17:00", "2027-01-15T16:00:00Z"),
        ("Sista ansökningsdag är 15/1 2027", "2027-01-15T22:59:59Z"),
        ("Sista ansökningsdag: 15.01.2027 kl 16:00", "2027-01-15T15:00:00Z"),
        ("<p>Erbjudandet i korthet.</p><p>Sista ansökningsdag: <b>2027-06-30</b></p>", "2027-06-30T21:59:59Z"),
    ])
    func findsTheDeadline(text: String, expected: String) {
        let match = finder.find(in: text)
        #expect(match.deadline == utc(expected))
        #expect(match.allDeadlines == [utc(expected)])
    }

    @Test func openingAndDeadline() {
        let match = finder.find(in: "Öppnar 1 februari 2027. Stänger 19 mars 2027 kl. 14.00.")
        #expect(match.opens == utc("2027-01-31T23:00:00Z"))
        #expect(match.deadline == utc("2027-03-19T13:00:00Z"))
        #expect(match.deadlineHasTime)
    }

    @Test func rangeBorrowsTheYear() {
        let match = finder.find(in: "Ansökningsperiod: 1 februari–15 mars 2027.")
        #expect(match.opens == utc("2027-01-31T23:00:00Z"))
        #expect(match.deadline == utc("2027-03-15T22:59:59Z"))
    }

    @Test func missingYearUsesTheReferenceDate() {
        let reference = utc("2026-11-20T12:00:00Z")
        #expect(
            finder.find(in: "Ansök senast 15 januari", referenceDate: reference).deadline
                == utc("2027-01-15T22:59:59Z"))
        #expect(finder.find(in: "Ansök senast 15 januari").deadline == nil)
    }

    @Test func publicationDatesAreNeverDeadlines() {
        #expect(finder.find(in: "Publicerad 2026-11-18").deadline == nil)
        #expect(finder.find(in: "Senaste nytt 2027-01-01 om stöd").deadline == nil)
        #expect(finder.find(in: "Tue, 3 Dec 2024 10:00:00 +0100").deadline == nil)
        let match = finder.find(in: "Sista ansökningsdag: se nedan.\nPublicerad 2026-11-18")
        #expect(match.deadline == nil)
        let both = finder.find(in: "Publicerad 2026-11-18. Ansök senast 15 januari 2027.")
        #expect(both.allDeadlines == [utc("2027-01-15T22:59:59Z")])
    }

    @Test func extraPhrases() {
        let custom = DeadlineFinder(
            timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current, extraDeadlinePhrases: ["Inlämning"],
            extraOpeningPhrases: ["Start"])
        let match = custom.find(in: "Start 2027-02-01, inlämning 2027-04-01")
        #expect(match.opens == utc("2027-01-31T23:00:00Z"))
        #expect(match.deadline == utc("2027-04-01T21:59:59Z"))
        #expect(finder.find(in: "Inlämning 2027-04-01").deadline == nil)
    }

    @Test func budgetsAndRollingCalls() {
        #expect(finder.find(in: "Ni kan söka upp till 2 mkr per projekt.").budgetPhrases == ["upp till 2 mkr"])
        #expect(finder.find(in: "Budget: 10 miljoner kronor.").budgetPhrases == ["Budget: 10 miljoner kronor"])
        #expect(
            finder.find(in: "Stöd om högst 500 000 kr och totalt 1,5 MSEK").budgetPhrases == [
                "högst 500 000 kr", "totalt 1,5 MSEK",
            ])
        #expect(finder.find(in: "Utlysningen är löpande.").isRolling)
        #expect(finder.find(in: "Stänger 2027-01-01").isRolling == false)
        #expect(finder.find(in: "").deadline == nil)
    }

    @Test("a rolling phrase is found anywhere in a text, whatever its case, on 20,000 random texts")
    func rollingPhrasesAnywhere() {
        var generator = SplitMix64(seed: 2027)
        let pieces = [
            "löpande", "LÖPANDE", "Löpand", "rolling basis", "Rolling\u{A0}Basis", "rolling", "basis", "continuous",
            "Continu", "kontinuerligt", "kontinuerlig", "l", "r", "c", "k", "ö", "a", " ", "\n", "•", "2027-01-15",
        ]
        let phrases = ["löpande", "rolling basis", "continuous", "kontinuerligt"]
        var rolling = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...14, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            let lowered = text.lowercased().replacingOccurrences(of: "\u{A0}", with: " ")
            let expected = phrases.contains { lowered.contains($0) }
            if expected { rolling += 1 }
            #expect(finder.find(inPlainText: text).isRolling == expected, "\(text)")
        }
        #expect(rolling > 2_000)
    }
}

/// The instant an RFC 3339 UTC text names.
private func utc(_ iso: String) -> Date {
    ISO8601DateFormatter().date(from: iso) ?? .distantPast
}
