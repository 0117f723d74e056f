import ArgumentParser
import DigestKit
import Foundation

/// `digest preview`: every subscriber's digest of the week, written to a folder for editors.
struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render every subscriber's digest into a folder: index.html and, per subscriber, .html, .txt, .eml.",
        discussion: "Nothing is sent and nothing is recorded."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The folder to write into.")
    var out: String = "preview"

    @Option(name: .long, help: "Only this subscriber's digest.")
    var subscriber: String?

    @Option(name: .long, help: "Pin the clock, e.g. 2026-12-01T08:00:00+01:00.")
    var now: String?

    @Option(name: .long, help: "The issue id (default: the ISO week of --now, e.g. 2026-W49).")
    var issue: String?

    @Option(
        name: .long, help: "A Markdown file with the editors' note for this issue (default: editorNote in the config).")
    var note: String?

    func run() async throws {
        let logger = global.makeLogger()
        let workspace = try await global.loadWorkspace()
        let now = try GlobalOptions.time(now, option: "--now", workspace: workspace) ?? Date()
        let stateFile = workspace.config.stateFile
        let state: StateStore?
        do {
            state = FileManager.default.fileExists(atPath: stateFile.path) ? try StateStore.open(at: stateFile) : nil
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        do {
            let index = try await PreviewRun(
                workspace: workspace,
                logger: logger,
                environment: ProcessInfo.processInfo.environment
            ).run(
                now: now,
                issueID: issue,
                only: subscriber,
                folder: URL(fileURLWithPath: out),
                state: state,
                editorNote: note.map { URL(fileURLWithPath: $0) }
            )
            print("Preview written: \(index.path)")
        } catch let error as DiagnosticList {
            GlobalOptions.report(error)
            throw ExitCode(2)
        }
    }
}
