import ArgumentParser
import DigestKit
import Foundation
import Logging

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The config file.")
    var config: String = "digest.yaml"

    @Flag(name: .long, help: "Log every step to standard error.")
    var verbose = false

    @Option(name: .long, help: "Log format: text or json.")
    var logFormat: LogFormat = .text

    /// The config file as a URL.
    var configURL: URL {
        URL(fileURLWithPath: config)
    }

    /// Sets up logging once, to standard error, and returns the command's logger.
    func makeLogger() -> Logger {
        let level: Logger.Level = verbose ? .info : .warning
        let format = logFormat
        LoggingBootstrap.once(level: level, format: format)
        return Logger(label: "digest")
    }

    /// Reads and checks the config, subscribers and templates, or exits with code 2 and located messages.
    func loadWorkspace() async throws -> Workspace {
        do {
            return try await Workspace.load(configFile: configURL)
        } catch {
            Self.report(error)
            throw ExitCode(2)
        }
    }

    /// Reads and checks the config and topics only (what collecting needs), or exits with code 2 and located messages.
    func loadSources() throws -> SourceWorkspace {
        do {
            return try SourceWorkspace.load(configFile: configURL)
        } catch {
            Self.report(error)
            throw ExitCode(2)
        }
    }

    /// Prints diagnostics to standard error, one a line.
    static func report(_ error: DiagnosticList) {
        for diagnostic in error.diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
    }

    /// Parses a `--now`-style time in the newsletter's zone, or exits with code 2.
    static func time(_ text: String?, option: String, workspace: Workspace) throws -> Date? {
        try time(text, option: option, timeZone: workspace.config.newsletter.timeZone)
    }

    /// Parses a `--now`-style time in `timeZone`, or exits with code 2.
    static func time(_ text: String?, option: String, timeZone: TimeZone) throws -> Date? {
        guard let text else { return nil }
        guard let date = TimeArgument.parse(text, timeZone: timeZone) else {
            FileHandle.standardError.write(
                Data("\(option): '\(text)' is not a time; write 2026-12-01T08:00:00+01:00 or 2026-12-01 08:00.\n".utf8)
            )
            throw ExitCode(2)
        }
        return date
    }
}

/// Log output formats.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes a message to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
