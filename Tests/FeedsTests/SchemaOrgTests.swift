import Feeds
import Foundation
import Testing

@Suite struct SchemaOrgTests {
    static func blocks(_ fixture: String) throws -> [String] {
        HTMLDocument(data: try Fixture.data("html/\(fixture)"), url: nil).jsonLDBlocks()
    }

    static func events(_ fixture: String) throws -> (events: [SchemaEvent], problems: [String]) {
        let (nodes, problems) = SchemaOrg.nodes(in: try blocks(fixture))
        return (SchemaOrg.events(in: nodes), problems)
    }

    @Test func singleEventWithPlaceOrganizerOffersAndEntities() throws {
        let (events, problems) = try Self.events("jsonld-event.html")
        #expect(problems.isEmpty)
        let expected = SchemaEvent(
            name: "Frukostmöte & nätverk",
            description: "Välkommen till ett frukostmöte om export och nya marknader.",
            url: "https://naringsliv.example.se/evenemang/frukostmote-mars#event",
            identifier: "https://naringsliv.example.se/evenemang/frukostmote-mars#event",
            startDate: "2027-03-04T07:30:00+01:00", endDate: "2027-03-04T09:00:00+01:00",
            location: "Stadshuset, Storgatan 1, 852 30 Sundsvall", online: false, organizer: "Näringslivskontoret",
            cancelled: false, status: nil, keywords: ["export", "nätverk", "Frukost", "Internationalisering"],
            registrationDeadline: "2027-03-01T23:59")
        #expect(events == [expected])
    }

    @Test func arrayOfEventsWithStringAndVirtualLocations() throws {
        let (events, problems) = try Self.events("jsonld-array.html")
        #expect(problems.isEmpty)
        #expect(events.map(\.name) == ["Workshop: ansök om EU-medel", "Informationsmöte om innovationscheckar"])
        #expect(events[0].location == "Digitalt via Teams")
        #expect(events[0].online)
        #expect(events[0].url == "https://kalender.example.se/workshop-eu")
        #expect(events[0].identifier == nil)
        // A VirtualLocation without a name adds nothing to the line, but makes the event online.
        #expect(events[1].location == "Kulturhuset, Kungsgatan 3, Umeå")
        #expect(events[1].online)
        #expect(events[1].startDate == "2027-02-17T13:00")
    }

    @Test func mixedAttendanceIsNotOnline() {
        let block = """
            {"@type": "Event", "name": "Hybridmöte", "location": {"@type": "Place", "name": "Rådhuset"},
             "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode"}
            """
        let events = SchemaOrg.events(in: SchemaOrg.nodes(in: [block]).nodes)
        #expect(events.map(\.online) == [false])
        #expect(events.map(\.location) == ["Rådhuset"])
    }

    @Test func graphWithWebPageOrganizationAndTwoEvents() throws {
        let (nodes, problems) = SchemaOrg.nodes(in: try Self.blocks("jsonld-graph.html"))
        #expect(problems.isEmpty)
        #expect(nodes.count == 5)
        #expect(nodes.filter { SchemaOrg.isType($0, "Organization") }.count == 1)
        #expect(nodes.filter { SchemaOrg.isType($0, "WebPage") }.count == 1)
        let events = SchemaOrg.events(in: nodes)
        #expect(events.map(\.name) == ["Pitchkväll för startups", "Investerarträff"])
        // References to the graph's Organization and Place are followed.
        #expect(events.map(\.organizer) == ["Inkubatorn i Norr", "Inkubatorn i Norr"])
        #expect(events[0].location == "Inkubatorn, plan 4, Teknikvägen 12, 977 54 Luleå")
        #expect(events[0].status == "EventPostponed")
        #expect(!events[0].cancelled)
        #expect(events[1].cancelled)
        #expect(events[1].status == nil)
        #expect(events[1].identifier == "INK-2027-07")
        #expect(events[0].identifier == "https://inkubatorn.example.se/evenemang/pitchkvall/")
        #expect(events[0].url == "https://inkubatorn.example.se/evenemang/pitchkvall/")
    }

    @Test func itemListElementsAndTypeForms() throws {
        let (events, problems) = try Self.events("jsonld-itemlist.html")
        #expect(problems.isEmpty)
        #expect(events.map(\.name) == ["Kurs i projektledning", "Grundkurs i bokföring", "Frukostseminarium om moms"])
        #expect(events[0].organizer == "Anna Lindqvist, Företagsakademin")
        #expect(events[0].endDate == "2027-04-07")
        #expect(events[1].keywords == ["ekonomi", "Bokföring"])
    }

    @Test func isTypeForms() {
        let plain: [String: JSONValue] = ["@type": .string("Event")]
        let array: [String: JSONValue] = ["@type": .array([.string("Event"), .string("EducationEvent")])]
        let uri: [String: JSONValue] = ["@type": .string("https://schema.org/BusinessEvent")]
        let http: [String: JSONValue] = ["@type": .string("http://schema.org/Organization")]
        let curie: [String: JSONValue] = ["@type": .string("schema:Place")]
        let none: [String: JSONValue] = ["name": .string("Event")]
        #expect(SchemaOrg.isType(plain, "Event"))
        #expect(SchemaOrg.isType(array, "Event"))
        #expect(SchemaOrg.isType(array, "EducationEvent"))
        #expect(SchemaOrg.isType(uri, "Event"))
        #expect(SchemaOrg.isType(uri, "BusinessEvent"))
        #expect(SchemaOrg.isType(http, "Organization"))
        #expect(!SchemaOrg.isType(http, "Event"))
        #expect(SchemaOrg.isType(curie, "Place"))
        #expect(!SchemaOrg.isType(curie, "Event"))
        #expect(!SchemaOrg.isType(none, "Event"))
        #expect(!SchemaOrg.isType(plain, "BusinessEvent"))
    }

