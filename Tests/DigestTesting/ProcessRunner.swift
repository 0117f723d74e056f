import Foundation

/// How a program the tests ran ended, and what it printed.
public struct ProcessResult: Sendable {
    /// The exit status.
    public var status: Int32
    /// Standard output, whole.
    public var stdout: Data
    /// Standard error, as text.
    public var stderr: String
}

/// Runs the reference programs the tests compare with (the Python peers, openssl), found on PATH.
///
/// Output goes through files, never pipes, so a program printing megabytes cannot deadlock against a reader; `run`
/// suspends the calling task until the program exits instead of blocking a thread of the cooperative pool, so that
/// other tests' tasks (timeouts measured against a clock, for one) keep running beside a slow reference.
public enum ProcessRunner {
    /// Runs `arguments` (a program and its arguments) and waits for it without blocking.
    public static func run(_ arguments: [String]) async throws -> ProcessResult {
        let files = try OutputFiles()
        defer { files.remove() }
        let process = try files.process(arguments)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return try files.result(of: process, status: status)
    }

    /// Runs `python3 arguments…` and waits for it without blocking.
    public static func python(_ arguments: [String]) async throws -> ProcessResult {
        try await run(["python3"] + arguments)
    }

    /// Runs `arguments` blocking the calling thread: only for the conditions of test traits, which are evaluated
    /// synchronously (`.enabled(if:)`), and only for quick programs.
    public static func runBlocking(_ arguments: [String]) throws -> ProcessResult {
        let files = try OutputFiles()
        defer { files.remove() }
        let process = try files.process(arguments)
        try process.run()
        process.waitUntilExit()
        return try files.result(of: process, status: process.terminationStatus)
    }

    /// Whether `python3` can import `modules` (a comma-separated list, as after `import`).
    public static func canImport(_ modules: String) -> Bool {
        (try? runBlocking(["python3", "-c", "import \(modules)"]).status) == 0
    }

    /// Whether `program` runs with `arguments` and exits with 0.
    public static func isAvailable(_ program: String, _ arguments: [String] = ["--version"]) -> Bool {
        (try? runBlocking([program] + arguments).status) == 0
    }

    /// The files a run's standard output and error go to, in a folder of their own.
    private struct OutputFiles {
        let folder: URL
        let output: URL
        let error: URL

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "digest-process-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            output = folder.appendingPathComponent("stdout")
            error = folder.appendingPathComponent("stderr")
            for file in [output, error] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        }

        func process(_ arguments: [String]) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: error)
            return process
        }

        func result(of process: Process, status: Int32) throws -> ProcessResult {
            for handle in [process.standardOutput, process.standardError] { try (handle as? FileHandle)?.close() }
            return ProcessResult(
                status: status, stdout: try Data(contentsOf: output),
                stderr: String(decoding: try Data(contentsOf: error), as: UTF8.self))
        }

        func remove() {
            try? FileManager.default.removeItem(at: folder)  // a leftover temporary folder is harmless
        }
    }
}
