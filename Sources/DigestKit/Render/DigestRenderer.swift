import Foundation
import Mustache

/// Renders digests from the Mustache templates in `templates/`, compiled once per run.
///
/// The template context is documented field by field in `templates/README.md`; `DigestContext` builds it.
public struct DigestRenderer: Sendable {
    /// The templates every folder must have.
    public static let requiredTemplates = ["digest.html", "digest.txt", "subject"]

    let library: MustacheLibrary
    let strings: [Language: Strings]
    let taxonomy: Taxonomy
    let newsletter: NewsletterConfig
    /// Sections longer than this show their first items and "och N till".
    public var maxItemsPerSection: Int = 40
    /// The most bytes of HTML a digest may have, so Gmail (which clips at about 102 KB) shows it whole; longer
    /// digests show fewer items per section, each with "och N till".
    public var htmlBudget: Int = 90_000

    /// Compiles the templates in `folder` and reads `folder/strings/<language>.yaml` for every language.
    ///
    /// Errors name the template file and line.
    public static func load(
        folder: URL,
        displayBase: URL,
        taxonomy: Taxonomy,
        newsletter: NewsletterConfig
    ) async throws(DiagnosticList) -> DigestRenderer {
        let folderPath = SubscriberDirectory.displayPath(folder, base: displayBase)
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: folder.path)
        } catch let error as MustacheLibrary.ParserError {
            throw DiagnosticList([
                Diagnostic(
                    path: folderPath + "/" + error.filename,
                    line: error.context.lineNumber,
                    column: error.context.columnNumber,
                    message: "template error: \(error.error)."
                )
            ])
        } catch {
            throw DiagnosticList([Diagnostic(path: folderPath, message: "cannot read templates: \(error).")])
        }
        var problems: [Diagnostic] = []
        for name in requiredTemplates where library.getTemplate(named: name) == nil {
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
        return DigestRenderer(library: library, strings: strings, taxonomy: taxonomy, newsletter: newsletter)
    }

    /// The strings of `language`.
    public func strings(for language: Language) -> Strings {
        strings[language] ?? strings[.sv]!
    }

    /// Renders `content` for issue `issue` with the reader's footer `links`, within the HTML budget.
    public func render(_ content: DigestContent, issue: IssueInfo, links: ReaderLinks) -> RenderedDigest {
        var limit = maxItemsPerSection
        while true {
            let digest = render(content, issue: issue, links: links, itemsPerSection: limit)
            if digest.html.utf8.count <= htmlBudget || limit <= 3 { return digest }
            limit = max(3, limit * 2 / 3)
        }
    }

    private func render(
        _ content: DigestContent,
        issue: IssueInfo,
        links: ReaderLinks,
        itemsPerSection: Int
    ) -> RenderedDigest {
        let context = DigestContext(
            strings: strings(for: content.language),
            taxonomy: taxonomy,
            newsletter: newsletter,
            maxItemsPerSection: itemsPerSection
        )
        let values = context.values(for: content, issue: issue, links: links)
        let subject = render("subject", values)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        var withSubject = values
        withSubject["subject"] = subject
        let html = render("digest.html", withSubject)
        let text = TextWrapper(width: 72).wrap(Self.tidy(render("digest.txt", withSubject)))
        return RenderedDigest(
            subject: subject,
            preheader: values["preheader"] as? String ?? "",
            html: html,
            text: text,
            calendarEvents: (content.events + content.changed).map(\.item)
        )
    }

    private func render(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }

    /// Collapses runs of blank lines and trailing spaces that template sections leave behind.
    static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        var blank = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Slice off the trailing spaces; walking the whole line as Characters, reversed twice, was the renderer's
            // largest cost (Benchmarks/README.md).
            let stripped = line.lastIndex { $0 != " " }.map { line[...$0] } ?? line[line.startIndex..<line.startIndex]
            if stripped.isEmpty {
                blank += 1
                if blank > 1 { continue }
            } else {
                blank = 0
            }
            lines.append(stripped)
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
