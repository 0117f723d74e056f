import DigestTesting
import Foundation

/// Paths and helpers shared by the DigestKit tests.
enum TestSupport {
    /// The repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Tests/DigestKitTests/Fixtures`.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A fresh temporary folder, removed when the tests end.
    static func temporaryFolder() throws -> URL {
        try TemporaryFolder.make("digest-tests-")
    }

    /// Writes `text` to `name` in `folder` and returns the file.
    @discardableResult
    static func write(_ text: String, to name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The example's pinned clock.
    static let demoNow = Date(timeIntervalSince1970: 1_796_108_400)  // 2026-12-01T08:00:00+01:00
}
