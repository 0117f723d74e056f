import Foundation
import Testing

@testable import DigestKit

@Suite("The same call from several sources becomes one item with the most precise deadline")
struct ItemMergeTests {
    let zone = TimeZone(identifier: "Europe/Stockholm")!

    func time(_ text: String) throws -> Date {
        try #require(TimeArgument.parse(text, timeZone: zone))
    }

    func call(_ source: String, organizer: String?, deadline: String?, hasTime: Bool = false) throws -> Item {
        var item = Item(id: "fu-1", kind: .funding, source: source, title: "Innovativa startups 2027")
        item.organizer = organizer
        if let deadline {
            item.deadline = try time(deadline)
            item.deadlineHasTime = hasTime
        }
        return item
    }

    @Test("a time of day beats a bare date on the same day, whichever source comes first")
    func timeBeatsDate() throws {
        for (first, second) in [
            (
                try call("utlysningar", organizer: "Vinnova", deadline: "2027-01-20 23:59"),
                try call(
                    "redaktionen", organizer: "Vinnova", deadline: "2027-01-20 14:00", hasTime: true)
            ),
            (
                try call("redaktionen", organizer: "Vinnova", deadline: "2027-01-20 14:00", hasTime: true),
                try call(
                    "utlysningar", organizer: "Vinnova", deadline: "2027-01-20 23:59")
            ),
        ] {
            var merged = first
            merged.merge(second)
            #expect(merged.deadline == (try time("2027-01-20 14:00")))
            #expect(merged.deadlineHasTime)
            #expect(merged.otherDeadlines.isEmpty)
            #expect(merged.sources.count == 2)
            #expect(merged.alsoFrom.isEmpty)
        }
    }

    @Test("two different days: the earlier, with the other source's date kept to be shown")
    func earlierDay() throws {
        var merged = try call("utlysningar", organizer: "Vinnova", deadline: "2026-12-17 23:59")
        merged.merge(try call("redaktionen", organizer: "Almi", deadline: "2026-12-10 23:59"))
        #expect(merged.deadline == (try time("2026-12-10 23:59")))
        #expect(
            merged.otherDeadlines == [
                SourcedDeadline(source: "utlysningar", date: try time("2026-12-17 23:59"), hasTime: false)
            ])
        #expect(merged.organizer == "Vinnova")
        #expect(merged.alsoFrom == ["Almi"])
        merged.merge(try call("tredje", organizer: "almi", deadline: nil))
        #expect(merged.alsoFrom == ["Almi"])
    }

    @Test("rolling stays rolling only while no source gives a date")
    func rolling() throws {
        var first = try call("a", organizer: nil, deadline: nil)
        first.rolling = true
        var merged = first
        merged.merge(try call("b", organizer: "Almi", deadline: nil))
        #expect(merged.rolling)
        #expect(merged.organizer == "Almi")
        merged.merge(try call("c", organizer: nil, deadline: "2027-02-01 23:59"))
        #expect(!merged.rolling)
        #expect(merged.deadline == (try time("2027-02-01 23:59")))
    }

    @Test("a call with several rounds moves to the next round once one has passed")
    func nextRound() throws {
        var item = try call("a", organizer: nil, deadline: "2026-11-15 23:59")
        item.laterDeadlines = [try time("2027-03-10 23:59"), try time("2027-06-10 23:59")]
        let now = try time("2026-12-01 07:00")
        let moved = item.nextRound(at: now)
        #expect(moved.deadline == (try time("2027-03-10 23:59")))
        #expect(moved.laterDeadlines == [try time("2027-06-10 23:59")])
        #expect(moved.nextRound(at: now) == moved)
        #expect(item.nextRound(at: try time("2027-07-01 00:00")).deadline == item.deadline)
    }
}

@Suite("The same event in two organisers' calendars is listed once")
struct EventMergeTests {
    @Test("same title, start and place (folded) merge into one item naming both organisers; another time does not")
    func merged() {
        let start = Date(timeIntervalSince1970: 1_797_000_000)
        func event(_ id: String, _ source: String, _ organizer: String, title: String, location: String, at: Date)
            -> Item
        {
            var item = Item(id: id, kind: .event, source: source, title: title)
            item.start = at
            item.location = location
            item.organizer = organizer
            return item
        }
        let items = SourceCollector.deduplicate([
            event("ev-a", "almi", "Almi", title: "Exportfrukost i Falun", location: "Falun, Science Park", at: start),
            event(
                "ev-b", "coompanion", "Coompanion", title: "EXPORTFRUKOST I FALUN!", location: "falun science park",
                at: start),
            event(
                "ev-c", "coompanion", "Coompanion", title: "Exportfrukost i Falun", location: "Falun, Science Park",
                at: start.addingTimeInterval(7 * 86_400)),
        ])
        #expect(items.map(\.id) == ["ev-a", "ev-c"])
        #expect(items[0].alsoFrom == ["Coompanion"])
        #expect(items[0].sources == ["almi", "coompanion"])
    }

