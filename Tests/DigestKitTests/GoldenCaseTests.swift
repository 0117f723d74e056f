import Foundation
import Testing

@testable import DigestKit

/// Golden text and HTML for each section's edge cases, in both languages: an empty digest, every section at once
/// (with a moved and a cancelled event), very long titles, and HTML and control characters in feed text.
/// Re-record with `make golden` (DIGEST_RECORD_GOLDEN=1), review the diff, and run the tests again.
@Suite("Golden edge cases", .serialized)
struct GoldenCaseTests {
    static let folder = TestSupport.fixtures.appendingPathComponent("golden/cases")
    let now = TestSupport.demoNow

    func workspace() async throws -> Workspace {
        try await Workspace.load(configFile: TestSupport.root.appendingPathComponent("digest.yaml"))
    }

    func event(_ id: String, _ title: String, hoursAhead: Double, cancelled: Bool = false) -> Selection {
        var item = Item(id: id, kind: .event, source: "kalendarium", title: title)
        item.start = now.addingTimeInterval(hoursAhead * 3600)
        item.end = item.start?.addingTimeInterval(5400)
        item.location = "Dalarna Science Park, Borlänge"
        item.organizer = "Almi"
        item.summary = "Ett seminarium om finansiering."
        item.url = URL(string: "https://example.se/\(id)")
        item.cancelled = cancelled
        return Selection(item: item, reasons: [.topic("finansiering"), .region("Borlänge")])
    }

    func call(_ id: String, _ title: String, daysLeft: Double?, summary: String = "Stöd till små företag.") -> Selection
    {
        var item = Item(id: id, kind: .funding, source: "utlysningar", title: title)
        item.deadline = daysLeft.map { now.addingTimeInterval($0 * 86_400) }
        item.deadlineHasTime = true
        item.rolling = daysLeft == nil
        item.organizer = "Vinnova"
        item.summary = summary
        item.url = URL(string: "https://example.se/\(id)")
        item.budget = "upp till 2 mkr"
        return Selection(item: item, reasons: [.organizer("Vinnova"), .keyword("export")])
    }

