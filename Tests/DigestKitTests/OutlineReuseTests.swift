import Foundation
import Logging
import Testing

@testable import DigestKit

/// Digests whose outline is rendered once and filled in for each reader must be exactly what rendering each reader
/// alone gives: the same bytes, with each reader's own name, address, greeting and links, escaped where they land.
@Suite("Outlines shared by readers of the same items")
struct OutlineReuseTests {
    @Test("many readers with the same interests get byte for byte what rendering each alone gives")
    func sameAsAlone() async throws {
        let (example, issue, collected) = try await exampleRun()
        var workspace = example
        let index = ItemIndex(collected.items)

        var readers: [Subscriber] = []
        let names: [String?] = [nil, "Åsa Ödmark", "<b>Eve</b> & \"Mallory\" 'o", "Anna\nAndersson", "Ola"]
        for (number, example) in workspace.subscribers.enumerated() {
            for (variant, name) in names.enumerated() {
                var reader = example
                reader.name = name
                reader.email = "reader\(number)-\(variant)+o'hara&co@example.se"
                if variant == 3 { reader.language = .en }
                readers.append(reader)
            }
        }
        let shared = try DigestBuilder(workspace: workspace, issue: issue, secret: Data("secret".utf8))
        workspace.renderer.reusesOutlines = false
        let alone = try DigestBuilder(workspace: workspace, issue: issue, secret: Data("secret".utf8))
        var outlines = Set<String>()
        for reader in readers {
            let first = try shared.build(for: reader, index: index, sent: [:])
            let second = try shared.build(for: reader, index: index, sent: [:])
            let expected = try alone.build(for: reader, index: ItemIndex(collected.items), sent: [:])
            #expect(first.message.bytes == expected.message.bytes, "\(reader.email)")
            #expect(second.message.bytes == expected.message.bytes, "\(reader.email)")
            #expect(first.rendered.subject == expected.rendered.subject)
            outlines.insert(first.rendered.preheader)
            if let name = reader.name, name.contains("<b>") {
                #expect(first.rendered.html.contains("&lt;b&gt;Eve&lt;/b&gt; &amp; &quot;Mallory&quot; &#39;o"))
                #expect(!first.rendered.html.contains("<b>Eve"))
            }
            let token = shared.composer.token(for: reader.email) ?? ""
            #expect(first.rendered.text.contains(token) && !token.isEmpty)
        }
        #expect(outlines.count >= 3)
    }

    @Test("an item id that comes back with another item in the same run never gets the first item's outline")
    func changedItemUnderTheSameID() async throws {
        let workspace = try await Workspace.load(configFile: TestSupport.root.appendingPathComponent("digest.yaml"))
        let run = RenderRun(
            renderer: workspace.renderer,
            links: try ReaderLinkBuilder(newsletter: workspace.config.newsletter, secret: nil))
        let issue = IssueInfo(id: "2026-W49", now: TestSupport.demoNow)
        func content(title: String) -> DigestContent {
            var item = Item(id: "call-1", kind: .funding, source: "utlysningar", title: title)
            item.deadline = issue.now.addingTimeInterval(10 * 86_400)
            return DigestContent(
                subscriber: Subscriber(email: "reader@example.se"), language: .sv,
                newFunding: [Selection(item: item, reasons: [.everything])], closingSoon: [], events: [], changed: [])
        }
        let first = try run.render(content(title: "Första utlysningen"), issue: issue)
        let again = try run.render(content(title: "Första utlysningen"), issue: issue)
        // The digest that meets the changed item is rendered on its own; the next one shares a fresh outline.
        let second = try run.render(content(title: "Andra utlysningen"), issue: issue)
        let secondAgain = try run.render(content(title: "Andra utlysningen"), issue: issue)
        #expect(first.html.contains("Första utlysningen") && again.html == first.html)
        #expect(second.html.contains("Andra utlysningen") && secondAgain.html == second.html)
        #expect(!second.html.contains("Första utlysningen") && !second.text.contains("Första utlysningen"))
        #expect(run.outlineStatistics == (rendered: 2, reused: 1))
    }
}

