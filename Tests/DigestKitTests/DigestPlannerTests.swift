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
                == .some(Date(timeIntervalSince1970: Item.fingerprintSeconds(before.item.deadline!))))
        #expect(content.newFunding.isEmpty && content.closingSoon.isEmpty)
        #expect(planner.records(after: content)["extended"]?.fingerprint == after.item.fingerprint)
    }
}
