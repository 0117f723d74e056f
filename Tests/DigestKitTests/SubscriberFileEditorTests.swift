import Foundation
import Testing

@testable import DigestKit

@Suite("Subscriber file editor")
struct SubscriberFileEditorTests {
    let taxonomy = Taxonomy(
        topics: [
            .init(id: "finansiering", labels: [.sv: "Finansiering", .en: "Financing"], synonyms: ["Lån", "Bidrag"]),
            .init(id: "export", labels: [.sv: "Export"], synonyms: []),
            .init(id: "hallbarhet", labels: [.sv: "Hållbarhet", .en: "Sustainability"], synonyms: ["Agenda 2030"]),
        ],
        organizers: ["Almi", "Vinnova"]
    )

    /// A folder `subscribers/` with `files`, and an editor of it.
    func setUp(_ files: [String: String]) throws -> (SubscriberFileEditor, URL) {
        let base = try TestSupport.temporaryFolder()
        for (name, text) in files { try TestSupport.write(text, to: "subscribers/" + name, in: base) }
        let folder = base.appendingPathComponent("subscribers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (SubscriberFileEditor(folder: folder, displayBase: base, taxonomy: taxonomy), folder)
    }

    func read(_ name: String, in folder: URL) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static let anna = """
        # Anna driver ett tillverkande företag i Falun.
        email: anna@example.com   # krävs
        name: Anna Andersson
        # Hon läser svenska.
        language: sv
        interests:
          topics: [finansiering, export]    # pengar och export
          regions: [Falun]
        exclude:
          keywords: [kooperativ]
        # Slut på Annas fil.

        """

    @Test("pause inserts paused: true after the last key; resume flips it in place; nothing else changes")
    func pauseAndResume() throws {
        let (editor, folder) = try setUp(["anna.yaml": Self.anna])
        let paused = try editor.set(.paused(true), for: "Anna@Example.com")
        #expect(paused.paused)
        let expectedPaused = Self.anna.replacingOccurrences(
            of: "  keywords: [kooperativ]\n", with: "  keywords: [kooperativ]\npaused: true\n")
        #expect(try read("anna.yaml", in: folder) == expectedPaused)
        try editor.set(.paused(false), for: "anna@example.com")
        #expect(
            try read("anna.yaml", in: folder)
                == expectedPaused.replacingOccurrences(of: "paused: true", with: "paused: false"))
    }

