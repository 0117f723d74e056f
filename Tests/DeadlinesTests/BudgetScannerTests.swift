import Deadlines
import DigestTesting
import Feeds
import Foundation
import Testing

/// The budget scanner reads what the regular expression it replaced read: compared on the phrases people write and
/// on many texts drawn at random from the pieces of the pattern.
@Suite struct BudgetScannerTests {
    let finder = DeadlineFinder(timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current)

    @Test(arguments: [
        "Ni kan söka upp till 2 mkr per projekt.", "Budget: 10 miljoner kronor.", "Budgeten för utlysningen är: 5 MSEK",
        "Stöd om högst 500 000 kr och totalt 1,5 MSEK", "max. 300 000 kronor", "Maximalt 1.500.000 SEK", "ca 2 meur",
        "upp till 1234 kr", "12 345 6789 kr", "5 miljoner kronorna", "10 krona", "2 000\u{00A0}000 €", "cirka 3,25 Mkr",
        "up to 4 million euro", "3 million eurodollars", "budget är 7 tkr", "1,5kr och 1,5 kr", "kr 500", "",
        "HÖGST 20 000 KR", "Mupp till 5 kr", "1 000, 2 000 kr", "totalt  \t 90 euro.", "٣ kr",
    ])
    func readsLikeThePattern(text: String) {
        #expect(finder.find(in: text).budgetPhrases == Self.reference(text), "\(text)")
    }

    @Test func randomTextsReadLikeThePattern() {
        let pieces = [
            "upp till", "högst", "Högst", "maximalt", "max", ".", ",", ":", "totalt", "cirka", "ca", "up to", "budget",
            "Budget", "en", " för utlysningen", " är", " ", " ", "\u{00A0}", "\t", "\n", "1", "12", "123", "1234",
            "000",
            "5", "mkr", "MKR", "msek", "mnkr", "tkr", "miljoner", " kronor", " euro", "miljon", "miljarder", "kronor",
            "kr", "sek", "meur", "eur", "o", "million", "€", "a", "ö", "x",
            " och en lång rad ord utan siffror, som en beskrivning har dem ",
        ]
        var generator = SplitMix64(seed: 2026)
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 30) + 1
            let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let found = finder.find(in: text).budgetPhrases
            let expected = Self.reference(text)
            #expect(found == expected, "\(text.debugDescription)")
            if found != expected { return }
        }
    }

    /// The phrases the pattern the scanner replaced finds, as `DeadlineFinder` returned them.
    private static func reference(_ text: String) -> [String] {
        let nsText = text as NSString
        var phrases: [String] = []
        for match in expression.matches(in: text, range: NSRange(location: 0, length: nsText.length)) {
            let phrase = nsText.substring(with: match.range).trimmedWhitespace
            if !phrases.contains(phrase) { phrases.append(phrase) }
        }
        return phrases
    }

    private static let expression: NSRegularExpression = {
        let pattern =
            "(?:(?:upp till|högst|maximalt|max\\.?|totalt|cirka|ca\\.?|up to|budget(?:en)?(?: för utlysningen)?(?: är)?:?)\\s*)?"
            + "\\d{1,3}(?:[ \\u00A0.]\\d{3})*(?:,\\d+)?\\s*"
            + "(?:mkr|msek|mnkr|tkr|miljoner kronor|miljoner euro|miljoner|miljon kronor|miljon|miljarder kronor|kronor|"
            + "kr|sek|meur|euro|eur|million euro|million eur|million sek|million|€)(?![\\p{L}])"
        return try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }()
}
