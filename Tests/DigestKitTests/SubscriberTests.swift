import Foundation
import Testing

@testable import DigestKit

@Suite("Subscriber files")
struct SubscriberTests {
    let taxonomy = Taxonomy(
        topics: [
            .init(id: "finansiering", labels: [.sv: "Finansiering", .en: "Financing"], synonyms: ["Lån", "Bidrag"]),
            .init(id: "hallbarhet", labels: [.sv: "Hållbarhet", .en: "Sustainability"], synonyms: ["Agenda 2030"]),
        ],
        organizers: ["Almi", "Vinnova"]
    )

    func load(_ files: [String: String]) throws -> SubscriberDirectory {
        let folder = try TestSupport.temporaryFolder()
        for (name, text) in files { try TestSupport.write(text, to: "subscribers/" + name, in: folder) }
        try TestSupport.write("# not a subscriber", to: "subscribers/README.md", in: folder)
        return SubscriberDirectory.load(
            folder: folder.appendingPathComponent("subscribers"),
            displayBase: folder,
            taxonomy: taxonomy
        )
    }

    @Test("the example subscribers are valid")
    func examples() throws {
        let taxonomy = try Taxonomy.load(
            from: TestSupport.root.appendingPathComponent("topics.yaml"),
            displayPath: "topics.yaml"
        )
        let directory = SubscriberDirectory.load(
            folder: TestSupport.root.appendingPathComponent("subscribers"),
            displayBase: TestSupport.root,
            taxonomy: taxonomy
        )
        #expect(directory.diagnostics.isEmpty, "\(directory.diagnostics)")
        #expect(directory.subscribers.count == 3)
    }

    @Test("a file holds one subscriber or a list; synonyms map to topic ids; names are canonical")
    func shapes() throws {
        let directory = try load([
            "anna.yaml": "email: anna@example.com\ninterests:\n  topics: [Lån]\n  regions: [rattvik, Dalarna]\n",
            "lista.yml": "- email: b@example.com\n  language: en\n- email: c@example.com\n  paused: true\n",
        ])
        #expect(directory.diagnostics.isEmpty, "\(directory.diagnostics)")
        #expect(directory.subscribers.map(\.email) == ["anna@example.com", "b@example.com", "c@example.com"])
        #expect(directory.subscribers[0].interests.topics == ["finansiering"])
        #expect(directory.subscribers[0].interests.regions == ["Rättvik", "Dalarna"])
        #expect(directory.subscribers[1].language == .en)
        #expect(directory.subscribers[2].paused)
    }

    @Test("mistakes are reported as path:line:column with a suggestion, and the file is left out")
    func mistakes() throws {
        let directory = try load([
            "anna.yaml": """
            email: anna@example.com
            intrests:
              topics: [finansiering]

            """,
            "bertil.yaml": """
            email: bertil@example.com
            interests:
              topics: [finansering, hallbarhet]
              regions: [Faluun]
              organizers: [Alm]

            """,
            "cecilia.yaml": "email: cecilia(at)example.com\n",
        ])
        let lines = directory.diagnostics.map(\.description)
        #expect(
            lines == [
                "subscribers/anna.yaml:2:1: unknown key 'intrests'. Did you mean 'interests'?",
                "subscribers/bertil.yaml:3:12: unknown topic 'finansering'. Did you mean 'finansiering'?",
                "subscribers/bertil.yaml:5:16: unknown organizer 'Alm'. Did you mean 'Almi'?",
                "subscribers/bertil.yaml:4:13: unknown region 'Faluun'. Did you mean 'Falun'?",
                "subscribers/cecilia.yaml:1:8: 'cecilia(at)example.com' is not a valid email address.",
            ]
        )
        #expect(directory.subscribers.isEmpty)
    }

    @Test("control characters (CR, LF, NUL, U+2028) in a name or keyword are reported at their place")
    func controlCharacters() throws {
        let directory = try load([
            "anna.yaml": """
            email: anna@example.com
            name: "Anna\\r\\nBcc: x@example.com"
            interests:
              keywords: [export, "a\\u2028b"]
            exclude:
              keywords: ["nul\\0"]

            """
        ])
        #expect(
            directory.diagnostics.map(\.description) == [
                "subscribers/anna.yaml:2:7: the name holds a control character (U+000D); write it on one line, "
                    + "without control characters.",
                "subscribers/anna.yaml:4:22: the keyword holds a control character (U+2028); write it on one line, "
                    + "without control characters.",
                "subscribers/anna.yaml:6:14: the keyword holds a control character (U+0000); write it on one line, "
                    + "without control characters.",
            ])
        #expect(directory.subscribers.isEmpty)
    }

    @Test("the same address in two files is reported at the second")
    func duplicates() throws {
        let directory = try load([
            "a.yaml": "email: Anna@Example.com\n",
            "b.yaml": "email: anna@example.com\n",
        ])
        #expect(
            directory.diagnostics.map(\.description) == [
                "subscribers/b.yaml:1:1: anna@example.com is already subscribed in subscribers/a.yaml; keep one of them."
            ])
        #expect(directory.subscribers.count == 1)
    }
}
