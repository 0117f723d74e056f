import DigestTesting
import Foundation
import Testing

@testable import DigestSupport

@Suite("Safe files and file locks")
struct FileTests {
    let folder: URL = {
        // A folder that cannot be made leaves a path that does not exist: every test then fails, naming it.
        (try? TemporaryFolder.make("support-")) ?? URL(fileURLWithPath: "/nonexistent/support-test-folder")
    }()

    @Test("A write replaces the file whole and keeps its permissions; mustBeNew refuses an existing file")
    func write() throws {
        let file = folder.appendingPathComponent("anna.yaml")
        try SafeFile.write(Data("one\n".utf8), to: file, mustBeNew: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        try SafeFile.write(Data("two\n".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "two\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(throws: SafeFile.Failure.self) { try SafeFile.write(Data("three\n".utf8), to: file, mustBeNew: true) }
        #expect(try String(contentsOf: file, encoding: .utf8) == "two\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["anna.yaml"])
        try SafeFile.remove(file)
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test("A held lock is refused to a second taker without waiting, and free again once released")
    func lock() throws {
        let path = folder.appendingPathComponent("state.lock").path
        var first = try FileLock.acquire(at: path, wait: false)
        #expect(first != nil)
        #expect(try FileLock.acquire(at: path, wait: false) == nil)
        first = nil
        #expect(try FileLock.acquire(at: path, wait: false) != nil)
    }

    @Test("A lock file that cannot be created names its path and the reason")
    func unusableLockFile() {
        let path = folder.appendingPathComponent("missing/state.lock").path
        #expect(
            throws: FileLock.Failure(path: path, message: "cannot create the lock file: No such file or directory.")
        ) {
            _ = try FileLock.acquire(at: path, wait: false)
        }
    }
}
