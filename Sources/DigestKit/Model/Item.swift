import Foundation

/// What an item is: an event or a funding call.
public enum ItemKind: String, Sendable, Codable, CaseIterable {
    /// A dated activity: a seminar, a bootcamp, an advice session.
    case event
    /// A call for funding applications, usually with a deadline.
    case funding
}

/// One normalised thing a digest can list: an occurrence of an event, or a funding call.
///
/// Items are what every source turns into, whatever its format; filtering, rendering and the state store see
/// nothing else.
public struct Item: Sendable, Hashable {
    /// Stable across runs: the same occurrence or call gets the same id every week.
    public var id: String
    /// Event or funding call.
    public var kind: ItemKind
    /// The name of the source it came from (the first one, when several announced it).
    public var source: String
    /// Every source that announced it, after deduplication.
    public var sources: [String]
    /// The iCalendar UID or feed guid, as the source gave it.
    public var uid: String?
    /// Plain-text title.
    public var title: String
    /// Plain-text summary.
    public var summary: String
    /// Sanitised HTML summary, when the source gave HTML.
    public var summaryHTML: String?
    /// The item's page.
    public var url: URL?
    /// When the event starts (nil for funding calls).
    public var start: Date?
    /// When the event ends (exclusive for all-day events).
    public var end: Date?
    /// Whether the event lasts whole days.
    public var allDay: Bool
    /// Where it takes place, as written by the source.
    public var location: String?
    /// Whether it takes place online, so it concerns every region.
    public var online: Bool
    /// The organiser of an event or the funder of a call.
    public var organizer: String?
    /// The last moment to apply (funding calls): the next cut-off when there are several.
    public var deadline: Date?
    /// Whether the source gave a time of day for `deadline`; without one it is the end of that day.
    public var deadlineHasTime = false
    /// Later cut-offs of a call with several application rounds, in order.
    public var laterDeadlines: [Date] = []
    /// Whether applications are taken continuously ("löpande", "rolling"), so there is no deadline.
    public var rolling = false
    /// Other deadlines that other sources gave for the same call, when they disagree with `deadline`.
    public var otherDeadlines: [SourcedDeadline] = []
    /// Organisers, other than `organizer`, whose sources announced the same call or event.
    public var alsoFrom: [String] = []
    /// The last day to register for an event, when its text or source says.
    public var registrationDeadline: Date?
    /// Whether `registrationDeadline` has a time of day.
    public var registrationHasTime = false
    /// When the call opens, if announced.
    public var opens: Date?
    /// Budget text as the source wrote it ("upp till 2 mkr").
    public var budget: String?
    /// Canonical topic ids.
    public var topics: [String]
    /// Canonical region (municipality) names.
    public var regions: [String]
    /// The categories as the source wrote them.
    public var categories: [String]
    /// The iCalendar SEQUENCE, for change detection.
    public var sequence: Int
    /// When it was published, if the source said (a feed's `pubDate`, `dc:date`, Atom `published`).
    public var published: Date?
    /// When it was last changed, if the source said (Atom `updated`, `dcterms:modified`, JSON Feed
    /// `date_modified`).
    public var updated: Date?
    /// Whether the event was cancelled (listed only to readers who were sent it before).
    public var cancelled: Bool
    /// Whether the organiser marked the event tentative (iCalendar `STATUS:TENTATIVE`): it may not take place.
    public var tentative = false
    /// Whether the call was withdrawn: sent to readers before, no longer listed by its source, deadline ahead.
    public var withdrawn = false
    /// For an entry that stands for several occurrences of a recurring event, those occurrences.
    public var series: EventSeries?

    /// An item with the required fields; everything else empty.
    public init(id: String, kind: ItemKind, source: String, title: String) {
        self.id = id
        self.kind = kind
        self.source = source
        self.sources = [source]
        self.title = title
        self.summary = ""
        self.allDay = false
        self.online = false
        self.topics = []
        self.regions = []
        self.categories = []
        self.sequence = 0
        self.cancelled = false
    }