@Suite("Reader fields through one door")
struct ReaderFieldTests {
    /// The example templates with every reader field written out, `field=[value]`, at the end of both bodies, and
    /// the reader's name in the subject (so that the subject is the reader's too).
    func templatesShowingEveryReaderField() throws -> (folder: URL, templates: URL) {
        let folder = try TestSupport.temporaryFolder()
        let templates = folder.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("templates"), to: templates)
        for (file, open, close) in [("digest.txt", "{{{", "}}}"), ("digest.html", "{{", "}}")] {
            let url = templates.appendingPathComponent(file + ".mustache")
            var text = try String(contentsOf: url, encoding: .utf8)
            for field in ReaderField.allCases {
                text += "\(field.templateName)=[\(open)\(field.templateName)\(close)]\n"
            }
            try Data(text.utf8).write(to: url)
        }
        let subject = templates.appendingPathComponent("subject.mustache")
        let text = try String(contentsOf: subject, encoding: .utf8)
        try Data((text.trimmingCharacters(in: .newlines) + " {{subscriber.name}}\n").utf8).write(to: subject)
        return (folder, templates)
    }

    @Test("two readers of the same items each get their own value of every reader field, from a shared outline")
    func everyFieldIsTheReaders() async throws {
        let (folder, templates) = try templatesShowingEveryReaderField()
        let (example, issue, collected) = try await exampleRun()
        var workspace = example
        workspace.renderer = try DigestRenderer.load(
            folder: templates, displayBase: folder, taxonomy: workspace.taxonomy,
            newsletter: workspace.config.newsletter)
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: Data("secret".utf8))
        let index = ItemIndex(collected.items)
        var first = try #require(workspace.subscribers.first)
        first.name = "Åsa <Ödmark>"
        first.email = "asa@example.se"
        var second = first
        second.name = "Bo & 'Berg'"
        second.email = "bo@example.net"
        let readers = [first, second]
        let digests = try readers.map { try builder.build(for: $0, index: index, sent: [:]) }
        #expect(builder.run.outlineStatistics == (rendered: 1, reused: 1))
        let strings = workspace.renderer.strings(for: workspace.language(of: first))
        let values = readers.enumerated().map { number, reader in
            var values = ReaderValues(
                subscriber: reader, links: builder.run.links.links(for: reader), strings: strings)
            values[.subject] = digests[number].rendered.subject
            return values
        }
        for field in ReaderField.allCases {
            #expect(values[0][field] != values[1][field], "\(field) must differ for the test to mean anything")
            for (own, other) in [(0, 1), (1, 0)] {
                let text = digests[own].rendered.text
                let html = digests[own].rendered.html
                let name = field.templateName
                #expect(text.contains("\n\(name)=[\(values[own][field])]\n"), "\(name) in \(readers[own].email)'s text")
                #expect(!text.contains("\n\(name)=[\(values[other][field])]\n"), "\(name) of the other reader")
                #expect(html.contains("\n\(name)=[\(HTMLEscaping.escape(values[own][field]))]\n"), "\(name) in html")
                #expect(!html.contains("\n\(name)=[\(HTMLEscaping.escape(values[other][field]))]\n"))
            }
        }
        #expect(digests[0].rendered.subject.hasSuffix(" Åsa <Ödmark>"))
        #expect(digests[1].rendered.subject.hasSuffix(" Bo & 'Berg'"))
    }

    @Test("a reader field the readers have no value for is left out of the context, so its section is false")
    func absentField() throws {
        var subscriber = Subscriber(email: "a@example.se")
        subscriber.name = nil
        let links = ReaderLinks(unsubscribeURL: nil, preferencesURL: nil, unsubscribeMailto: "mailto:u@example.se")
        let strings = try Strings.load(
            from: TestSupport.root.appendingPathComponent("templates/strings"), language: .en,
            displayBase: TestSupport.root)
        let values = ReaderValues(subscriber: subscriber, links: links, strings: strings)
        #expect(values.absentFields == [.preferencesURL])
        #expect(values[.name] == "")
        #expect(values[.unsubscribeURL] == "mailto:u@example.se")
        #expect(values[.greeting] == strings["greetingAnonymous"])
    }
}

/// The example workspace, this week's issue (with the editor's note) and its collected items.
func exampleRun() async throws -> (Workspace, IssueInfo, CollectResult) {
    let workspace = try await Workspace.load(configFile: TestSupport.root.appendingPathComponent("digest.yaml"))
    let issue = IssueInfo(id: "2026-W49", now: TestSupport.demoNow, editorNote: try workspace.editorNote())
    let collected = await SourceCollector(
        config: workspace.config,
        taxonomy: workspace.taxonomy,
        logger: Logger(label: "test")
    ).collect(window: workspace.window(at: issue.now))
    return (workspace, issue, collected)
}
