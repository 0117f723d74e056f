import ArgumentParser
import DigestKit
import Foundation

/// `digest archive`: writes the public archive of the issue (a static site without any reader in it).
struct Archive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Write the public archive: the issue's web version, the index, feed.xml and kalender.ics.",
        discussion: """
            The folder is --out, else archive.out in digest.yaml. Each issue's page lists every item of the week \
            and nothing about any reader; index.html and the Atom feed list every issue archived so far; \
            kalender.ics holds every upcoming event of all sources. 'digest send' writes it too when archive.out is \
            set, and 'digest serve' serves it under /archive/.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The folder to write into (default: archive.out).")
    var out: String?

    @OptionGroup var clock: ClockOption

    @OptionGroup var issueOptions: IssueOptions

    func run() async throws {
        let logger = global.makeLogger()
        let workspace = try await global.loadWorkspace()
        guard let folder = out.map({ URL(fileURLWithPath: $0) }) ?? workspace.config.archive.out else {
            printError("\(global.config): no archive folder; give --out DIR or set archive.out.")
            throw ExitCode(2)
        }
        let now = try clock.time(in: workspace)
        let collected = await SourceCollector(config: workspace.config, taxonomy: workspace.taxonomy, logger: logger)
            .collect(window: workspace.window(at: now))
        for source in collected.reports where source.failure != nil {
            printError("source \(source.name) failed: \(source.failure ?? "")")
        }
        do {
            let page = try ArchiveWriter.publish(
                workspace: workspace, collected: collected, now: now, issueID: issueOptions.issue,
                editorNote: try workspace.editorNote(issueOptions.noteURL), folder: folder)
            print("Archived \(page.lastPathComponent) in \(folder.path).")
        } catch let error as DiagnosticList {
            GlobalOptions.report(error)
            throw ExitCode(2)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
