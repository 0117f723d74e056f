import ArgumentParser
import DigestKit
import Foundation

/// `--now`, shared by every command that reads the clock.
struct ClockOption: ParsableArguments {
    @Option(name: .long, help: "Pin the clock, e.g. 2026-12-01T08:00:00+01:00.")
    var now: String?

    /// The pinned time in the newsletter's zone, or nil when not pinned; exits with 2 on a malformed time.
    func pinned(in workspace: Workspace) throws -> Date? {
        try GlobalOptions.time(now, option: "--now", workspace: workspace)
    }

    /// The pinned time, or the real one.
    func time(in workspace: Workspace) throws -> Date {
        try pinned(in: workspace) ?? Date()
    }

    /// The pinned time in `timeZone`, or the real one.
    func time(in timeZone: TimeZone) throws -> Date {
        try GlobalOptions.time(now, option: "--now", timeZone: timeZone) ?? Date()
    }
}

/// `--issue` and `--note`, shared by the commands that build an issue.
struct IssueOptions: ParsableArguments {
    @Option(name: .long, help: "The issue id (default: the ISO week of --now, e.g. 2026-W49).")
    var issue: String?

    @Option(
        name: .long, help: "A Markdown file with the editors' note for this issue (default: editorNote in the config).")
    var note: String?

    /// The editors' note file, if one was named.
    var noteURL: URL? { note.map { URL(fileURLWithPath: $0) } }
}