    @Test("two events of one calendar at the same time under the same title stay two; a second source still merges")
    func sameSourceKeptApart() {
        let start = Date(timeIntervalSince1970: 1_797_000_000)
        func event(_ id: String, _ source: String) -> Item {
            var item = Item(id: id, kind: .event, source: source, title: "Rådgivning")
            item.start = start
            return item
        }
        let items = SourceCollector.deduplicate([
            event("ev-a", "almi"), event("ev-b", "almi"), event("ev-c", "coompanion"),
        ])
        #expect(items.map(\.id) == ["ev-a", "ev-b"])
        #expect(items[0].sources == ["almi", "coompanion"])
        #expect(items[1].sources == ["almi"])
    }
}

@Suite("Deduplication puts the kept items in order by moving them")
struct DeduplicationOrderTests {
    @Test("closed calls are removed wherever they are, the rest kept in order; events and open calls stay")
    func closedCallsRemoved() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var generator = SystemRandomNumberGenerator()
        for count in 0..<30 {
            var items: [Item] = []
            for index in 0..<count {
                let funding = Bool.random(using: &generator)
                var item = Item(id: "i\(index)", kind: funding ? .funding : .event, source: "s", title: "t\(index)")
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: item.deadline = start.addingTimeInterval(-1)
                case 1: item.deadline = start
                default: break
                }
                items.append(item)
            }
            let open = items.filter { !($0.kind == .funding && ($0.deadline.map { $0 < start } ?? false)) }.map(\.id)
            var kept = items
            #expect(SourceCollector.removeCalls(closedBefore: start, from: &kept) == count - open.count)
            #expect(kept.map(\.id) == open)
        }
    }

    @Test("permute takes the positions asked for, in that order, and drops the rest; every cycle shape")
    func permute() {
        var generator = SystemRandomNumberGenerator()
        for count in 0..<40 {
            for _ in 0..<20 {
                let all = (0..<count).map { "item-\($0)" }
                let order = Array(all.indices.shuffled(using: &generator).prefix(Int.random(in: 0...count)))
                var moved = all
                SourceCollector.permute(&moved, taking: order)
                #expect(moved == order.map { all[$0] }, "count \(count), order \(order)")
            }
        }
    }

    @Test("merged and kept items come out sorted (calls by deadline, then events by start, then id), each once")
    func sortedAfterMerging() {
        let base = Date(timeIntervalSince1970: 1_797_000_000)
        var input: [Item] = []
        for number in 0..<200 {
            var item = Item(
                id: "id-\(number % 150)", kind: number % 3 == 0 ? .funding : .event, source: "s\(number / 150)",
                title: "T\(number)")
            if item.kind == .event {
                item.start = base.addingTimeInterval(Double((number * 37) % 101) * 3_600)
            } else {
                item.deadline = base.addingTimeInterval(Double((number * 53) % 89) * 86_400)
            }
            input.append(item)
        }
        let items = SourceCollector.deduplicate(input.shuffled())
        #expect(items.count == 150)
        #expect(Set(items.map(\.id)).count == 150)
        let keys = items.map { ($0.kind == .funding ? 0 : 1, $0.start ?? $0.deadline ?? .distantFuture, $0.id) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(items.filter { $0.sources.count == 2 }.count == 50)
    }
}

@Suite("The cheap test before the registration finder")
struct RegistrationStemTests {
    @Test("stems are found in either case, anywhere, and not in text without them")
    func stems() {
        let stems = ItemClassifier.Stems(["anm", "rsvp"])
        #expect(ItemClassifier.mentions("Välkommen! ANMÄL dig senast 4 december.", anyOf: stems))
        #expect(ItemClassifier.mentions("Please RSVP", anyOf: stems))
        #expect(!ItemClassifier.mentions("Seminarium om finansiering", anyOf: stems))
        #expect(!ItemClassifier.mentions("an", anyOf: stems))
        #expect(!ItemClassifier.mentions("", anyOf: stems))
        #expect(!ItemClassifier.mentions("[anm]", anyOf: ItemClassifier.Stems([])))
        #expect(ItemClassifier.mentions("x{Anm", anyOf: stems))  // "{" | 0x20 is "{", not a letter: passed over
    }

    @Test("the letter-pair table finds what a plain search finds, with short and one-letter stems too")
    func pairsAgreeWithPlainSearch() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("anmosrgisvpANMOSRV äö{@[`\n.".unicodeScalars)
        for list in [["anm", "osa", "regist", "sign", "rsvp"], ["an", "rs"], ["a", "sv"]] {
            let stems = ItemClassifier.Stems(list)
            #expect((stems.pairs != nil) == (list.allSatisfy { $0.count >= 2 }))
            for _ in 0..<3_000 {
                let length = Int.random(in: 0...12, using: &generator)
                var text = ""
                for _ in 0..<length { text.unicodeScalars.append(alphabet.randomElement(using: &generator)!) }
                // The plain search: ASCII letters folded to lower case (what `| 0x20` does to them), then contains.
                let folded = String(
                    decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
                let expected = list.contains { folded.utf8.count >= $0.utf8.count && folded.contains($0) }
                #expect(ItemClassifier.mentions(text, anyOf: stems) == expected, "\(list) in \(text.debugDescription)")
            }
        }
    }
}
