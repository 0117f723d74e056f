import DigestSupport
import Foundation

/// The public archive's files as `digest serve` answers them under `/archive/`: only a plain file name of the
/// archive folder (letters, digits, `.`, `-`, `_`; no `/`, no `..`, no hidden file), only a regular file that is
/// really inside the folder (a link out of it is not followed), only the kinds the archive writes. Anything else is
/// nil, answered like any unknown path.
public struct ArchiveFiles: Sendable {
    /// The archive folder (`archive.out`).
    public let folder: URL

    /// The files of `folder`.
    public init(folder: URL) {
        self.folder = folder
    }

    /// The content types of what the archive writes, by extension.
    static let types = [
        "html": "text/html; charset=utf-8", "xml": "application/atom+xml; charset=utf-8",
        "ics": "text/calendar; charset=utf-8", "json": "application/json; charset=utf-8",
    ]

    /// The answer for `/archive/<name>` (`index.html` for an empty name), or nil when there is no such file.
    public func file(_ name: String) -> PageResponse? {
        let name = name.isEmpty ? "index.html" : name
        guard name.utf8.count <= 128, let first = name.utf8.first, first != UInt8(ascii: "."),
            !name.contains(".."),
            name.utf8.allSatisfy({
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
                    || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            }),
            let type = Self.types[(name as NSString).pathExtension.lowercased()]
        else { return nil }
        let root = folder.resolvingSymlinksInPath().standardizedFileURL.path + "/"
        let file = folder.appendingPathComponent(name)
        guard file.resolvingSymlinksInPath().standardizedFileURL.path.hasPrefix(root),
            (try? FileManager.default.destinationOfSymbolicLink(atPath: file.path)) == nil,
            let body = try? TextFile.read(file, maximumBytes: 32 << 20)
        else { return nil }
        return PageResponse(status: 200, body: body, contentType: type)
    }
}

extension SubscriberService {
    /// The public archive's file `name` (``ArchiveFiles``), when `archive.out` is set and it is there.
    public func archiveFile(_ name: String) -> PageResponse? {
        workspace.config.archive.out.flatMap { ArchiveFiles(folder: $0).file(name) }
    }
}
