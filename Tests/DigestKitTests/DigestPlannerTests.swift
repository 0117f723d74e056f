import Foundation
import Testing

@testable import DigestKit

@Suite("Digest sections")
struct DigestPlannerTests {
    let now = TestSupport.demoNow
    let day: TimeInterval = 86_400

    func newsletter() throws -> NewsletterConfig {
        try DigestConfig.load(from: TestSupport.root.appendingPathComponent("digest.yaml")).newsletter
    }

    func funding(_ id: String, deadlineIn days: Double?) -> Selection {
        var item = Item(id: id, kind: .funding, source: "s", title: id)
        item.deadline = days.map { now.addingTimeInterval($0 * day) }
        return Selection(item: item, reasons: [.everything])
    }

    func event(_ id: String, startsIn days: Double) -> Selection {
        var item = Item(id: id, kind: .event, source: "s", title: id)
        item.start = now.addingTimeInterval(days * day)
        item.end = item.start?.addingTimeInterval(3600)
        return Selection(item: item, reasons: [.everything])
    }

    @Test("new calls by deadline; a sent call closing soon comes back once; passed calls drop")
    func funding() throws {
        let planner = DigestPlanner(now: now, newsletter: try newsletter())
        let reader = Subscriber(email: "a@example.com")
        let selection = [
            funding("late", deadlineIn: 60), funding("none", deadlineIn: nil), funding("soon", deadlineIn: 5),
            funding("sent-soon", deadlineIn: 3), funding("sent-late", deadlineIn: 40),
            funding("passed", deadlineIn: -1),
            funding("reminded", deadlineIn: 2),
        ]
        let sent = [
            "sent-soon": SentRecord(fingerprint: "", reminded: false),
            "sent-late": SentRecord(fingerprint: "", reminded: false),
            "reminded": SentRecord(fingerprint: "", reminded: true),
        ]
        let content = planner.plan(selection, for: reader, language: .sv, sent: sent)
        #expect(content.newFunding.map(\.item.id) == ["soon", "late", "none"])
        #expect(content.closingSoon.map(\.item.id) == ["sent-soon"])
        let records = planner.records(after: content)
        #expect(records["soon"]?.reminded == true)
        #expect(records["late"]?.reminded == false)
        #expect(records["sent-soon"]?.reminded == true)
    }

    @Test("events within eventsAhead, by start; a sent event whose time changed is listed as changed")
    func events() throws {
        let planner = DigestPlanner(now: now, newsletter: try newsletter())
        let reader = Subscriber(email: "a@example.com")
        let moved = event("moved", startsIn: 3)
        let selection = [event("later", startsIn: 10), event("soon", startsIn: 1), event("far", startsIn: 40), moved]
        let sent = ["moved": SentRecord(fingerprint: "an older fingerprint", reminded: false)]
        let content = planner.plan(selection, for: reader, language: .sv, sent: sent)
        #expect(content.events.map(\.item.id) == ["soon", "later"])
        #expect(content.changed.map(\.item.id) == ["moved"])
    }

    @Test("events never sent to the reader are new; sent ones come back as repeatEvents says")
    func newAndRepeated() throws {
        var newsletter = try newsletter()
        let reader = Subscriber(email: "a@example.com")
        let selection = [
            event("fresh", startsIn: 10), event("sent-near", startsIn: 3), event("sent-far", startsIn: 12),
        ]
        let sent = [
            "sent-near": SentRecord(fingerprint: selection[1].item.fingerprint, reminded: false),
            "sent-far": SentRecord(fingerprint: selection[2].item.fingerprint, reminded: false),
        ]
        let expected: [(RepeatEvents, [String])] = [
            (.always, ["sent-near", "fresh", "sent-far"]), (.once, ["fresh"]),
            (.untilWeekBefore, ["sent-near", "fresh"]),
        ]
        for (repeats, events) in expected {
            newsletter.repeatEvents = repeats
            let content = DigestPlanner(now: now, newsletter: newsletter).plan(
                selection, for: reader, language: .sv, sent: sent)
            #expect(content.events.map(\.item.id) == events, "\(repeats)")
            #expect(content.newItems == ["fresh"])
            #expect(content.newCount == 1)
        }
    }

