import Foundation
import Testing

@testable import MailMessage

@Suite("RFC 5322 Date formatting")
struct RFC5322DateTests {
    private func zone(_ identifier: String) throws -> TimeZone {
        try #require(TimeZone(identifier: identifier))
    }

    @Test("formats UTC by default with English names and +0000")
    func utc() {
        #expect(RFC5322Date.string(from: TestSupport.sampleDate) == "Thu, 13 Feb 2025 08:00:00 +0000")
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test("uses the offset of the given zone at that instant, including daylight saving time")
    func zones() throws {
        let stockholm = try zone("Europe/Stockholm")
        #expect(
            RFC5322Date.string(from: TestSupport.sampleDate, timeZone: stockholm) == "Thu, 13 Feb 2025 09:00:00 +0100")
        let midsummer = Date(timeIntervalSince1970: 1_750_413_600)  // 2025-06-20 10:00 UTC
        #expect(RFC5322Date.string(from: midsummer, timeZone: stockholm) == "Fri, 20 Jun 2025 12:00:00 +0200")
        #expect(
            RFC5322Date.string(from: TestSupport.sampleDate, timeZone: try zone("America/New_York"))
                == "Thu, 13 Feb 2025 03:00:00 -0500")
        #expect(
            RFC5322Date.string(from: TestSupport.sampleDate, timeZone: try zone("Asia/Kolkata"))
                == "Thu, 13 Feb 2025 13:30:00 +0530")
    }

    @Test("handles leap days, year ends and dates before 1970")
    func calendarEdges() {
        #expect(
            RFC5322Date.string(from: Date(timeIntervalSince1970: 1_709_164_799)) == "Wed, 28 Feb 2024 23:59:59 +0000")
        #expect(
            RFC5322Date.string(from: Date(timeIntervalSince1970: 1_709_164_800)) == "Thu, 29 Feb 2024 00:00:00 +0000")
        #expect(
            RFC5322Date.string(from: Date(timeIntervalSince1970: 1_735_689_599.9)) == "Tue, 31 Dec 2024 23:59:59 +0000")
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: -1)) == "Wed, 31 Dec 1969 23:59:59 +0000")
        #expect(
            RFC5322Date.string(from: Date(timeIntervalSince1970: -2_208_988_800)) == "Mon, 01 Jan 1900 00:00:00 +0000")
    }

    @Test("does not crash on non-finite or huge dates")
    func extremes() {
        #expect(RFC5322Date.string(from: Date(timeIntervalSince1970: .infinity)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.string(from: .distantFuture).hasSuffix("+0000"))
        #expect(RFC5322Date.string(from: .distantPast).hasSuffix("+0000"))
    }

    @Test("is independent of a Swedish locale, where Foundation would write Swedish names")
    func swedishLocaleDoesNotLeak() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.timeZone = try zone("Europe/Stockholm")
        formatter.dateFormat = "EEE, dd MMM yyyy"
        let swedish = formatter.string(from: TestSupport.sampleDate)
        #expect(swedish.hasPrefix("tors"))
        var message = try TestSupport.sampleMessage()
        message.timeZone = try zone("Europe/Stockholm")
        let header = TestSupport.headerSection(message.rendered())
        #expect(header.contains("Date: Thu, 13 Feb 2025 09:00:00 +0100\r\n"))
    }
}
