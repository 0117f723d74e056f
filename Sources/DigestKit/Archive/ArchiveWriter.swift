import DigestSupport
import Feeds
import Foundation

/// Writes an ``ArchiveSite`` into the archive folder: the issue's page, then the list of issues, `index.html`,
/// `feed.xml` and `kalender.ics` made again from that list. Each file is written whole and renamed into place, so a
/// reader of the folder sees the old file or the new one.
public struct ArchiveWriter: Sendable {
    /// The archive folder.
    public let folder: URL
    /// Where the folder is published, if known (absolute links in the feed, `webcal:` for the calendar).
    public let baseURL: URL?
    /// The newsletter's title, for the index and the feed.
    public let title: String
    /// The list identifier, from which the feed's ids are made.
    public let listID: String
    /// The index's language.
    public let language: Language
    /// The index's words.
    public let strings: Strings

    /// A writer into `folder`.
    public init(folder: URL, baseURL: URL?, title: String, listID: String, language: Language, strings: Strings) {
        self.folder = folder
        self.baseURL = baseURL.map(ArchiveConfig.folderURL)
        self.title = title
        self.listID = listID
        self.language = language
        self.strings = strings
    }

    /// Writes `site`; returns the issue page's file.
    @discardableResult
    public func write(_ site: ArchiveSite) throws(ArchiveError) -> URL {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError(path: folder.path, message: "cannot be created: \(error.localizedDescription).")
        }
        let manifest = try ArchiveManifest.read(in: folder).replacing(site.issue)
        let page = folder.appendingPathComponent(site.issue.page)
        try put(Data(site.page.utf8), site.issue.page)
        try put(Data(site.calendar.utf8), "kalender.ics")
        try put(Data(feed(manifest.issues, fallback: site.issue.published).utf8), "feed.xml")
        try put(Data(index(manifest.issues).utf8), "index.html")
        try put(manifest.json, ArchiveManifest.name)
        return page
    }

    private func put(_ data: Data, _ name: String) throws(ArchiveError) {
        let file = folder.appendingPathComponent(name)
        do {
            try SafeFile.write(data, to: file)
        } catch {
            throw ArchiveError(path: file.path, message: "cannot be written: \(error).")
        }
    }

    /// A permanent `urn:uuid:` made from the list id and `name`, the same in every run.
    private func urn(_ name: String) -> String {
        let hex = Array(StableHash.hex(listID + "|archive|" + name, length: 32))
        let parts = [hex[0..<8], hex[8..<12], hex[12..<16], hex[16..<20], hex[20..<32]].map { String($0) }
        return "urn:uuid:" + parts.joined(separator: "-")
    }

    /// The Atom feed of `issues`, newest first.
    func feed(_ issues: [ArchiveIssue], fallback: Date) -> String {
        let writer = AtomWriter(
            id: urn("feed"), title: title, author: title,
            selfLink: baseURL?.appendingPathComponent("feed.xml").absoluteString,
            siteLink: baseURL?.absoluteString ?? "index.html", language: language.rawValue)
        return writer.document(
            issues.map { issue in
                AtomWriter.Entry(
                    id: urn("issue|" + issue.id), title: issue.title, updated: issue.published,
                    published: issue.published,
                    link: baseURL?.appendingPathComponent(issue.page).absoluteString ?? issue.page,
                    summary: issue.summary)
            }, fallback: fallback)
    }

    /// The index page: every issue, newest first, with the feed and the calendar.
    func index(_ issues: [ArchiveIssue]) -> String {
        func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
        let calendar: String
        if let baseURL,
            var parts = URLComponents(
                url: baseURL.appendingPathComponent("kalender.ics"), resolvingAgainstBaseURL: false)
        {
            parts.scheme = "webcal"
            calendar = parts.string ?? "kalender.ics"
        } else {
            calendar = "kalender.ics"
        }
        var lines = [
            "<!DOCTYPE html>",
            "<html lang=\"\(language.rawValue)\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(escape(title)) – \(escape(strings["archiveTitle"]))</title>",
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"\(escape(title))\" href=\"feed.xml\">",
            "<style>body{font-family:Arial,Helvetica,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;"
                + "color:#1f2933;line-height:1.5}a{color:#005a8c}li{margin:.5em 0}.date{color:#52606d}</style>",
            "</head>",
            "<body>",
            "<h1>\(escape(title)) – \(escape(strings["archiveTitle"]))</h1>",
            "<p><a href=\"feed.xml\">\(escape(strings["archiveFeed"]))</a> · "
                + "<a href=\"\(escape(calendar))\">\(escape(strings["archiveCalendar"]))</a></p>",
            "<ul>",
        ]
        for issue in issues {
            lines.append(
                "<li><a href=\"\(escape(issue.page))\">\(escape(issue.title))</a> "
                    + "<span class=\"date\">\(escape(issue.date))</span></li>")
        }
        lines += ["</ul>", "</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ArchiveWriter {
    /// Builds the archive's pages of the issue made at `now` from `collected` and writes them into `folder` (by
    /// default `archive.out`); returns the issue page's file.
    @discardableResult
    public static func publish(
        workspace: Workspace, collected: CollectResult, now: Date, issueID: String?, editorNote: EditorNote?,
        folder: URL
    ) throws -> URL {
        let site = try ArchiveSite.build(
            workspace: workspace, collected: collected, now: now, issueID: issueID, editorNote: editorNote)
        let newsletter = workspace.config.newsletter
        let links = try ReaderLinkBuilder(newsletter: newsletter, secret: nil)
        let writer = ArchiveWriter(
            folder: folder, baseURL: workspace.config.archive.baseURL, title: newsletter.title,
            listID: links.listID, language: newsletter.language,
            strings: workspace.renderer.strings(for: newsletter.language))
        return try writer.write(site)
    }
}
