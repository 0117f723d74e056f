import CompiledMustache
import Foundation
import MailMessage

/// Renders digests from the Mustache templates in `templates/`, compiled once per run.
///
/// The template context is documented field by field in `templates/README.md`; `DigestContext` builds it. The item
/// partials (``itemPartials``) are rendered once per item, language, status and reason line and reused, already
/// encoded, by every digest that lists the item; the rest of each digest is rendered per reader.
public struct DigestRenderer: Sendable {
    /// The templates every folder must have.
    public static let requiredTemplates = ["digest.html", "digest.txt", "subject"]
    /// The partials that show one item; each sees the item's fields and the issue-wide ones (`t`, `lang`,
    /// `newsletter`, `issue`), never the reader's.
    public static let itemPartials = [
        "partials/event.html", "partials/event.txt", "partials/funding.html", "partials/funding.txt",
    ]

    /// The templates as written, compiled.
    let compiled: TemplateSet
    /// The same with each item partial replaced by a field that the item's shared fragment takes the place of.
    let compiledOutline: TemplateSet
    let translations: [Language: TemplateValue]
    let strings: [Language: Strings]
    let dates: [Language: DateText]
    let taxonomy: Taxonomy
    let newsletter: NewsletterConfig
    let fragments = ItemFragments()
    let outlines = OutlineCache()
    let chunks = ChunkCache()
    /// Whether a digest's outline is rendered once for all readers of the same items and filled in for each. On by
    /// default; off renders every reader's outline, for comparison.
    public var reusesOutlines = true
    let wrapper = TextWrapper(width: 72)
    /// Sections longer than this show their first items and "och N till".
    public var maxItemsPerSection: Int = 40
    /// The most bytes of HTML a digest may have, so Gmail (which clips at about 102 KB) shows it whole; longer
    /// digests show fewer items per section, each with "och N till".
    public var htmlBudget: Int = 90_000

    /// A renderer of the compiled `templates` (by name, as `load` finds them) and `strings`.
    init(
        templates: [String: CompiledTemplate],
        strings: [Language: Strings],
        taxonomy: Taxonomy,
        newsletter: NewsletterConfig
    ) {
        var compiled = TemplateSet()
        for (name, template) in templates { compiled.add(template, named: name) }
        var outline = compiled
        for (index, name) in Self.itemPartials.enumerated() where templates[name] != nil {
            // A triple mustache of a plain name always compiles.
            if let field = try? CompiledTemplate("{{{\(RenderSession.fieldNames[index])}}}") {
                outline.add(field, named: name)
            }
        }
        self.compiled = compiled
        self.compiledOutline = outline
        self.translations = strings.mapValues { strings in
            .object(strings.values.mapValues { TemplateValue.string($0) })
        }
        self.strings = strings
        self.dates = strings.mapValues { DateText(strings: $0, timeZone: newsletter.timeZone) }
        self.taxonomy = taxonomy
        self.newsletter = newsletter
    }