    @Test("a sent call whose deadline moved is listed as changed with the deadline the reader was sent")
    func changedCall() throws {
        let planner = DigestPlanner(now: now, newsletter: try newsletter())
        let reader = Subscriber(email: "a@example.com")
        let before = funding("extended", deadlineIn: 9)
        let after = funding("extended", deadlineIn: 16)
        let same = funding("same", deadlineIn: 30)
        let sent = [
            "extended": SentRecord(fingerprint: before.item.fingerprint, reminded: false),
            "same": SentRecord(fingerprint: same.item.fingerprint, reminded: false),
        ]
        let content = planner.plan([after, same], for: reader, language: .sv, sent: sent)
        #expect(content.changed.map(\.item.id) == ["extended"])
        #expect(
            content.previousDeadlines["extended"]
                == Date(timeIntervalSince1970: Item.fingerprintSeconds(before.item.deadline!)))
        #expect(content.newFunding.isEmpty && content.closingSoon.isEmpty)
        #expect(planner.records(after: content)["extended"]?.fingerprint == after.item.fingerprint)
    }

    @Test(
        "a weekly series in the window is one entry, its cancelled instance shown; the ledger records each occurrence")
    func series() throws {
        let planner = DigestPlanner(now: now, newsletter: try newsletter())
        let reader = Subscriber(email: "a@example.com")
        func occurrence(_ week: Int, cancelled: Bool = false) -> Selection {
            var selection = event("drop-in-\(week)", startsIn: 2 + Double(week) * 7)
            var item = selection.item
            item.uid = "drop-in@coompanion"
            item.cancelled = cancelled
            selection.item = item
            return selection
        }
        let selection = [
            occurrence(0), occurrence(1), occurrence(2, cancelled: true), occurrence(3), event("other", startsIn: 4),
        ]
        let content = planner.plan(selection, for: reader, language: .sv, sent: [:])
        #expect(content.events.count == 2)
        let entry = try #require(content.events.first)
        let series = try #require(entry.item.series)
        #expect(series.starts == [0, 1, 3].map { selection[$0].item.start! })
        #expect(series.cancelled == [selection[2].item.start!])
        #expect(series.memberIDs == ["drop-in-0", "drop-in-1", "drop-in-3"])
        #expect(content.newItems == [entry.item.id, "other"])
        #expect(content.newCount == 2)
        #expect(content.calendarItems.map(\.id).sorted() == ["drop-in-0", "drop-in-1", "drop-in-3", "other"])
        let records = planner.records(after: content)
        #expect(Set(records.keys) == ["drop-in-0", "drop-in-1", "drop-in-3", "other"])
        // The next reader with the same occurrences shares the same series item.
        let again = planner.plan(selection, for: Subscriber(email: "b@example.com"), language: .sv, sent: [:])
        #expect(again.events.first?.itemBox === entry.itemBox)
    }

    @Test(
        "a call not open yet goes to 'Öppnar snart' until it opens, unrecorded; one opening beyond the look-ahead is new"
    )
    func opensSoon() throws {
        let planner = DigestPlanner(now: now, newsletter: try newsletter())
        let reader = Subscriber(email: "a@example.com")
        func call(_ id: String, opensIn days: Double) -> Selection {
            var selection = funding(id, deadlineIn: 90)
            var item = selection.item
            item.opens = now.addingTimeInterval(days * day)
            selection.item = item
            return selection
        }
        let selection = [
            call("soon", opensIn: 5), call("sooner", opensIn: 2), call("far", opensIn: 60), call("open", opensIn: -3),
        ]
        let content = planner.plan(selection, for: reader, language: .sv, sent: [:])
        #expect(content.opensSoon.map(\.item.id) == ["sooner", "soon"])
        #expect(content.newFunding.map(\.item.id).sorted() == ["far", "open"])
        #expect(planner.records(after: content)["soon"] == nil)
        // Once it has opened, the same call is new.
        let later = DigestPlanner(now: now.addingTimeInterval(6 * day), newsletter: try newsletter())
        #expect(later.plan([selection[0]], for: reader, language: .sv, sent: [:]).newFunding.count == 1)
    }

    @Test("a withdrawn call goes to the changed section of a reader who got it, once; others never hear of it")
    func withdrawn() throws {
        let planner = DigestPlanner(now: now, newsletter: try newsletter())
        var item = funding("gone", deadlineIn: 20).item
        item.withdrawn = true
        let withdrawn = [Selection(item: item, reasons: [])]
        let sent = ["gone": SentRecord(fingerprint: funding("gone", deadlineIn: 20).item.fingerprint, reminded: false)]
        let reader = Subscriber(email: "a@example.com")
        let content = planner.plan([], for: reader, language: .sv, sent: sent, withdrawn: withdrawn)
        #expect(content.changed.map(\.item.id) == ["gone"])
        let records = planner.records(after: content)
        #expect(records["gone"] == SentRecord(fingerprint: "withdrawn", reminded: true))
        #expect(planner.plan([], for: reader, language: .sv, sent: records, withdrawn: withdrawn).changed.isEmpty)
        #expect(planner.plan([], for: reader, language: .sv, sent: [:], withdrawn: withdrawn).isEmpty)
    }
}