    func content(_ language: Language, _ case: String) -> DigestContent {
        var subscriber = Subscriber(email: "lasare@example.com")
        subscriber.name = "Läsare Testsson"
        var content = DigestContent(
            subscriber: subscriber,
            language: language,
            newFunding: [],
            closingSoon: [],
            events: [],
            changed: []
        )
        switch `case` {
        case "all-sections":
            // Announced by two organisations that disagree on the day, with a later round: every deadline line.
            var startups = call("f1", "Innovativa startups", daysLeft: 40)
            startups.item.alsoFrom = ["Almi", "Coompanion"]
            startups.item.laterDeadlines = [now.addingTimeInterval(100 * 86_400), now.addingTimeInterval(190 * 86_400)]
            startups.item.otherDeadlines = [
                SourcedDeadline(source: "redaktionen", date: now.addingTimeInterval(47 * 86_400), hasTime: false)
            ]
            content.newFunding = [startups, call("f2", "Löpande stöd", daysLeft: nil)]
            content.closingSoon = [call("f3", "Konsultcheckar", daysLeft: 3)]
            var opening = call("f5", "Energisteg 2027", daysLeft: 60)
            opening.item.opens = now.addingTimeInterval(12 * 86_400)
            content.opensSoon = [opening]
            // Registration closing within three days, and closed; an event two organisers list.
            var bootcamp = event("e2", "Bootcamp", hoursAhead: 28)
            bootcamp.item.registrationDeadline = now.addingTimeInterval(20 * 3600)
            bootcamp.item.registrationHasTime = true
            bootcamp.item.alsoFrom = ["Coompanion"]
            var exportDay = event("e3", "Exportdag", hoursAhead: 200)
            exportDay.item.registrationDeadline = now.addingTimeInterval(-3600)
            // A weekly series: three usual Thursdays, one moved to another time, one cancelled.
            var dropIn = event("e6", "Drop-in-rådgivning", hoursAhead: 54)
            let thursday = now.addingTimeInterval(54 * 3600)
            dropIn.item.series = EventSeries(
                starts: [thursday, thursday.addingTimeInterval(7 * 86_400), thursday.addingTimeInterval(21 * 86_400)],
                duration: 5400,
                moved: [
                    EventSeries.MovedOccurrence(
                        start: thursday.addingTimeInterval(15 * 86_400 + 3600),
                        end: thursday.addingTimeInterval(15 * 86_400 + 9000))
                ],
                cancelled: [thursday.addingTimeInterval(14 * 86_400)],
                memberIDs: ["e6-1", "e6-2", "e6-3", "e6-4"]
            )
            content.events = [event("e1", "Frukostmöte", hoursAhead: 26), bootcamp, dropIn, exportDay]
            content.newItems = ["e1", "e3"]
            // A call whose deadline was extended since the reader last got it, beside a moved and a cancelled event.
            content.changed = [
                event("e4", "Flyttat seminarium", hoursAhead: 50),
                event("e5", "Inställd workshop", hoursAhead: 75, cancelled: true),
                call("f4", "Förlängd utlysning", daysLeft: 16),
            ]
            content.previousDeadlines = ["f4": now.addingTimeInterval(9 * 86_400)]
        case "long-titles":
            let long = String(repeating: "Mycket lång rubrik om regional utveckling och finansiering ", count: 4)
            content.newFunding = [call("f1", long + "slut", daysLeft: 10)]
            content.events = [event("e1", long + "slut", hoursAhead: 30)]
        case "html-in-feed-text":
            content.newFunding = [
                call(
                    "f1",
                    "Stöd <b>nu</b> & \"senare\" <script>alert(1)</script>\r\nBcc: x@example.com",
                    daysLeft: 0.5,
                    summary: "<p>Text med <a href=\"javascript:alert(1)\">länk</a> & &amp; entiteter</p>"
                )
            ]
        default:
            break
        }
        return content
    }

    @Test(
        "each edge case renders exactly as its golden files",
        arguments: ["empty", "all-sections", "long-titles", "html-in-feed-text"]
    )
    func cases(name: String) async throws {
        let workspace = try await workspace()
        let run = RenderRun(
            renderer: workspace.renderer,
            links: try ReaderLinkBuilder(newsletter: workspace.config.newsletter, secret: Data("golden".utf8)))
        let issue = IssueInfo(id: "2026-W49", now: now)
        var recorded: [String] = []
        for language in Language.allCases {
            let content = content(language, name)
            let digest = try run.render(content, issue: issue)
            for (suffix, text) in [("txt", digest.text), ("html", digest.html), ("subject", digest.subject + "\n")] {
                let file = Self.folder.appendingPathComponent("\(name).\(language.rawValue).\(suffix)")
                if ProcessInfo.processInfo.environment["DIGEST_RECORD_GOLDEN"] == "1" {
                    try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                    if (try? String(contentsOf: file, encoding: .utf8)) != text {
                        try Data(text.utf8).write(to: file)
                        recorded.append(file.lastPathComponent)
                    }
                    continue
                }
                let expected = try String(contentsOf: file, encoding: .utf8)
                #expect(text == expected, "\(file.lastPathComponent) differs; run `make golden` and review the diff")
            }
            // Invariants that hold whatever the templates say.
            #expect(!digest.html.contains("<script>"))
            #expect(!digest.html.contains("href=\"javascript:"))
            #expect(!digest.subject.contains("\n") && !digest.subject.contains("\r"))
            #expect(
                digest.text.split(separator: "\n").allSatisfy {
                    $0.count <= 72 || !$0.contains(" ") || $0.contains("://")
                })
        }
        if !recorded.isEmpty {
            Issue.record("re-recorded \(recorded.joined(separator: ", ")); review the diff, then run the tests again")
        }
    }
}
