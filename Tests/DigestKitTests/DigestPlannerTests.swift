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
}
