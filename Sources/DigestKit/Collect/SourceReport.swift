import Foundation

/// What happened to one source in a run: how many items it gave, or why it failed.
public struct SourceReport: Sendable, Hashable {
    /// The source's name from the config.
    public var name: String
    /// Where it was read from.
    public var url: String
    /// Items it contributed (occurrences, for calendars).
    public var itemCount: Int
    /// Why the source could not be used at all, if it could not.
    public var failure: String?
    /// Problems with parts of it (a broken event or feed item skipped), with their line where known.
    public var problems: [String]
    /// Whether the server said the content had not changed since the last run.
    public var notModified: Bool
    /// What a person may want to know that is not a problem: items left out by `where`, calls already closed.
    public var notes: [String]
    /// Item pages (`follow`) that could not be read; their items kept what the list gave.
    public var detailFailures: Int
    /// Item by item, what a JSON or HTML source gave (nil for the other formats).
    public var trace: SourceTrace?

    /// A report for `name` read from `url`.
    public init(name: String, url: String) {
        self.name = name
        self.url = url
        self.itemCount = 0
        self.problems = []
        self.notModified = false
        self.notes = []
        self.detailFailures = 0
    }
}

/// Everything the sources gave in one run.
public struct CollectResult: Sendable {
    /// The normalised, deduplicated items, sorted by kind, then start or deadline, then id.
    public var items: [Item]
    /// One report a source, in config order.
    public var reports: [SourceReport]
}
