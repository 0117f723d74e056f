import Foundation
import Synchronization

/// Temporary folders for tests, removed when the test process exits (set `DIGEST_KEEP_TEST_FOLDERS=1` to keep them
/// for a look after a failure), so that test runs do not fill the machine's temporary directory.
public enum TemporaryFolder {
    private static let made = Mutex<[URL]>([])
    private static let removalAtExit: Void = {
        atexit { TemporaryFolder.removeAll() }
    }()

    /// A new, empty folder under the temporary directory, its name starting with `prefix`.
    public static func make(_ prefix: String) throws -> URL {
        _ = removalAtExit
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(prefix + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        made.withLock { $0.append(url) }
        return url
    }

    /// Removes every folder made, unless `DIGEST_KEEP_TEST_FOLDERS` is set.
    static func removeAll() {
        guard ProcessInfo.processInfo.environment["DIGEST_KEEP_TEST_FOLDERS"] == nil else { return }
        for url in made.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }
}
