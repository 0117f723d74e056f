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
    func syntaxError() throws {
        let (folder, templates) = try copyTemplates()
        let file = templates.appendingPathComponent("partials/event.html.mustache")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += "\n{{#summary}}never closed\n"
        try Data(text.utf8).write(to: file)
        let error = #expect(throws: DiagnosticList.self) {
            try DigestRenderer.load(
                folder: templates, displayBase: folder, taxonomy: .empty, newsletter: try newsletter())
        }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(
            error?.diagnostics.map(\.description) == [
                "templates/partials/event.html.mustache:\(line):1: template error: '{{#summary}}' is never closed."
            ])
    }

    /// Edits `file` of a copy of the templates with `edit` and returns what loading them reports.
    func problems(editing file: String, _ edit: (String) -> String) throws -> [String] {
        let (folder, templates) = try copyTemplates()
        let url = templates.appendingPathComponent(file)
        try Data(edit(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
        let newsletter = try newsletter()
        do {
            _ = try DigestRenderer.load(
                folder: templates, displayBase: folder, taxonomy: .empty, newsletter: newsletter)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("what the compiled renderer does not do is an error at its line and column, naming the construct")
    func unsupported() throws {
        #expect(
            try problems(editing: "digest.html.mustache") {
                "{{#uppercased(missing)}}\n{{/uppercased(missing)}}\n" + $0
            }
                == [
                    "templates/digest.html.mustache:1:1: template error: transforms ('uppercased(missing)') are not supported."
                ]
        )
        #expect(
            try problems(editing: "subject.mustache") { $0 + "x {{<base}}{{/base}}\n" } == [
                "templates/subject.mustache:3:3: template error: template inheritance ('{{<…}}', parents and blocks) is "
                    + "not supported."
            ])
        #expect(
            try problems(editing: "partials/footer.txt.mustache") { "{{$block}}x{{/block}}\n" + $0 } == [
                "templates/partials/footer.txt.mustache:1:1: template error: template inheritance ('{{$…}}', parents "
                    + "and blocks) is not supported."
            ])
        #expect(
            try problems(editing: "partials/footer.html.mustache") { "\n\n{{>*dynamic}}\n" + $0 } == [
                "templates/partials/footer.html.mustache:3:1: template error: dynamic partials are not supported."
            ])
        var line = 0
        let indented = try problems(editing: "digest.txt.mustache") { text in
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            line = (lines.firstIndex { $0.hasPrefix("{{> partials/footer.txt}}") } ?? -1) + 1
            return text.replacingOccurrences(of: "{{> partials/footer.txt}}", with: "  {{> partials/footer.txt}}")
        }
        #expect(line > 0)
        #expect(
            indented == [
                "templates/digest.txt.mustache:\(line):3: template error: an indented partial ('{{> partials/footer.txt}}') "
                    + "is not supported; start its line with the tag."
            ])
    }

    @Test("a missing template or string is reported")
    func missingPieces() throws {
        let (folder, templates) = try copyTemplates()
        try FileManager.default.removeItem(at: templates.appendingPathComponent("subject.mustache"))
        let strings = templates.appendingPathComponent("strings/en.yaml")
        let text = try String(contentsOf: strings, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("deadline:") }.joined(separator: "\n")
        try Data(text.utf8).write(to: strings)
        let error = #expect(throws: DiagnosticList.self) {
            try DigestRenderer.load(
                folder: templates, displayBase: folder, taxonomy: .empty, newsletter: try newsletter())
        }
        let lines = error?.diagnostics.map(\.description) ?? []
        #expect(lines.contains("templates: missing template subject.mustache."))
        #expect(lines.contains("templates/strings/en.yaml: missing string 'deadline'."))
    }
}
