import Foundation

/// One subscriber's digest, built: what it holds, how it reads, and the message that carries it.
public struct BuiltDigest: Sendable {
    /// The reader.
    public var subscriber: Subscriber
    /// The sections.
    public var content: DigestContent
    /// The rendered text.
    public var rendered: RenderedDigest
    /// The MIME message.
    public var message: OutgoingMessage
}

/// Builds each subscriber's digest for one issue: filter, plan against what they were sent, render, compose. Made
/// once per run (a send, a preview, a preview server request), it owns the run's ``RenderRun``.
public final class DigestBuilder: Sendable {
    /// The checked inputs.
    public let workspace: Workspace
    /// The issue being built.
    public let issue: IssueInfo
    /// The run's rendering, with its caches.
    public let run: RenderRun
    let composer: MessageComposer
    let planner: DigestPlanner
    let filter = InterestFilter()

    /// A builder for `issue`; `secret` keys the unsubscribe tokens.
    public init(workspace: Workspace, issue: IssueInfo, secret: Data?) throws(DiagnosticList) {
        self.workspace = workspace
        var issue = issue
        if !issue.isArchive {
            // The web version and the archive, when `archive.baseURL` says where they are published.
            issue.webURL = issue.webURL ?? workspace.config.archive.pageURL(issue: issue.id)
            issue.archiveURL = issue.archiveURL ?? workspace.config.archive.indexURL
        }
        self.issue = issue
        self.run = RenderRun(
            renderer: workspace.renderer,
            links: try ReaderLinkBuilder(newsletter: workspace.config.newsletter, secret: secret)
        )
        self.composer = try MessageComposer(
            newsletter: workspace.config.newsletter,
            secret: secret,
            signers: workspace.signers
        )
        self.planner = DigestPlanner(now: issue.now, newsletter: workspace.config.newsletter)
    }

    /// The digest for `subscriber` from `items`, given what they were `sent` before; `to` sends a copy to
    /// that address instead, under its own Message-ID.
    ///
    /// For many subscribers, index the items once and use `build(for:index:sent:to:)`.
    public func build(
        for subscriber: Subscriber,
        items: [Item],
        sent: [String: SentRecord],
        to override: String? = nil
    ) throws -> BuiltDigest {
        try build(for: subscriber, index: ItemIndex(items), sent: sent, to: override)
    }

    /// The digest for `subscriber` from the run's indexed items, given what they were `sent` before; `to` overrides
    /// the recipient; `withdrawn` are calls no source lists any more (``StateStore/withdrawnCalls(present:readSources:now:)``).
    public func build(
        for subscriber: Subscriber,
        index: ItemIndex,
        sent: [String: SentRecord],
        withdrawn: [Selection] = [],
        to override: String? = nil
    ) throws -> BuiltDigest {
        let language = workspace.language(of: subscriber)
        let selection = Array(filter.select(from: index, for: subscriber))
        let content = planner.plan(
            selection, for: subscriber, language: language, sent: sent, withdrawn: withdrawn)
        let rendered: RenderedDigest
        do {
            rendered = try run.render(content, issue: issue)
        } catch {
            let folder = SubscriberDirectory.displayPath(
                workspace.config.templatesFolder, base: workspace.config.baseFolder)
            let template = error.chain.first ?? "digest"
            throw DiagnosticList([
                Diagnostic(path: "\(folder)/\(template).mustache", message: "template error: \(error.description).")
            ])
        }
        let message = try composer.compose(rendered, for: subscriber, issue: issue, language: language, to: override)
        return BuiltDigest(subscriber: subscriber, content: content, rendered: rendered, message: message)
    }

    /// Each event of `items` as its own calendar (one VEVENT, as in the digests' attachment), with when it ends.
    public func eventCalendars(_ items: [Item]) -> [(id: String, calendar: String, endsAt: Date)] {
        items.compactMap { item in
            guard item.kind == .event, let start = item.start, let calendar = composer.eventCalendar(item, issue: issue)
            else { return nil }
            return (item.id, calendar, item.end ?? start)
        }
    }

    /// The state records to store once `digest` is delivered.
    public func records(after digest: BuiltDigest) -> [String: SentRecord] {
        planner.records(after: digest.content)
    }

    /// Whether `subscriber` should get `content` at all: not when it is empty, unless they asked for empty digests.
    public func shouldSend(_ content: DigestContent) -> Bool {
        !content.isEmpty || content.subscriber.sendEmpty == true
    }
}
