import CompiledMustache
import DigestSupport
import Foundation
import MailMessage

/// One run's rendering — a `digest send`, a `digest preview`, one request of the preview server: the renderer's
/// templates, the readers' links, and every cache of the run, each keyed by values and bounded.
///
/// What many readers share is done once: each item partial per item, language, status and reasons (``ItemFragments``,
/// at most 50,000 items), each outline per distinct list of items (``OutlineCache``, at most 1,600 outlines), the
/// whole lines of the templates' own text, the same in every outline, encoded and laid out once by their text (at
/// most 4,096 texts of each kind). Then each reader's values are put in the outline's placeholders.
public final class RenderRun: Sendable {
    /// The templates and strings.
    public let renderer: DigestRenderer
    /// The readers' links.
    public let links: ReaderLinkBuilder
    let fragments = ItemFragments()
    let outlines = OutlineCache()
    private let encodedLines = BoundedCache<String, EncodedLines>(capacity: 4_096)
    private let laidOutLines = BoundedCache<String, LaidOutText>(capacity: 4_096)

    /// A run rendering with `renderer`, the readers' links made by `links`.
    public init(renderer: DigestRenderer, links: ReaderLinkBuilder) {
        self.renderer = renderer
        self.links = links
    }

    /// How many distinct outlines this run has rendered, and how many digests reused one instead.
    public var outlineStatistics: (rendered: Int, reused: Int) {
        let statistics = outlines.statistics
        return (statistics.made, statistics.reused)
    }

    /// Renders `content` for issue `issue`, with the reader's links and events, within the HTML budget; throws when
    /// the templates' partials nest too deep (which ``DigestRenderer/load(folder:displayBase:taxonomy:newsletter:)``
    /// refuses beforehand), failing this digest only.
    public func render(_ content: DigestContent, issue: IssueInfo) throws(TemplateRenderError) -> RenderedDigest {
        let links = links.links(for: content.subscriber)
        let reader = ReaderValues(
            subscriber: content.subscriber, links: links, strings: renderer.strings(for: content.language))
        var limit = renderer.maxItemsPerSection
        while true {
            let digest = try render(content, issue: issue, reader: reader, links: links, itemsPerSection: limit)
            if digest.htmlBody.utf8Count <= renderer.htmlBudget || limit <= 3 { return digest }
            limit = max(3, limit * 2 / 3)
        }
    }

    /// Renders `content` with every item of every section, whatever the HTML budget: the archive's web version,
    /// read in a browser, not clipped by a mail program.
    public func renderWhole(_ content: DigestContent, issue: IssueInfo) throws(TemplateRenderError) -> RenderedDigest {
        let links = links.links(for: content.subscriber)
        let reader = ReaderValues(
            subscriber: content.subscriber, links: links, strings: renderer.strings(for: content.language))
        let all = max(1, content.all.count)
        return try render(content, issue: issue, reader: reader, links: links, itemsPerSection: all)
    }

