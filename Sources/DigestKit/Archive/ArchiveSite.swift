import DigestSupport
import Feeds
import Foundation

/// The public archive: a static site of every issue's web version, without any reader in it.
///
/// For each issue, `<id>.html` is the digest of an imaginary reader who follows everything and was sent nothing
/// before, rendered from the same templates with `issue.archive` set (no greeting, no unsubscribe or preferences
/// links, no name, address or token: none of that is given to it), every item of every section listed. Beside the
/// pages, `index.html` lists the issues, `feed.xml` is an Atom feed (RFC 4287) of them, and `kalender.ics` holds
/// every upcoming event of all sources, a calendar to subscribe to. The list of issues is kept in `issues.json`.
public struct ArchiveSite: Sendable {
    /// The issue's page: its web version.
    public var page: String
    /// Its entry in the list of issues.
    public var issue: ArchiveIssue
    /// Every upcoming event of all sources, as one calendar.
    public var calendar: String

    /// The file name of issue `id`'s page: the id with anything but letters, digits and `-` dropped.
    public static func pageName(issue id: String) -> String {
        let safe = id.unicodeScalars.filter {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
        }
        return (safe.isEmpty ? "issue" : String(String.UnicodeScalarView(safe))) + ".html"
    }

    /// The archive's pages of the issue made at `now` (`issueID`, or its ISO week) from items already `collected`.
    public static func build(
        workspace: Workspace, collected: CollectResult, now: Date, issueID: String?, editorNote: EditorNote? = nil
    ) throws -> ArchiveSite {
        let zone = workspace.config.newsletter.timeZone
        var issue = IssueInfo(
            id: issueID ?? IssueInfo.weekID(for: now, timeZone: zone), now: now, editorNote: editorNote)
        issue.isArchive = true
        // No secret: no reader's token can be made, whatever the templates ask for.
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: nil)
        let reader = Subscriber(email: "")
        let language = workspace.config.newsletter.language
        let selection = Array(builder.filter.select(from: ItemIndex(collected.items), for: reader))
        let content = builder.planner.plan(selection, for: reader, language: language, sent: [:])
        let rendered: RenderedDigest
        do {
            rendered = try builder.run.renderWhole(content, issue: builder.issue)
        } catch {
            let folder = SubscriberDirectory.displayPath(
                workspace.config.templatesFolder, base: workspace.config.baseFolder)
            throw DiagnosticList([
                Diagnostic(
                    path: "\(folder)/\(error.chain.first ?? "digest").mustache",
                    message: "template error: \(error.description).")
            ])
        }
        let strings = workspace.renderer.strings(for: language)
        let dates = DateText(strings: strings, timeZone: zone)
        let upcoming = collected.items.filter { item in
            guard item.kind == .event, let start = item.start else { return false }
            return (item.end ?? start) >= now
        }.sorted { ($0.start ?? now, $0.id) < ($1.start ?? now, $1.id) }
        return ArchiveSite(
            page: rendered.htmlBody.text,
            issue: ArchiveIssue(
                id: issue.id,
                title: rendered.subject,
                date: dates.date(now),
                published: now,
                summary: rendered.preheader,
                page: pageName(issue: issue.id)),
            calendar: builder.composer.feedCalendar(upcoming, issue: builder.issue))
    }
}
