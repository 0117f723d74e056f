import Foundation

/// Writes a `PreviewSite` into a folder editors open in a browser, from `file://` with no server: `index.html`, and
/// for each subscriber `<slug>.html` (the page around the digest), `<slug>.digest.html` (the HTML digest itself),
/// `<slug>.txt` and `<slug>.eml`.
public struct PreviewWriter: Sendable {
    /// The folder written to.
    public let folder: URL

    /// A writer into `folder` (created if needed).
    public init(folder: URL) {
        self.folder = folder
    }

    /// Writes every file of `site`; returns the index file.
    @discardableResult
    public func write(_ site: PreviewSite) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for entry in site.entries {
            let slug = entry.slug
            let digest = entry.digest
            try Data(site.pageHTML(for: entry).utf8).write(to: folder.appendingPathComponent("\(slug).html"))
            try Data(digest.rendered.html.utf8).write(to: folder.appendingPathComponent("\(slug).digest.html"))
            try Data(digest.rendered.text.utf8).write(to: folder.appendingPathComponent("\(slug).txt"))
            try Data(digest.message.bytes).write(to: folder.appendingPathComponent("\(slug).eml"))
        }
        let index = folder.appendingPathComponent("index.html")
        try Data(site.indexHTML().utf8).write(to: index)
        return index
    }
}
