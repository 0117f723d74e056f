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
