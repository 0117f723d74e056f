import CompiledMustache
import Foundation

extension DigestRenderer {
    /// Compiles the `.mustache` templates under `folder` (each named by its path without the extension, such as
    /// `partials/event.html`) and reads `folder/strings/<language>.yaml` for every language.
    ///
    /// Every problem is thrown together, located: a template the compiled renderer cannot render (a transform,
    /// template inheritance, a dynamic or indented partial) or that is malformed is an error at its file, line and
    /// column, naming the construct; so is a partial that includes itself, directly or through others.
    public static func load(
        folder: URL,
        displayBase: URL,
        taxonomy: Taxonomy,
        newsletter: NewsletterConfig
    ) throws(DiagnosticList) -> DigestRenderer {
        let folderPath = SubscriberDirectory.displayPath(folder, base: displayBase)
        var problems: [Diagnostic] = []
        var templates: [String: CompiledTemplate] = [:]
        let names = templateNames(in: folder)
        for name in names {
            let path = folderPath + "/" + name + ".mustache"
            guard
                let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name + ".mustache").path)
            else {
                problems.append(Diagnostic(path: path, message: "cannot read this template."))
                continue
            }
            do {
                // Indented partials would indent what a placeholder stands for, which an outline cannot know.
                templates[name] = try CompiledTemplate(String(decoding: data, as: UTF8.self), indentedPartials: false)
            } catch {
                problems.append(
                    Diagnostic(
                        path: path, line: error.line, column: error.column, message: "template error: \(error.message)."
                    ))
            }
        }
        var set = TemplateSet()
        for (name, template) in templates { set.add(template, named: name) }
        for cycle in set.partialCycles() {
            problems.append(
                Diagnostic(
                    path: folderPath + "/" + cycle.template + ".mustache",
                    line: cycle.tag.line,
                    column: cycle.tag.column,
                    message: cycle.message
                ))
        }
        for name in requiredTemplates where !names.contains(name) {
            problems.append(Diagnostic(path: folderPath, message: "missing template \(name).mustache."))
        }
        var strings: [Language: Strings] = [:]
        for language in Language.allCases {
            do {
                strings[language] = try Strings.load(
                    from: folder.appendingPathComponent("strings"),
                    language: language,
                    displayBase: displayBase
                )
            } catch {
                problems += error.diagnostics
            }
        }
        guard problems.isEmpty else { throw DiagnosticList(problems) }
        return DigestRenderer(templates: templates, strings: strings, taxonomy: taxonomy, newsletter: newsletter)
    }

    /// The name of every `.mustache` file under `folder`: its relative path without the extension, in order.
    private static func templateNames(in folder: URL) -> [String] {
        let base = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var names: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(".mustache") { names.append(String(path.dropLast(".mustache".count))) }
        }
        return names.sorted()
    }
}
