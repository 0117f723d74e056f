import Foundation
import Logging

/// Builds every subscriber's digest for an issue without sending or recording anything, for editors to review.
public struct PreviewRun: Sendable {
    let workspace: Workspace
    let logger: Logger
    let environment: [String: String]

    /// A preview over `workspace`.
    public init(workspace: Workspace, logger: Logger, environment: [String: String]) {
        self.workspace = workspace
        self.logger = logger
        self.environment = environment
    }

    /// Writes the preview of the issue made at `now` into `folder`; `only` limits it to one subscriber.
    /// `state` supplies what each subscriber was sent before (nothing, when nil).
    public func run(
        now: Date,
        issueID: String?,
        only: String?,
        folder: URL,
        state: StateStore?,
        editorNote: URL? = nil
    ) async throws -> URL {
        let zone = workspace.config.newsletter.timeZone
        let issue = IssueInfo(
            id: issueID ?? IssueInfo.weekID(for: now, timeZone: zone),
            now: now,
            editorNote: try workspace.editorNote(editorNote)
        )
        let builder = try DigestBuilder(workspace: workspace, issue: issue, secret: SendRun.secret(environment))
        let collected = await SourceCollector(config: workspace.config, taxonomy: workspace.taxonomy, logger: logger)
            .collect(window: workspace.window(at: now))
        var entries: [PreviewWriter.Entry] = []
        let index = ItemIndex(collected.items)
        for subscriber in workspace.subscribers {
            if let only, subscriber.email.lowercased() != only.lowercased() { continue }
            let sent = try state?.sentRecords(subscriber: subscriber.email, before: issue.id) ?? [:]
            let digest = try builder.build(for: subscriber, index: index, sent: sent)
            entries.append(
                PreviewWriter.Entry(digest: digest, wouldSend: !subscriber.paused && builder.shouldSend(digest.content))
            )
        }
        if let only, entries.isEmpty {
            throw DiagnosticList([Diagnostic(path: "--subscriber", message: "no subscriber has the address \(only).")])
        }
        return try PreviewWriter(folder: folder).write(
            entries,
            issue: issue,
            title: workspace.config.newsletter.title,
            reports: collected.reports
        )
    }
}
