import Deadlines
import Foundation
import Testing

@Suite("Registration deadlines in event text")
struct RegistrationDeadlineTests {
    let finder = DeadlineFinder.registration(timeZone: TimeZone(identifier: "Europe/Stockholm")!)
    let reference = ISO8601DateFormatter().date(from: "2026-03-01T00:00:00Z")!

    @Test(
        "the last day to register is read in Swedish and English, with its time when given",
        arguments: [
            ("Anmäl dig senast 4 december.", "2026-12-04T22:59:59Z", false),
            ("Sista anmälningsdag: 2026-11-30 kl. 12.00", "2026-11-30T11:00:00Z", true),
            ("OSA senast 10 januari 2027", "2027-01-10T22:59:59Z", false),
            ("Register by December 3, 2026.", "2026-12-03T22:59:59Z", false),
        ])
    func reads(text: String, expected: String, hasTime: Bool) {
        let found = finder.find(in: text, referenceDate: reference, readBudgets: false)
        #expect(found.deadline.map { ISO8601DateFormatter().string(from: $0) } == expected)
        #expect(found.deadlineHasTime == hasTime)
    }

    @Test("an application deadline, an opening date or a bare date is not a registration deadline")
    func ignoresOtherDates() {
        for text in [
            "Sista ansökningsdag 15 januari 2027", "Öppnar 1 februari 2027", "Seminariet hålls 8 december 2026",
            "Ansök senast 4 december 2026",
        ] {
            #expect(finder.find(in: text, referenceDate: reference, readBudgets: false).deadline == nil, "\(text)")
        }
    }
}