    /// Takes in `other`, the same call or event from another source: its sources, organiser (into ``alsoFrom``) and
    /// topics. Of two deadlines on the same day the one with a time of day wins; of two on different days the
    /// earlier, the other kept in ``otherDeadlines`` so the digest can say both.
    public mutating func merge(_ other: Item) {
        for source in other.sources where !sources.contains(source) { sources.append(source) }
        for name in (other.organizer.map { [$0] } ?? []) + other.alsoFrom {
            let known = (organizer.map { [$0] } ?? []) + alsoFrom
            if organizer == nil {
                organizer = name
            } else if !known.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                alsoFrom.append(name)
            }
        }
        for topic in other.topics where !topics.contains(topic) { topics.append(topic) }
        if summary.isEmpty && !other.summary.isEmpty {
            summary = other.summary
            summaryHTML = other.summaryHTML
        }
        if url == nil { url = other.url }
        if location == nil || location?.isEmpty == true { location = other.location }
        if opens == nil { opens = other.opens }
        if budget == nil { budget = other.budget }
        // "Löpande" from one source and a date from another: the date wins.
        rolling = deadline == nil && other.deadline == nil && (rolling || other.rolling)
        guard let theirs = other.deadline else { return }
        guard let mine = deadline else {
            deadline = theirs
            deadlineHasTime = other.deadlineHasTime
            laterDeadlines = other.laterDeadlines
            otherDeadlines += other.otherDeadlines
            return
        }
        // A bare day stands for its end (23:59:59): a timed deadline less than a day before it is the same day.
        let sameDay: Bool
        switch (deadlineHasTime, other.deadlineHasTime) {
        case (false, true): sameDay = theirs <= mine && mine.timeIntervalSince(theirs) < 86_400
        case (true, false): sameDay = mine <= theirs && theirs.timeIntervalSince(mine) < 86_400
        default: sameDay = mine == theirs
        }
        if sameDay {
            if other.deadlineHasTime && !deadlineHasTime {
                deadline = theirs
                deadlineHasTime = true
            }
            return
        }
        let theirClaim = SourcedDeadline(source: other.source, date: theirs, hasTime: other.deadlineHasTime)
        if theirs < mine {
            otherDeadlines.append(SourcedDeadline(source: source, date: mine, hasTime: deadlineHasTime))
            deadline = theirs
            deadlineHasTime = other.deadlineHasTime
        } else {
            otherDeadlines.append(theirClaim)
        }
    }

    /// The item with its deadline moved to the first of `laterDeadlines` not before `now`, when the current one has
    /// passed: a call with several rounds stays open until its last.
    public func nextRound(at now: Date) -> Item {
        var item = self
        item.moveToNextRound(at: now)
        return item
    }

    /// Makes the item what ``nextRound(at:)`` returns, in place.
    public mutating func moveToNextRound(at now: Date) {
        guard let deadline, deadline < now, let next = laterDeadlines.firstIndex(where: { $0 >= now }) else { return }
        self.deadline = laterDeadlines[next]
        laterDeadlines = Array(laterDeadlines[(next + 1)...])
    }

    /// The fields whose change matters to a reader (time, place, status), joined, to notice a moved event.
    ///
    /// Read for every item of every subscriber's digest, so it is a plain concatenation, not a hash.
    public var fingerprint: String {
        func seconds(_ date: Date?) -> String { date.map { String(Self.fingerprintSeconds($0)) } ?? "" }
        return
            "\(seconds(start))|\(seconds(end))|\(seconds(deadline))|\(cancelled ? "cancelled" : "")|\(location ?? "")"
    }

    /// `date` as the fingerprint holds it: whole seconds since 1970.
    public static func fingerprintSeconds(_ date: Date) -> Double {
        Double(Int(date.timeIntervalSince1970))
    }

    /// The deadline a ``fingerprint`` holds, in seconds since 1970, or nil when it holds none.
    public static func deadline(inFingerprint fingerprint: String) -> Double? {
        let fields = fingerprint.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count > 2 else { return nil }
        return Double(fields[2])
    }
}