    /// How many distinct outlines this renderer has rendered, and how many digests reused one instead.
    public var outlineStatistics: (rendered: Int, reused: Int) {
        let statistics = outlines.statistics
        return (statistics.made, statistics.reused)
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
            if digest.htmlBody.utf8Count <= htmlBudget || limit <= 3 { return digest }
            limit = max(3, limit * 2 / 3)
        }
    }

    private func render(
        _ content: DigestContent,
        issue: IssueInfo,
        links: ReaderLinks,
        itemsPerSection: Int
    ) -> RenderedDigest {
        let strings = strings(for: content.language)
        let session = RenderSession()
        let context = DigestContext(
            strings: strings,
            translations: translations[strings.language] ?? .object([String: TemplateValue]()),
            dates: dates[strings.language] ?? DateText(strings: strings, timeZone: newsletter.timeZone),
            taxonomy: taxonomy,
            newsletter: newsletter,
            maxItemsPerSection: itemsPerSection,
            fragments: fragments,
            session: session
        )
        let plan = context.plan(content, issue: issue)
        var personal = PersonalValues(subscriber: content.subscriber, links: links, strings: strings)
        var root: [String: TemplateValue]?
        func issueRoot() -> [String: TemplateValue] {
            if let root { return root }
            let values = context.issueValues(issue)
            root = values
            return values
        }
        func partialText(_ entry: ItemEntry, _ partial: Int) -> String {
            renderPartial(partial, of: entry, root: issueRoot())
        }
        func makeOutline(personalAsPlaceholders: Bool) -> Outline {
            Outline(
                values: context.values(
                    for: plan, issue: issue, personal: personal, asPlaceholders: personalAsPlaceholders),
                subjectIsPersonal: personalAsPlaceholders,
                render: { render($0, $1, session: session) },
                session: session,
                wrapper: wrapper,
                chunks: chunks,
                partialText: partialText,
                htmlFragment: { htmlFragment($0, partial: $1, root: issueRoot()) },
                textFragment: { textFragment($0, partial: $1, root: issueRoot()) }
            )
        }
        let outline: Outline
        if reusesOutlines {
            let key = OutlineKey(
                language: strings.language,
                issue: issue.id,
                now: issue.now,
                note: issue.editorNote.map { [$0.html, $0.text] } ?? [],
                limit: itemsPerSection,
                hasPreferences: personal.hasPreferences,
                plan: plan.identity,
                counts: plan.counts
            )
            outline = outlines.outline(key) { makeOutline(personalAsPlaceholders: true) }
        } else {
            outline = makeOutline(personalAsPlaceholders: false)
        }
        personal[.subject] = outline.subject(personal, partialText: partialText)
        var html = TextBody()
        for segment in outline.html {
            switch segment {
            case .text(let text): html.append(text)
            case .lines(let lines): html.append(lines)
            case .laidOut(let laidOut): html.append(laidOut.raw)
            case .personal(let field, let escaped):
                html.append(escaped ? HTMLEscaping.escape(personal[field]) : personal[field])
            case .item(let entry, let partial): html.append(htmlFragment(entry, partial: partial, root: issueRoot()))
            }
        }
        var text = PlainTextLayout(wrapper: wrapper)
        for segment in outline.text {
            switch segment {
            case .text(let part): text.append(part[...])
            case .lines(let lines): text.append(lines.text[...])
            case .laidOut(let laidOut): text.append(laidOut)
            case .personal(let field, let escaped):
                text.append((escaped ? HTMLEscaping.escape(personal[field]) : personal[field])[...])
            case .item(let entry, let partial): text.append(textFragment(entry, partial: partial, root: issueRoot()))
            }
        }
        let calendar = content.events + content.changed
        return RenderedDigest(
            subject: personal[.subject],
            preheader: outline.preheader,
            htmlBody: html,
            textBody: text.finish(),
            calendarEvents: calendar.map(\.item),
            links: links
        )
    }

    /// The outline of template `template`: its text, and the item partials it shows.
    private func render(_ template: String, _ values: [String: TemplateValue], session: RenderSession)
        -> [TemplatePiece]
    {
        compiledOutline.renderPieces(template, .object(values)) ?? []
    }

    /// Partial `partial` of `entry` as HTML lines, rendered the first time.
    private func htmlFragment(_ entry: ItemEntry, partial: Int, root: [String: TemplateValue]) -> EncodedLines {
        let fragment = entry.fragment(partial * 2) {
            .html(EncodedLines(renderPartial(partial, of: entry, root: root)))
        }
        guard case .html(let lines) = fragment else { return EncodedLines("") }
        return lines
    }

    /// Partial `partial` of `entry` laid out as plain text, rendered the first time.
    private func textFragment(_ entry: ItemEntry, partial: Int, root: [String: TemplateValue]) -> LaidOutText {
        let fragment = entry.fragment(partial * 2 + 1) {
            .text(PlainTextLayout.layOut(renderPartial(partial, of: entry, root: root), wrapper: wrapper))
        }
        guard case .text(let text) = fragment else { return PlainTextLayout.layOut("", wrapper: wrapper) }
        return text
    }

    private func renderPartial(_ partial: Int, of entry: ItemEntry, root: [String: TemplateValue]) -> String {
        compiled.render(Self.itemPartials[partial], .object(FragmentScope(values: entry.values, root: root))) ?? ""
    }
}
