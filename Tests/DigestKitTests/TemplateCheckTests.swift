import Foundation
import Testing

@testable import DigestKit

@Suite("Template checks")
struct TemplateCheckTests {
    func copyTemplates() throws -> (URL, URL) {
        let folder = try TestSupport.temporaryFolder()
        let templates = folder.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: TestSupport.root.appendingPathComponent("templates"), to: templates)
        return (folder, templates)
    }

    func newsletter() throws -> NewsletterConfig {
        try DigestConfig.load(from: TestSupport.root.appendingPathComponent("digest.yaml")).newsletter
    }

    @Test("a template error names the file and line")
    func syntaxError() async throws {
        let (folder, templates) = try copyTemplates()
        let file = templates.appendingPathComponent("partials/event.html.mustache")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += "\n{{#summary}}never closed\n"
        try Data(text.utf8).write(to: file)
        let error = await #expect(throws: DiagnosticList.self) {
            try await DigestRenderer.load(
                folder: templates, displayBase: folder, taxonomy: .empty, newsletter: try newsletter())
        }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.path == "templates/partials/event.html.mustache")
        #expect(diagnostic.line != nil)
        #expect(diagnostic.message.hasPrefix("template error"))
    }

    @Test("a missing template or string is reported")
    func missingPieces() async throws {
        let (folder, templates) = try copyTemplates()
        try FileManager.default.removeItem(at: templates.appendingPathComponent("subject.mustache"))
        let strings = templates.appendingPathComponent("strings/en.yaml")
        let text = try String(contentsOf: strings, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("deadline:") }.joined(separator: "\n")
        try Data(text.utf8).write(to: strings)
        let error = await #expect(throws: DiagnosticList.self) {
            try await DigestRenderer.load(
                folder: templates, displayBase: folder, taxonomy: .empty, newsletter: try newsletter())
        }
        let lines = error?.diagnostics.map(\.description) ?? []
        #expect(lines.contains("templates: missing template subject.mustache."))
        #expect(lines.contains("templates/strings/en.yaml: missing string 'deadline'."))
    }
}
