import ArgumentParser
import DigestKit
import Foundation

/// `digest check`: validates everything a run reads.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the config, the sources list, the subscriber files and the templates.",
        discussion: "Prints one 'path:line:column: message' line per problem and exits with 2 if there is any."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger()
        let workspace = try await global.loadWorkspace()
        if !workspace.config.unsetVariables.isEmpty {
            GlobalOptions.report(DiagnosticList(workspace.config.unsetVariables))
            throw ExitCode(2)
        }
        let active = workspace.subscribers.filter { !$0.paused }.count
        print(
            "\(global.config): OK – \(workspace.config.sources.count) sources, \(workspace.subscribers.count) subscribers"
                + " (\(active) active), templates in \(workspace.config.templatesFolder.lastPathComponent)/"
        )
    }
}