    private func render(
        _ content: DigestContent,
        issue: IssueInfo,
        reader: ReaderValues,
        links: ReaderLinks,
        itemsPerSection: Int
    ) throws(TemplateRenderError) -> RenderedDigest {
        let context = renderer.context(content.language, fragments: fragments, itemsPerSection: itemsPerSection)
        let plan = context.plan(
            newFunding: content.newFunding,
            closingSoon: content.closingSoon,
            opensSoon: content.opensSoon,
            events: content.events,
            changed: content.changed,
            newItems: content.newItems,
            previousDeadlines: content.previousDeadlines,
            issue: issue
        )
        let absent = reader.absentFields
        var root: [String: TemplateValue]?
        func issueRoot() -> [String: TemplateValue] {
            if let root { return root }
            let values = context.issueValues(issue)
            root = values
            return values
        }
        func partialText(_ entry: ItemEntry, _ partial: Int) throws(TemplateRenderError) -> String {
            try renderer.renderPartial(partial, of: entry, root: issueRoot())
        }
        func makeOutline() throws(TemplateRenderError) -> Outline {
            try Outline(
                values: context.values(for: plan, issue: issue, absent: absent),
                entries: plan.entries,
                render: renderer.renderOutline,
                encoded: { text in encodedLines.value(for: text) { EncodedLines(text) } },
                laidOut: { text in
                    laidOutLines.value(for: text) { PlainTextLayout.layOut(text, wrapper: renderer.wrapper) }
                },
                partialText: partialText,
                htmlFragment: { entry, partial throws(TemplateRenderError) in
                    try htmlFragment(entry, partial: partial, root: issueRoot())
                },
                textFragment: { entry, partial throws(TemplateRenderError) in
                    try textFragment(entry, partial: partial, root: issueRoot())
                }
            )
        }
        let outline: Outline
        if renderer.reusesOutlines, let replacements = plan.replacements {
            let key = OutlineKey(
                language: context.strings.language,
                issue: issue.id,
                now: issue.now,
                note: issue.editorNote.map { [$0.html, $0.text] } ?? [],
                welcome: issue.welcome,
                web: [issue.webURL?.absoluteString ?? "", issue.isArchive ? "archive" : ""],
                limit: itemsPerSection,
                absent: absent,
                entries: plan.entries.map(\.key),
                counts: plan.counts,
                replacements: replacements
            )
            outline = try outlines.outline(key, make: makeOutline)
        } else {
            outline = try makeOutline()
        }
        var reader = reader
        reader[.subject] = try outline.subject(reader, partialText: partialText)
        var html = TextBody()
        for segment in outline.html {
            switch segment {
            case .text(let text): html.append(text)
            case .lines(let lines): html.append(lines)
            case .laidOut(let laidOut): html.append(laidOut.raw)
            case .reader(let field, let escaped):
                html.append(escaped ? HTMLEscaping.escape(reader[field]) : reader[field])
            case .item(let entry, let partial):
                html.append(try htmlFragment(entry, partial: partial, root: issueRoot()))
            }
        }
        var text = PlainTextLayout(wrapper: renderer.wrapper)
        for segment in outline.text {
            switch segment {
            case .text(let part): text.append(part[...])
            case .lines(let lines): text.append(lines.text[...])
            case .laidOut(let laidOut): text.append(laidOut)
            case .reader(let field, let escaped):
                text.append((escaped ? HTMLEscaping.escape(reader[field]) : reader[field])[...])
            case .item(let entry, let partial):
                text.append(try textFragment(entry, partial: partial, root: issueRoot()))
            }
        }
        var digest = RenderedDigest(
            subject: reader[.subject],
            preheader: outline.preheader,
            htmlBody: html,
            textBody: text.finish(),
            calendarEvents: content.calendarItems,
            links: links
        )
        if renderer.newsletter.deadlineReminders {
            let calls = (content.newFunding + content.closingSoon + content.changed).map(\.item).filter {
                $0.kind == .funding && $0.deadline != nil
            }
            digest.deadlineReminders = (calls, context.strings["deadline"])
        }
        return digest
    }

    /// Partial `partial` of `entry` as HTML lines, rendered the first time.
    private func htmlFragment(_ entry: ItemEntry, partial: Int, root: [String: TemplateValue])
        throws(TemplateRenderError)
        -> EncodedLines
    {
        try entry.html(partial) { () throws(TemplateRenderError) in
            EncodedLines(try renderer.renderPartial(partial, of: entry, root: root))
        }
    }

    /// Partial `partial` of `entry` laid out as plain text, rendered the first time.
    private func textFragment(_ entry: ItemEntry, partial: Int, root: [String: TemplateValue])
        throws(TemplateRenderError)
        -> LaidOutText
    {
        try entry.text(partial) { () throws(TemplateRenderError) in
            PlainTextLayout.layOut(
                try renderer.renderPartial(partial, of: entry, root: root), wrapper: renderer.wrapper)
        }
    }
}
