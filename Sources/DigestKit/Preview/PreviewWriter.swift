import Foundation

/// Writes every subscriber's digest into a folder editors open in a browser: `index.html` listing them, and for
/// each subscriber `<slug>.html`, `<slug>.txt` and `<slug>.eml`.
public struct PreviewWriter: Sendable {
    /// The folder written to.
    public let folder: URL

    /// A writer into `folder` (created if needed).
    public init(folder: URL) {
        self.folder = folder
    }

    /// One row of the index.
    public struct Entry: Sendable {
        /// The digest shown.
        public var digest: BuiltDigest
        /// Whether it would be sent (not empty, not paused).
        public var wouldSend: Bool
    }

    /// Writes the files for `entries` and the index; returns the index file.
    @discardableResult
    public func write(
        _ entries: [Entry],
        issue: IssueInfo,
        title: String,
        reports: [SourceReport]
    ) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rows = ""
        for entry in entries {
            let digest = entry.digest
            let slug = digest.subscriber.slug
            try Data(digest.rendered.html.utf8).write(to: folder.appendingPathComponent("\(slug).html"))
            try Data(digest.rendered.text.utf8).write(to: folder.appendingPathComponent("\(slug).txt"))
            try Data(digest.message.bytes).write(to: folder.appendingPathComponent("\(slug).eml"))
            let content = digest.content
            let size = digest.message.bytes.count
            let status =
                digest.subscriber.paused ? "pausad" : entry.wouldSend ? "skickas" : "tom – skickas inte"
            let sizeText = size > 90_000 ? "<strong>\(size / 1024) KB ⚠</strong>" : "\(size / 1024) KB"
            rows += """
                <tr><td><a href="\(esc(slug)).html">\(esc(digest.subscriber.email))</a></td>\
                <td>\(esc(digest.rendered.subject))</td>\
                <td>\(content.newFunding.count)</td><td>\(content.closingSoon.count)</td>\
                <td>\(content.events.count)</td><td>\(content.changed.count)</td>\
                <td>\(sizeText)</td><td>\(esc(status))</td>\
                <td><a href="\(esc(slug)).txt">text</a> · <a href="\(esc(slug)).eml">eml</a></td></tr>

                """
        }
        var sourceRows = ""
        for report in reports {
            let state = report.failure.map { "fel: " + $0 } ?? "\(report.itemCount) poster"
            let problems = report.problems.isEmpty ? "" : " (\(report.problems.count) problem)"
            sourceRows += "<tr><td>\(esc(report.name))</td><td>\(esc(state + problems))</td></tr>\n"
        }
        let html = """
            <!DOCTYPE html>
            <html lang="sv"><head><meta charset="utf-8"><title>\(esc(title)) – förhandsvisning \(esc(issue.id))</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}table{border-collapse:collapse}\
            td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f0f0f0}</style></head>
            <body><h1>\(esc(title)) – \(esc(issue.id))</h1>
            <h2>Prenumeranter</h2>
            <table><tr><th>Mottagare</th><th>Ämnesrad</th><th>Nya utlysningar</th><th>Sista dag snart</th>\
            <th>Evenemang</th><th>Ändrade</th><th>Storlek</th><th>Status</th><th>Filer</th></tr>
            \(rows)</table>
            <h2>Källor</h2>
            <table><tr><th>Källa</th><th>Resultat</th></tr>
            \(sourceRows)</table>
            </body></html>

            """
        let index = folder.appendingPathComponent("index.html")
        try Data(html.utf8).write(to: index)
        return index
    }

    private func esc(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }
}
