import Feeds
import Foundation
import Testing

@Suite struct FeedDateTests {
    @Test(arguments: [
        ("Tue, 3 Dec 2024 10:00:00 +0100", "2024-12-03T09:00:00Z"),
        ("Tue, 03 Dec 2024 10:00:00 GMT", "2024-12-03T10:00:00Z"),
        ("3 Dec 2024 10:00:00 +0100", "2024-12-03T09:00:00Z"),
        ("Tue, 3 Dec 24 10:00:00 +0100", "2024-12-03T09:00:00Z"),
        ("Tue, 3 Dec 2024 10:00 CEST", "2024-12-03T08:00:00Z"),
        ("Tue, 3 Dec 2024 10:00:00 EST", "2024-12-03T15:00:00Z"),
        ("Tue, 3 Dec 2024 10:00:00 UT", "2024-12-03T10:00:00Z"),
        ("Tue, 3 Dec 2024 10:00:00 +01:00", "2024-12-03T09:00:00Z"),
        ("Tue, 3 Sept 2024 10:00:00 +0000", "2024-09-03T10:00:00Z"),
        ("tis, 3 maj 2024 10:00:00 +0200", "2024-05-03T08:00:00Z"),
        ("Tuesday, December 3, 2024 10:00:00 GMT", "2024-12-03T10:00:00Z"),
        ("Tue, 3 Dec 2024", "2024-12-03T00:00:00Z"),
        ("Dec 3, 2024 2:05:00 PM GMT", "2024-12-03T14:05:00Z"),
        ("2024-12-03T10:00:00Z", "2024-12-03T10:00:00Z"),
        ("2024-12-03T10:00:00+01:00", "2024-12-03T09:00:00Z"),
        ("2024-12-03T10:00:00-0500", "2024-12-03T15:00:00Z"),
        ("2024-12-03 10:00:00+01:00", "2024-12-03T09:00:00Z"),
        ("2024-12-03T10:00Z", "2024-12-03T10:00:00Z"),
        ("2024-12-03", "2024-12-03T00:00:00Z"),
        ("  2024-12-03T10:00:00Z\n", "2024-12-03T10:00:00Z"),
    ])
    func parses(text: String, expected: String) {
        #expect(FeedDate.parse(text) == Fixture.date(expected))
    }

    @Test func fractionalSeconds() {
        #expect(FeedDate.parse("2024-12-03T10:00:00.5Z") == Date(timeIntervalSince1970: 1_733_220_000.5))
        #expect(FeedDate.parse("2024-12-03T10:00:00.123456+00:00")?.timeIntervalSince1970 == 1_733_220_000.123456)
    }

    @Test func zonelessValuesUseTheGivenZone() throws {
        let stockholm = try #require(TimeZone(identifier: "Europe/Stockholm"))
        #expect(FeedDate.parse("2024-07-01T12:00:00", timeZone: stockholm) == Fixture.date("2024-07-01T10:00:00Z"))
        #expect(FeedDate.parse("2024-12-03", timeZone: stockholm) == Fixture.date("2024-12-02T23:00:00Z"))
        #expect(FeedDate.parse("3 Dec 2024 10:00", timeZone: stockholm) == Fixture.date("2024-12-03T09:00:00Z"))
    }

    @Test(arguments: [
        "", "not a date", "2024-13-01", "2024-02-30T10:00:00Z", "Tue, 32 Dec 2024 10:00:00 GMT",
        "Tue, 3 Foo 2024 10:00:00 GMT", "8/21/2018 9:00:00 AM", "2024-12-03T25:00:00Z", "2024-12-03Tgarbage",
        "Tue, 3 Dec 2024 10:61:00 GMT", String(repeating: "9", count: 500),
    ])
    func rejects(text: String) {
        #expect(FeedDate.parse(text) == nil)
    }
}
