import ArgumentParser
import DigestKit
import DigestWeb
import Foundation
import Logging

/// `digest preview`: every subscriber's digest of the week, written to a folder for editors.
struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Render every subscriber's digest into a folder: index.html and, per subscriber, .html, .txt, .eml.",
        discussion: """
            Nothing is sent and nothing is recorded. With --serve, the same pages are served on 127.0.0.1, rendered \
            afresh from the templates, subscribers and config on every request (the sources are fetched once), with \
            a "send me a test" form on each subscriber's page.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The folder to write into.")
    var out: String = "preview"

    @Option(name: .long, help: "Only this subscriber's digest.")
    var subscriber: String?

    @OptionGroup var clock: ClockOption

    @OptionGroup var issueOptions: IssueOptions

    @Flag(name: .long, help: "Serve the preview on http://127.0.0.1:PORT/ instead of writing a folder.")
    var serve = false

    @Option(name: .long, help: "With --serve: the TCP port.")
    var port: Int = 8025

    @Flag(name: .long, help: "With --serve: open the preview in the browser (xdg-open).")
    var open = false

    func validate() throws {
        if !serve && open { throw ValidationError("--open needs --serve.") }
        if serve && subscriber != nil { throw ValidationError("--subscriber does not go with --serve.") }
        if !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535.") }
    }

    func run() async throws {
        let logger = global.makeLogger()
        let workspace = try await global.loadWorkspace()
        let pinned = try clock.pinned(in: workspace)
        if serve {
            try await serve(pinned: pinned, logger: logger)
            return
        }
        let now = pinned ?? Date()
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
                issueID: issueOptions.issue,
                only: subscriber,
                folder: URL(fileURLWithPath: out),
                state: state,
                editorNote: issueOptions.noteURL
            )
            print("Preview written: \(index.path)")
        } catch let error as DiagnosticList {
            GlobalOptions.report(error)
            throw ExitCode(2)
        }
    }

    /// Runs the preview server until interrupted.
    func serve(pinned: Date?, logger: Logger) async throws {
        let options = PreviewService.Options(
            configFile: global.configURL,
            now: pinned,
            issueID: issueOptions.issue,
            editorNote: issueOptions.noteURL,
            environment: ProcessInfo.processInfo.environment
        )
        let server = PreviewServer(
            service: PreviewService(options: options, logger: logger), port: port, logger: logger)
        let url = server.url
        let open = self.open
        do {
            try await server.run {
                FileHandle.standardOutput.write(Data("Preview server: \(url) (Ctrl-C stops it)\n".utf8))
                if open { Self.openInBrowser(url) }
            }
        } catch {
            printError("cannot serve the preview on \(url): \(error)")
            throw ExitCode(75)
        }
    }

    /// Opens `url` with `xdg-open`, if there is one on the PATH.
    static func openInBrowser(_ url: String) {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let tool = folders.map({ "\($0)/xdg-open" }).first(where: FileManager.default.isExecutableFile)
        else {
            printError("xdg-open is not installed: open \(url) yourself.")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [url]
        do {
            try process.run()
        } catch {
            printError("xdg-open failed: \(error); open \(url) yourself.")
        }
    }
}
