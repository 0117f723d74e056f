import DigestTesting
import Foundation
import Testing

@testable import DigestKit

@Suite("Item index")
struct ItemIndexTests {
    static let topics = ["finansiering", "export", "energi", "innovation", "t"]
    static let organizers = ["Almi", "Vinnova", "Tillväxtverket", "EKN"]
    static let words = ["export", "Rättvik", "kooperativ", "lån", "AI", "frukost", "hållbar", "e-handel"]
    static let regions = ["Falun", "Mora", "Rättvik", "Borlänge"]

    func some<T>(_ pool: [T], upTo limit: Int, _ random: inout SplitMix64) -> [T] {
        Array(pool.shuffled(using: &random).prefix(Int.random(in: 0...limit, using: &random)))
    }

    func randomItem(_ index: Int, _ random: inout SplitMix64) -> Item {
        var item = Item(
            id: "i\(index)", kind: Bool.random(using: &random) ? .event : .funding, source: "s",
            title: some(Self.words, upTo: 2, &random).joined(separator: " ") + " \(index)")
        item.summary = some(Self.words, upTo: 3, &random).joined(separator: ", ")
        item.topics = some(Self.topics, upTo: 2, &random)
        item.regions = some(Self.regions, upTo: 2, &random)
        item.organizer = Bool.random(using: &random) ? Self.organizers.randomElement(using: &random) : nil
        item.online = Int.random(in: 0..<6, using: &random) == 0
        return item
    }

    func randomSubscriber(_ random: inout SplitMix64) -> Subscriber {
        var subscriber = Subscriber(email: "a@example.com")
        subscriber.interests.topics = some(Self.topics, upTo: 2, &random)
        subscriber.interests.regions = some(Self.regions + [Regions.wholeRegion], upTo: 2, &random)
        subscriber.interests.organizers = some(Self.organizers.map { $0.lowercased() }, upTo: 1, &random)
        subscriber.interests.kinds = some(ItemKind.allCases, upTo: 1, &random)
        subscriber.interests.keywords = some(Self.words.map { $0.uppercased() }, upTo: 1, &random)
        subscriber.exclude.topics = some(Self.topics, upTo: 1, &random)
        subscriber.exclude.organizers = some(Self.organizers, upTo: 1, &random)
        subscriber.exclude.keywords = some(Self.words, upTo: 1, &random)
        return subscriber
    }

    @Test("the indexed selection equals a scan of every item, for random items and subscribers", arguments: 0..<8)
    func indexedEqualsScan(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let items = (0..<Int.random(in: 0...120, using: &random)).map { randomItem($0, &random) }
        let index = ItemIndex(items)
        let filter = InterestFilter()
        for _ in 0..<150 {
            let subscriber = randomSubscriber(&random)
            let scanned = filter.select(items, for: subscriber)
            let indexed = Array(filter.select(from: index, for: subscriber))
            #expect(indexed == scanned, "seed \(seed), subscriber \(subscriber)")
        }
    }

    @Test("the documented cases give the same selection through the index")
    func documentedCases() {
        var falun = Item(id: "falun", kind: .event, source: "s", title: "Exportfrukost")
        falun.topics = ["t"]
        falun.regions = ["Falun"]
        var online = Item(id: "online", kind: .event, source: "s", title: "Webbinarium")
        online.topics = ["t"]
        online.online = true
        var mora = Item(id: "mora", kind: .funding, source: "s", title: "Kooperativ")
        mora.regions = ["Mora"]
        mora.organizer = "Almi"
        let items = [falun, online, mora]
        var reader = Subscriber(email: "a@example.com")
        reader.interests.regions = ["Falun"]
        reader.interests.keywords = ["export"]
        reader.interests.organizers = ["almi"]
        let selection = InterestFilter().select(from: ItemIndex(items), for: reader)
        #expect(selection.map(\.item.id) == ["falun"])
        #expect(selection.first?.reasons == [.keyword("export"), .region("Falun")])
        var everything = Subscriber(email: "b@example.com")
        everything.exclude.keywords = ["kooperativ"]
        #expect(InterestFilter().select(from: ItemIndex(items), for: everything).map(\.item.id) == ["falun", "online"])
    }

    @Test("an index keeps the items in order, and a selection shares the indexed item")
    func order() {
        let items = (0..<5).map { Item(id: "i\($0)", kind: .event, source: "s", title: "T") }
        let index = ItemIndex(items)
        #expect(index.items == items)
        let selection = InterestFilter().select(from: index, for: Subscriber(email: "a@example.com"))
        #expect(selection.map(\.item) == items)
        #expect(selection.allSatisfy { $0.reasons == [.everything] })
        var changed = selection[0]
        changed.item.title = "Ändrad"
        #expect(changed.item.title == "Ändrad" && changed.reasons == [.everything])
        #expect(selection[0].item.title == "T")
    }

    @Test("100,000 subscribers over 2,000 items are filtered with set operations, not item by item")
    func scale() {
        var random = SplitMix64(seed: 49)
        let items = (0..<2000).map { randomItem($0, &random) }
        let subscribers = (0..<100_000).map { _ in randomSubscriber(&random) }
        let clock = ContinuousClock()
        var selected = 0
        let elapsed = clock.measure {
            let index = ItemIndex(items)
            let filter = InterestFilter()
            for subscriber in subscribers { selected += filter.select(from: index, for: subscriber).count }
        }
        #expect(selected > 0)
        // A release build takes about 0.3 s on one core; this debug build is given plenty, yet a scan of every item
        // for every subscriber (minutes) would fail.
        #expect(elapsed < .seconds(30), "\(elapsed) for \(selected) selections")
    }
}
