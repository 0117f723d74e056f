import ArgumentParser
import DigestKit
import DigestSupport
import Foundation

/// `digest sources`: looking at the configured sources one at a time.
struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Look at the configured sources.",
        subcommands: [Test.self]
    )

    /// `digest sources test NAME`: what one source gives, field by field.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Fetch one source and show, for its first items, each field's raw and parsed value.",
            discussion: """
                Prints the requests made, each mapped field of the first items with its definition, raw value and \
                parsed value, every item left out and why, and the warnings. Exits 2 if the source failed.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The source's name in digest.yaml.")
        var name: String

        @Option(name: .long, help: "How many items to show field by field.")
        var limit = 5

        @Flag(name: .long, help: "Print one JSON object instead of text.")
        var json = false

        @OptionGroup var clock: ClockOption

        func run() async throws {
            let logger = global.makeLogger()
            let workspace = try global.loadSources()
            guard let source = workspace.config.sources.first(where: { $0.name == name }) else {
                let names = workspace.config.sources.map(\.name)
                printError(
                    "no source named '\(name)' in \(global.config)."
                        + Suggestion.hint(for: name, in: names)
                        + " Sources: \(names.joined(separator: ", ")).")
                throw ExitCode(2)
            }
            let now = try clock.time(in: workspace.config.newsletter.timeZone)
            let state: StateStore?
            do {
                state = try StateStore.open(at: workspace.config.stateFile)
            } catch {
                printError("\(error); testing without it")
                state = nil
            }
            let result = await SourceCollector(
                config: workspace.config, taxonomy: workspace.taxonomy, logger: logger, cache: state
            ).collect(window: workspace.window(at: now), now: now, only: [name])
            guard let report = result.reports.first else { throw ExitCode(2) }
            let text = SourceTestText(source: source, report: report, limit: max(0, limit))
            FileHandle.standardOutput.write(Data((json ? text.json : text.text).utf8))
            if report.failure != nil { throw ExitCode(2) }
        }
    }
}
