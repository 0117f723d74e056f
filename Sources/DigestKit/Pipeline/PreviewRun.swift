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
        let collected = await collect(at: now)
        let site = try site(
            now: now, issueID: issueID, only: only, collected: collected, state: state, editorNote: editorNote)
        return try PreviewWriter(folder: folder).write(site)
    }

    /// The preview of the issue made at `now` from items already `collected`, with every digest built and checked;
    /// writes, sends and records nothing.
    public func site(
        now: Date,
        issueID: String?,
        only: String?,
        collected: CollectResult,
        state: StateStore?,
        editorNote: URL? = nil
    ) throws -> PreviewSite {
        let builder = try self.builder(now: now, issueID: issueID, editorNote: editorNote)
        return try PreviewSite.build(builder: builder, collected: collected, only: only, state: state)
    }

    /// The builder of the issue made at `now` (`issueID`, or the ISO week of `now`) with the editors' note.
    public func builder(now: Date, issueID: String?, editorNote: URL? = nil) throws -> DigestBuilder {
        let zone = workspace.config.newsletter.timeZone
        let issue = IssueInfo(
            id: issueID ?? IssueInfo.weekID(for: now, timeZone: zone),
            now: now,
            editorNote: try workspace.editorNote(editorNote)
        )
        return try DigestBuilder(workspace: workspace, issue: issue, secret: SendRun.secret(environment))
    }

    /// Fetches and parses every source for an issue made at `now`.
    public func collect(at now: Date) async -> CollectResult {
        await SourceCollector(config: workspace.config, taxonomy: workspace.taxonomy, logger: logger)
            .collect(window: workspace.window(at: now))
    }
}
