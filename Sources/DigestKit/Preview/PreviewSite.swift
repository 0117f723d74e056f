import Foundation

/// Everything the editors' preview of one issue shows: each subscriber's digest with its checks, and a summary of
/// the sources and of what changed since the last issue that was sent.
///
/// It holds no files: `PreviewWriter` writes its pages to a folder, and the preview server serves them.
public struct PreviewSite: Sendable {
    /// One subscriber's digest in the preview.
    public struct Entry: Sendable {
        /// The digest shown.
        public var digest: BuiltDigest
        /// Whether it would be sent (not empty, not paused).
        public var wouldSend: Bool
        /// What the checks found in it.
        public var findings: [DigestLint.Finding]

        /// An entry for `digest`.
        public init(digest: BuiltDigest, wouldSend: Bool, findings: [DigestLint.Finding]) {
            self.digest = digest
            self.wouldSend = wouldSend
            self.findings = findings
        }

        /// The file-name slug of the subscriber: pages are `<slug>.html`, `<slug>.digest.html`, `.txt` and `.eml`.
        public var slug: String { digest.subscriber.slug }

        /// The message size in bytes.
        public var messageSize: Int { digest.message.bytes.count }
    }

    /// The newsletter's title.
    public var title: String
    /// The issue previewed.
    public var issue: IssueInfo
    /// One entry a subscriber, in the order of the subscriber files.
    public var entries: [Entry]
    /// What each source gave in this run.
    public var reports: [SourceReport]
    /// How the sources fared over earlier runs (empty without a state file).
    public var health: [SourceHealth]
    /// Collected items that no digest that would be sent carries.
    public var unreceived: [Item]
    /// What changed since the last issue that was sent, if one was.
    public var changes: IssueChanges?
    /// Whether the preview is limited to some subscribers (then `unreceived` says little).
    public var isFiltered: Bool
    /// Unsubscribes, preference changes and bounces since the last issue was sent.
    public var feedback: [FeedbackEvent] = []
    /// The zone dates are shown in.
    public var timeZone: TimeZone
    /// The language of the pages (the newsletter's).
    public var language: Language = .sv

    /// The largest message, in bytes, shown without a warning.
    public static let messageSizeLimit = 90_000

    /// A site from its parts.
    public init(
        title: String,
        issue: IssueInfo,
        entries: [Entry],
        reports: [SourceReport],
        health: [SourceHealth] = [],
        unreceived: [Item] = [],
        changes: IssueChanges? = nil,
        isFiltered: Bool = false,
        timeZone: TimeZone = .gmt
    ) {
        self.title = title
        self.issue = issue
        self.entries = entries
        self.reports = reports
        self.health = health
        self.unreceived = unreceived
        self.changes = changes
        self.isFiltered = isFiltered
        self.timeZone = timeZone
    }

    /// Builds every subscriber's digest (or only `only`'s) from `collected` with `builder`, runs the checks, and
    /// sums up; `state`, when given, supplies what each was sent before and the sources' history. Sends and records
    /// nothing.
    public static func build(
        builder: DigestBuilder,
        collected: CollectResult,
        only: String? = nil,
        state: StateStore?,
        lint: DigestLint? = nil
    ) throws -> PreviewSite {
        let workspace = builder.workspace
        let lint = lint ?? DigestLint(language: workspace.config.newsletter.language)
        let issue = builder.issue
        var entries: [Entry] = []
        let index = ItemIndex(collected.items)
        for subscriber in workspace.subscribers {
            if let only, subscriber.email.lowercased() != only.lowercased() { continue }
            let sent = try state?.sentRecords(subscriber: subscriber.email, before: issue.id) ?? [:]
            let digest = try builder.build(for: subscriber, index: index, sent: sent)
            entries.append(
                Entry(
                    digest: digest,
                    wouldSend: !subscriber.paused && builder.shouldSend(digest.content),
                    findings: lint.check(digest)
                ))
        }
        if let only, entries.isEmpty {
            throw DiagnosticList([Diagnostic(path: "--subscriber", message: "no subscriber has the address \(only).")])
        }
        var carried: [String: Item] = [:]
        for entry in entries where entry.wouldSend {
            for selection in entry.digest.content.all { carried[selection.item.id] = selection.item }
        }
        let unreceived = collected.items.filter { carried[$0.id] == nil }
        var changes: IssueChanges?
        if let state, let previous = try state.lastSentIssue(other: issue.id) {
            changes = IssueChanges(previousIssue: previous, sent: try state.sentItems(issue: previous), now: carried)
        }
        let lastRun = try state?.recentRuns(limit: 1).first?.startedAt ?? .distantPast
        var site = PreviewSite(
            title: workspace.config.newsletter.title,
            issue: issue,
            entries: entries,
            reports: collected.reports,
            health: try state?.sourceHealth() ?? [],
            unreceived: unreceived,
            changes: changes,
            isFiltered: only != nil,
            timeZone: workspace.config.newsletter.timeZone
        )
        site.feedback = try state?.feedback(since: lastRun) ?? []
        site.language = workspace.config.newsletter.language
        return site
    }

    /// The entry whose slug is `slug`.
    public func entry(slug: String) -> Entry? {
        entries.first { $0.slug == slug }
    }

    /// The sources that failed, gave nothing, or have failed in earlier runs, with why, in config order.
    public var troubledSources: [(name: String, reason: String)] {
        var result: [(String, String)] = []
        let history = Dictionary(health.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        for report in reports {
            let past = history[report.name]
            if let failure = report.failure {
                let times = (past?.consecutiveFailures ?? 0) + 1
                result.append((report.name, text.failedTimes(failure, times: times)))
            } else if report.itemCount == 0 {
                result.append((report.name, text.silent(before: past?.lastItemCount)))
            } else if let past, past.consecutiveFailures > 0 {
                result.append((report.name, text.workingAgain(after: past.consecutiveFailures)))
            }
        }
        return result
    }
}

/// What this issue carries compared with the last issue that was sent.
public struct IssueChanges: Sendable {
    /// The id of the last issue sent.
    public var previousIssue: String
    /// Items this issue carries that the last one did not.
    public var added: [Item]
    /// Items both carry whose time, place or deadline has changed since.
    public var changed: [Item]
    /// How many items the last issue carried that this one does not.
    public var droppedCount: Int

    /// The comparison of the items `now` carried (by id) with what `previousIssue` `sent` (id to fingerprint).
    public init(previousIssue: String, sent: [String: String], now: [String: Item]) {
        self.previousIssue = previousIssue
        let items = now.values.sorted { ($0.kind.rawValue, $0.title, $0.id) < ($1.kind.rawValue, $1.title, $1.id) }
        self.added = items.filter { sent[$0.id] == nil }
        self.changed = items.filter { item in sent[item.id].map { $0 != item.fingerprint } ?? false }
        self.droppedCount = sent.keys.filter { now[$0] == nil }.count
    }
}
