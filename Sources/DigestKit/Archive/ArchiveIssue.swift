import Foundation

/// One issue in the public archive's list (`issues.json` in the archive folder, which the index and the feed are
/// made from): nothing about any reader.
public struct ArchiveIssue: Codable, Sendable, Hashable {
    /// The issue id, such as `2026-W49`.
    public var id: String
    /// The page's title: the subject an issue with every item would have.
    public var title: String
    /// The issue's date as shown (`1 december 2026`).
    public var date: String
    /// The moment the issue was made for.
    public var published: Date
    /// The summary line (`4 nya utlysningar, 3 nya evenemang`).
    public var summary: String
    /// The page's file name in the archive folder.
    public var page: String
}

/// The archive folder's `issues.json`: every issue archived, newest first.
struct ArchiveManifest: Codable, Sendable {
    var issues: [ArchiveIssue]

    /// The file name.
    static let name = "issues.json"

    /// Reads the list in `folder`; none when there is no file yet.
    static func read(in folder: URL) throws(ArchiveError) -> ArchiveManifest {
        let file = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: file.path) else { return ArchiveManifest(issues: []) }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(ArchiveManifest.self, from: Data(contentsOf: file))
        } catch {
            throw ArchiveError(
                path: file.path,
                message: "is not the archive's list of issues (\(error)); move it aside and run digest archive for "
                    + "each issue again.")
        }
    }

    /// `issue` put in place of the entry with its id (or added), newest first.
    func replacing(_ issue: ArchiveIssue) -> ArchiveManifest {
        var issues = self.issues.filter { $0.id != issue.id }
        issues.append(issue)
        issues.sort { ($0.published, $0.id) > ($1.published, $1.id) }
        return ArchiveManifest(issues: issues)
    }

    /// The list as JSON, keys sorted, times in RFC 3339.
    var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return ((try? encoder.encode(self)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }
}

/// Why the archive could not be written; the pages already there are left as they were.
public struct ArchiveError: Error, CustomStringConvertible, Sendable {
    /// The file or folder concerned.
    public var path: String
    /// What went wrong and what to do.
    public var message: String

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