    @Test func invalidBlockIsReportedAndOthersRead() throws {
        let (nodes, problems) = SchemaOrg.nodes(in: try Self.blocks("jsonld-blandat.html"))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("JSON-LD block 2 is not valid JSON: ") == true)
        #expect(nodes.count == 2)
        let events = SchemaOrg.events(in: nodes)
        // The third block has an HTML comment around it, a raw line break in a string and a trailing comma.
        #expect(events.map(\.name) == ["Företagarnas dag"])
        #expect(events.first?.description == "En dag för alla företagare.")
        #expect(events.first?.registrationDeadline == "2027-09-20")
        #expect(events.first?.keywords == ["Entreprenörskap"])
    }

    @Test func deepNestingIsBounded() {
        let deep =
            String(repeating: "{\"@graph\": [", count: 1000) + "{\"@type\": \"Event\", \"name\": \"Djupt\"}"
            + String(repeating: "]}", count: 1000)
        let (deepNodes, deepProblems) = SchemaOrg.nodes(in: [deep])
        #expect(deepNodes.isEmpty)
        #expect(
            deepProblems == [
                "JSON-LD block 1 is not valid JSON: the document is nested too deeply (more than 128 levels)"
            ])

        let nested =
            String(repeating: "{\"@graph\": [", count: 60) + "{\"@type\": \"Event\", \"name\": \"Grunt\"}"
            + String(repeating: "]}", count: 60)
        let (tooDeep, problems) = SchemaOrg.nodes(in: [nested])
        #expect(problems.isEmpty)
        #expect(SchemaOrg.events(in: tooDeep).isEmpty)

        let shallow =
            String(repeating: "{\"@graph\": [", count: 20) + "{\"@type\": \"Event\", \"name\": \"Grunt\"}"
            + String(repeating: "]}", count: 20)
        #expect(SchemaOrg.events(in: SchemaOrg.nodes(in: [shallow]).nodes).map(\.name) == ["Grunt"])

        let deepValue =
            "{\"@type\": \"Event\", \"name\": \"Djupt värde\", \"location\": "
            + String(repeating: "[", count: 300) + "\"Hallen\"" + String(repeating: "]", count: 300) + "}"
        let (valueNodes, _) = SchemaOrg.nodes(in: [deepValue])
        #expect(SchemaOrg.events(in: valueNodes).map(\.name).count <= 1)
    }

    @Test func nodeCountIsBounded() {
        let many =
            "["
            + Array(repeating: "{\"@type\": \"Event\", \"name\": \"E\", \"startDate\": \"2027-01-01\"}", count: 10_100)
            .enumerated().map { $0.element.replacingOccurrences(of: "\"E\"", with: "\"E\($0.offset)\"") }
            .joined(separator: ",") + "]"
        let (nodes, problems) = SchemaOrg.nodes(in: [many])
        #expect(nodes.count == SchemaOrg.maximumNodes)
        #expect(problems.count == 1)
    }

    @Test func mainEntityAndDuplicates() {
        let page = """
            {"@context": "https://schema.org", "@type": "WebPage", "name": "Evenemang",
             "mainEntity": {"@type": "Event", "name": "Vårmöte", "startDate": "2027-04-01"}}
            """
        let same = """
            {"@type": "Event", "name": "Vårmöte", "startDate": "2027-04-01"}
            """
        let events = SchemaOrg.events(in: SchemaOrg.nodes(in: [page, same]).nodes)
        #expect(events.map(\.name) == ["Vårmöte"])
    }

    @Test func fieldVariants() {
        let block = """
            {"@type": "Event", "name": ["<b>Dag</b> för&nbsp;innovation"], "url": {"@id": " https://x.se/dag "},
             "identifier": 4711, "startDate": {"@value": "2027-06-01"},
             "eventStatus": {"@id": "schema:EventMovedOnline"},
             "location": [{"@type": "Place", "address": "Hamngatan 2, Göteborg"}, "Hamngatan 2, Göteborg"],
             "organizer": [{"@type": "Organization", "name": "Region Väst"}, {"@type": "Person", "name": "Region väst"}],
             "keywords": [{"@type": "DefinedTerm", "name": "Innovation"}, "innovation, Hållbarhet"],
             "about": {"@type": "Thing", "name": "Tillväxt"},
             "offers": [{"@type": "Offer", "availabilityEnds": "2027-05-25"}]}
            """
        let events = SchemaOrg.events(in: SchemaOrg.nodes(in: [block]).nodes)
        #expect(
            events == [
                SchemaEvent(
                    name: "Dag för innovation", url: "https://x.se/dag", identifier: "4711", startDate: "2027-06-01",
                    location: "Hamngatan 2, Göteborg", organizer: "Region Väst", status: "EventMovedOnline",
                    keywords: ["Innovation", "Hållbarhet", "Tillväxt"], registrationDeadline: "2027-05-25")
            ])
    }

    @Test func nonEventsAndEmptyInput() {
        #expect(SchemaOrg.nodes(in: []).nodes.isEmpty)
        let (nodes, problems) = SchemaOrg.nodes(in: ["", "  ", "null", "42", "{\"@context\": \"https://schema.org\"}"])
        #expect(nodes.isEmpty)
        #expect(problems.count == 2)
        let organization = SchemaOrg.nodes(in: ["{\"@type\": \"Organization\", \"name\": \"Almi\"}"]).nodes
        #expect(SchemaOrg.events(in: organization).isEmpty)
    }
}