    @Test("a value is replaced in place, keeping its comment, quoting what needs quotes")
    func replaceInPlace() throws {
        let (editor, folder) = try setUp(["anna.yaml": Self.anna])
        try editor.set(.name("Anna \"Ankan\" Andersson: VD"), for: "anna@example.com")
        try editor.set(.language(.en), for: "anna@example.com")
        let expected =
            Self.anna
            .replacingOccurrences(of: "name: Anna Andersson", with: #"name: "Anna \"Ankan\" Andersson: VD""#)
            .replacingOccurrences(of: "language: sv", with: "language: en")
        #expect(try read("anna.yaml", in: folder) == expected)
        let directory = SubscriberDirectory.load(
            folder: folder, displayBase: folder.deletingLastPathComponent(), taxonomy: taxonomy)
        #expect(directory.subscribers.first?.name == "Anna \"Ankan\" Andersson: VD")
    }

    @Test("removeName takes out the name's line and nothing else; a name on a list entry's first line is refused")
    func removeName() throws {
        let list = "- name: Cecilia\n  email: c@example.com\n- email: d@example.com\n  name: Dan  # kollega\n"
        let (editor, folder) = try setUp(["anna.yaml": Self.anna, "lista.yaml": list])
        let removed = try editor.removeName(for: "anna@example.com")
        #expect(removed.name == nil)
        let expected = Self.anna.replacingOccurrences(of: "name: Anna Andersson\n", with: "")
        #expect(try read("anna.yaml", in: folder) == expected)
        try editor.removeName(for: "anna@example.com")  // no name: nothing to do
        #expect(try read("anna.yaml", in: folder) == expected)

        try editor.removeName(for: "d@example.com")
        #expect(
            try read("lista.yaml", in: folder) == "- name: Cecilia\n  email: c@example.com\n- email: d@example.com\n")
        #expect(throws: SubscriberEditError.self) { try editor.removeName(for: "c@example.com") }
        do {
            try editor.removeName(for: "c@example.com")
        } catch {
            #expect(
                error.description
                    == "subscribers/lista.yaml: cannot remove 'name' in place (it is on the line of the entry's '-'); "
                    + "edit it by hand.")
        }
        #expect(
            try read("lista.yaml", in: folder) == "- name: Cecilia\n  email: c@example.com\n- email: d@example.com\n")
    }

    @Test("an address is found whatever its case, also with letters beyond ASCII")
    func locate() throws {
        let (editor, _) = try setUp([
            "anna.yaml": Self.anna, "asa.yaml": "email: \"Åsa.Berg@Example.se\"\n",
            "other.yaml": "email: x@example.com\n",
        ])
        #expect(editor.locate("ANNA@example.COM").map(\.path) == ["subscribers/anna.yaml"])
        #expect(editor.locate("åsa.berg@example.se").map(\.path) == ["subscribers/asa.yaml"])
        #expect(editor.locate("nobody@example.com").isEmpty)
    }

    @Test("a key with an empty value and a comment gets its value before the comment")
    func emptyValue() throws {
        let (editor, folder) = try setUp(["b.yaml": "email: b@example.com\nname:    # fyll i\n"])
        try editor.set(.name("Bertil"), for: "b@example.com")
        #expect(try read("b.yaml", in: folder) == "email: b@example.com\nname: Bertil    # fyll i\n")
    }

    static let list = """
        # Två kollegor och en till.
        - email: b@example.com   # Bertil
          language: en
          interests:
            topics:
            - finansiering
            - export
        # Cecilia
        - email: c@example.com
          paused: false  # ska få brev

        - email: d@example.com

        """

    @Test("list files: keys go into the right entry at its indentation, entries are cut out with their comment")
    func listFiles() throws {
        let (editor, folder) = try setUp(["lista.yaml": Self.list])
        try editor.set(.paused(true), for: "b@example.com")
        try editor.set(.paused(true), for: "c@example.com")
        try editor.set(.sendEmpty(true), for: "d@example.com")
        let edited = """
            # Två kollegor och en till.
            - email: b@example.com   # Bertil
              language: en
              interests:
                topics:
                - finansiering
                - export
              paused: true
            # Cecilia
            - email: c@example.com
              paused: true  # ska få brev

            - email: d@example.com
              sendEmpty: true

            """
        #expect(try read("lista.yaml", in: folder) == edited)
        #expect(try editor.remove("c@example.com") == .removedEntry("subscribers/lista.yaml"))
        let removed = """
            # Två kollegor och en till.
            - email: b@example.com   # Bertil
              language: en
              interests:
                topics:
                - finansiering
                - export
              paused: true

            - email: d@example.com
              sendEmpty: true

            """
        #expect(try read("lista.yaml", in: folder) == removed)
        try editor.remove("b@example.com")
        #expect(
            try read("lista.yaml", in: folder)
                == "# Två kollegor och en till.\n\n- email: d@example.com\n  sendEmpty: true\n")
        #expect(try editor.remove("d@example.com") == .deletedFile("subscribers/lista.yaml"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("lista.yaml").path))
    }

    @Test("replaceInterests rewrites only the interests mapping's lines and keeps every comment outside it")
    func replaceInterests() throws {
        let (editor, folder) = try setUp(["anna.yaml": Self.anna])
        var interests = Subscriber.Interests()
        interests.topics = ["Lån", "hallbarhet"]
        interests.kinds = [.funding]
        interests.keywords = ["e-handel", "AI: nu"]
        let result = try editor.replaceInterests(interests, for: "anna@example.com")
        #expect(result.interests.topics == ["finansiering", "hallbarhet"])
        let expected = Self.anna.replacingOccurrences(
            of: "  topics: [finansiering, export]    # pengar och export\n  regions: [Falun]\n",
            with: "  topics: [finansiering, hallbarhet]\n  kinds: [funding]\n  keywords: [e-handel, \"AI: nu\"]\n")
        #expect(try read("anna.yaml", in: folder) == expected)

        try editor.replaceInterests(Subscriber.Interests(), for: "anna@example.com")
        #expect(
            try read("anna.yaml", in: folder)
                == expected.replacingOccurrences(
                    of:
                        "interests:\n  topics: [finansiering, hallbarhet]\n  kinds: [funding]\n  keywords: [e-handel, \"AI: nu\"]\n",
                    with: ""))

        var regions = Subscriber.Interests()
        regions.regions = ["Falun"]
        try editor.replaceInterests(regions, for: "anna@example.com")
        #expect(
            try read("anna.yaml", in: folder)
                == expected.replacingOccurrences(
                    of:
                        "interests:\n  topics: [finansiering, hallbarhet]\n  kinds: [funding]\n  keywords: [e-handel, \"AI: nu\"]\n",
                    with: ""
                ).replacingOccurrences(
                    of: "  keywords: [kooperativ]\n", with: "  keywords: [kooperativ]\ninterests:\n  regions: [Falun]\n"
                ))
    }

    @Test("replaceInterests on a flow mapping keeps the comment on the interests line")
    func replaceFlowInterests() throws {
        let text = "email: e@example.com\ninterests: {topics: [export]}   # det viktiga\nname: Eva\n"
        let (editor, folder) = try setUp(["eva.yaml": text])
        var interests = Subscriber.Interests()
        interests.organizers = ["almi"]
        let result = try editor.replaceInterests(interests, for: "e@example.com")
        #expect(result.interests.organizers == ["Almi"])
        #expect(
            try read("eva.yaml", in: folder)
                == "email: e@example.com\ninterests:  # det viktiga\n  organizers: [Almi]\nname: Eva\n")
    }

    @Test("an edit that would make the file invalid is refused and the file is left as it was")
    func refusals() throws {
        let broken = "email: f@example.com\ninterests:\n  topics: [finansering]\n"
        let flow = "{email: g@example.com, name: G}\n"
        let (editor, folder) = try setUp(["anna.yaml": Self.anna, "f.yaml": broken, "g.yaml": flow])

        var interests = Subscriber.Interests()
        interests.topics = ["finansering"]
        do {
            try editor.replaceInterests(interests, for: "anna@example.com")
            Issue.record("an unknown topic was accepted")
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "subscribers/anna.yaml:7:12: unknown topic 'finansering'. Did you mean 'finansiering'?"
                ])
        }
        #expect(try read("anna.yaml", in: folder) == Self.anna)

        #expect(throws: SubscriberEditError.self) { try editor.set(.paused(true), for: "f@example.com") }
        #expect(try read("f.yaml", in: folder) == broken)
        #expect(throws: SubscriberEditError.self) { try editor.set(.paused(true), for: "g@example.com") }
        #expect(try read("g.yaml", in: folder) == flow)
        #expect(throws: SubscriberEditError.self) { try editor.set(.paused(true), for: "nobody@example.com") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty)
    }

    @Test("add writes a checked file with canonical names and refuses a duplicate or a misspelt topic")
    func add() throws {
        let (editor, folder) = try setUp(["anna.yaml": Self.anna])
        var subscriber = Subscriber(email: "ny.person@example.com")
        subscriber.name = "Ny Person"
        subscriber.language = .en
        subscriber.interests.topics = ["Bidrag"]
        subscriber.interests.regions = ["rattvik"]
        subscriber.interests.organizers = ["vinnova"]
        let location = try editor.add(subscriber)
        #expect(location.path == "subscribers/ny-person-example-com.yaml")
        #expect(
            try read("ny-person-example-com.yaml", in: folder) == """
                email: ny.person@example.com
                name: Ny Person
                language: en
                interests:
                  topics: [finansiering]
                  regions: [Rättvik]
                  organizers: [Vinnova]

                """)
        #expect(throws: SubscriberEditError.self) { try editor.add(Subscriber(email: "ANNA@example.com")) }
        var misspelt = Subscriber(email: "x@example.com")
        misspelt.interests.topics = ["finansering"]
        do {
            try editor.add(misspelt)
            Issue.record("a misspelt topic was accepted")
        } catch {
            #expect(error.diagnostics.map(\.message) == ["unknown topic 'finansering'. Did you mean 'finansiering'?"])
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x-example-com.yaml").path))
    }

    /// Counts what concurrent readers saw.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var reads = 0
        private var bad: [String] = []
        private var stop = false

        func note(_ text: String, good: Bool) {
            lock.withLock {
                reads += 1
                if !good { bad.append(text) }
            }
        }
        var stopped: Bool { lock.withLock { stop } }
        func finish() { lock.withLock { stop = true } }
        var result: (reads: Int, bad: [String]) { lock.withLock { (reads, bad) } }
    }

    @Test("readers running during edits always see a whole, valid file with its comments")
    func concurrentReaders() throws {
        let (editor, folder) = try setUp(["anna.yaml": Self.anna])
        let file = folder.appendingPathComponent("anna.yaml")
        let tally = Tally()
        let taxonomy = self.taxonomy
        let done = DispatchGroup()
        for _ in 0..<2 {
            done.enter()
            // Real threads, so the readers run while the edits do, whatever the test pool is busy with.
            Thread {
                while !tally.stopped {
                    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                    let checked = (try? YAMLDocument(text: text, displayPath: "anna.yaml")).map {
                        SubscriberChecker(taxonomy: taxonomy, extraOrganizers: []).read($0)
                    }
                    let good =
                        text.hasPrefix("# Anna driver") && text.contains("# Slut på Annas fil.")
                        && checked?.1.isEmpty == true && checked?.0.count == 1
                    tally.note(text, good: good)
                }
                done.leave()
            }.start()
        }
        var round = 0
        while round < 60 || (tally.result.reads < 100 && round < 2000) {
            try editor.set(.paused(round % 2 == 0), for: "anna@example.com")
            round += 1
        }
        if round % 2 == 1 { try editor.set(.paused(false), for: "anna@example.com") }
        tally.finish()
        done.wait()
        let (reads, bad) = tally.result
        #expect(reads > 0)
        #expect(bad.isEmpty, "\(bad.first ?? "")")
        #expect(
            try read("anna.yaml", in: folder)
                == Self.anna.replacingOccurrences(
                    of: "  keywords: [kooperativ]\n", with: "  keywords: [kooperativ]\npaused: false\n"))
    }

    @Test("concurrent editors of one list file lose no change")
    func concurrentEditors() async throws {
        let (editor, folder) = try setUp(["lista.yaml": Self.list])
        await withTaskGroup(of: Void.self) { group in
            for email in ["b@example.com", "c@example.com", "d@example.com"] {
                group.addTask {
                    for round in 0..<10 { _ = try? editor.set(.paused(round % 2 == 0), for: email) }
                    _ = try? editor.set(.name(email), for: email)
                }
            }
        }
        let directory = SubscriberDirectory.load(
            folder: folder, displayBase: folder.deletingLastPathComponent(), taxonomy: taxonomy)
        #expect(directory.diagnostics.isEmpty)
        #expect(directory.subscribers.map(\.name) == ["b@example.com", "c@example.com", "d@example.com"])
        #expect(directory.subscribers.allSatisfy { !$0.paused })
        #expect(try read("lista.yaml", in: folder).contains("# Cecilia\n"))
    }
}
