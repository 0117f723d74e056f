import Foundation
import Testing

@testable import DigestKit

@Suite("Interest filter")
struct InterestFilterTests {
    func item(
        _ id: String,
        kind: ItemKind = .event,
        topics: [String] = [],
        regions: [String] = [],
        organizer: String? = nil,
        title: String = "Titel",
        online: Bool = false
    ) -> Item {
        var item = Item(id: id, kind: kind, source: "s", title: title)
        item.topics = topics
        item.regions = regions
        item.organizer = organizer
        item.online = online
        return item
    }

    func subscriber(_ configure: (inout Subscriber) -> Void) -> Subscriber {
        var subscriber = Subscriber(email: "a@example.com")
        configure(&subscriber)
        return subscriber
    }

    let items: [Item] = []

    @Test("topics, organisers and keywords widen each other; every match carries its reasons")
    func widening() {
        let items = [
            item("topic", topics: ["finansiering"]),
            item("organizer", organizer: "Almi"),
            item("keyword", title: "Exportfrukost i Falun"),
            item("none", topics: ["energi"]),
        ]
        let reader = subscriber {
            $0.interests.topics = ["finansiering"]
            $0.interests.organizers = ["Almi"]
            $0.interests.keywords = ["export"]
        }
        let selection = InterestFilter().select(items, for: reader)
        #expect(selection.map(\.item.id) == ["topic", "organizer", "keyword"])
        #expect(selection.map(\.reasons) == [[.topic("finansiering")], [.organizer("Almi")], [.keyword("export")]])
    }

    @Test("regions narrow, but online items and items without a region pass; Dalarna means all")
    func regions() {
        let items = [
            item("falun", topics: ["t"], regions: ["Falun"]),
            item("mora", topics: ["t"], regions: ["Mora"]),
            item("online", topics: ["t"], online: true),
            item("nowhere", topics: ["t"]),
        ]
        let falun = subscriber {
            $0.interests.topics = ["t"]
            $0.interests.regions = ["Falun"]
        }
        let selection = InterestFilter().select(items, for: falun)
        #expect(selection.map(\.item.id) == ["falun", "online", "nowhere"])
        #expect(selection[0].reasons == [.topic("t"), .region("Falun")])
        #expect(selection[1].reasons == [.topic("t"), .online])
        let everywhere = subscriber {
            $0.interests.topics = ["t"]
            $0.interests.regions = ["Dalarna"]
        }
        #expect(InterestFilter().select(items, for: everywhere).count == 4)
    }

    @Test("exclusions always win")
    func exclusions() {
        let items = [
            item("a", topics: ["finansiering", "export"]),
            item("b", topics: ["finansiering"], organizer: "EKN"),
            item("c", topics: ["finansiering"], title: "Starta kooperativ"),
            item("d", topics: ["finansiering"]),
        ]
        let reader = subscriber {
            $0.interests.topics = ["finansiering"]
            $0.exclude.topics = ["export"]
            $0.exclude.organizers = ["ekn"]
            $0.exclude.keywords = ["Kooperativ"]
        }
        #expect(InterestFilter().select(items, for: reader).map(\.item.id) == ["d"])
    }

    @Test("with nothing followed, everything passes the kind and region tests")
    func everything() {
        let items = [item("e", kind: .event), item("f", kind: .funding)]
        let onlyFunding = subscriber { $0.interests.kinds = [.funding] }
        let selection = InterestFilter().select(items, for: onlyFunding)
        #expect(selection.map(\.item.id) == ["f"])
        #expect(selection[0].reasons == [.everything])
    }

    @Test("keywords match without regard to case or diacritics")
    func keywordFolding() {
        let items = [item("x", title: "Hållbarhetsdag i RÄTTVIK")]
        let reader = subscriber { $0.interests.keywords = ["rattvik"] }
        #expect(InterestFilter().select(items, for: reader).count == 1)
    }
}
