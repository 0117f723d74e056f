import Curl
import DigestSupport
import Feeds
import Foundation
import Logging

/// Reads every configured source concurrently and turns what they hold into normalised items.
///
/// One broken source never stops the others: it is reported and the run goes on.
public struct SourceCollector: Sendable {
    let config: DigestConfig
    let taxonomy: Taxonomy
    let logger: Logger
    let fetcher: HTTPFetcher
    let cache: (any SourceCache)?
    let environment: [String: String]

    /// A collector for `config`'s sources.
    /// `cache` (the state store) keeps HTTP validators and bodies between runs, for conditional GETs, and the item
    /// pages JSON and HTML sources follow; `${NAME}` references in requests are read from `environment`.
    public init(
        config: DigestConfig, taxonomy: Taxonomy, logger: Logger, cache: (any SourceCache)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.cache = cache
        self.environment = environment
        self.config = config
        self.taxonomy = taxonomy
        self.logger = logger
        self.fetcher = HTTPFetcher(maxConcurrent: 4)
    }

    /// Every item the sources hold in `window` (events overlapping it; every funding call that has not closed by
    /// its start), deduplicated across sources.
    /// `now` fills the URLs' `{today}` placeholders and is the clock of the item-page cache (the window's start when
    /// nil).
    public func collect(window: DateInterval, now: Date? = nil, only names: Set<String>? = nil) async -> CollectResult {
        let loader = SourceLoader(
            baseFolder: config.baseFolder,
            fetcher: fetcher,
            caFile: config.delivery.caFile.map { config.resolve($0).path },
            cache: cache
        )
        let now = now ?? window.start
        let sources = config.sources.filter { names?.contains($0.name) ?? true }
        let results = await withTaskGroup(of: (Int, [Item], SourceReport).self) { group in
            for (index, source) in sources.enumerated() {
                group.addTask {
                    let (items, report) = await self.collect(source, loader: loader, window: window, now: now)
                    return (index, items, report)
                }
            }
            var collected: [(Int, [Item], SourceReport)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }
        }
        var items: [Item] = []
        var reports: [SourceReport] = []
        for (_, found, unsafeReport) in results {
            if items.isEmpty { items = found } else { items += found }  // one source's items are not copied
            // What a source says goes to terminals, logs and pages: no control character (an undecoded NUL) from it.
            var report = unsafeReport
            report.failure = report.failure.map(PrintableText.oneLine)
            report.problems = report.problems.map(PrintableText.oneLine)
            reports.append(report)
            if let failure = report.failure {
                logger.warning(
                    "Source failed",
                    metadata: [
                        "source.name": "\(report.name)", "source.url": "\(report.url)", "source.error": "\(failure)",
                    ]
                )
            }
            for problem in report.problems {
                logger.notice(
                    "Source problem", metadata: ["source.name": "\(report.name)", "source.problem": "\(problem)"])
            }
        }
        return CollectResult(items: Self.deduplicate(consume items), reports: reports)
    }

    private func collect(
        _ source: SourceConfig,
        loader: SourceLoader,
        window: DateInterval,
        now: Date
    ) async -> ([Item], SourceReport) {
        var report = SourceReport(name: source.name, url: source.url)
        let zone = config.newsletter.timeZone
        if let mapping = source.mapping {
            let reader = MappedSourceReader(
                source: source, mapping: mapping, loader: loader, cache: cache, timeZone: zone, now: now,
                environment: environment, window: window)
            do throws(SourceFailure) {
                let outcome = try await reader.read()
                report.problems = outcome.problems
                report.notes = outcome.notes
                report.detailFailures = outcome.detailFailures
                report.trace = outcome.trace
                var items = (consume outcome).items
                classify(&items, source: source)
                report.itemCount = items.count
                return (items, report)
            } catch {
                report.failure = error.message
                return ([], report)
            }
        }
        let bytes: SourceBytes
        let location = SourceURLTemplate.expand(source.url, now: now, timeZone: zone)
        switch await loader.load(source, location: location, environment: environment) {
        case .success(let loaded):
            bytes = loaded
            report.notModified = loaded.notModified
        case .failure(let failure):
            report.failure = failure.message
            return ([], report)
        }
        do {
            var items: [Item]
            let problems: [String]
            switch source.format ?? Self.detectFormat(bytes.data, path: source.url) {
            case .ical:
                (items, problems) = try CalendarItems(source: source, timeZone: zone).items(
                    from: bytes.data, window: window)
            case .yaml:
                (items, problems) = try FundingFile(source: source, timeZone: zone).items(
                    from: bytes.data, displayPath: source.url)
            case .rss, .atom, .jsonfeed:
                (items, problems) = try FeedItems(source: source, timeZone: zone).items(from: bytes)
            case .json, .html:
                (items, problems) = ([], [])  // read by MappedSourceReader above
            }
            // Calls closed before the window are left out (mapped sources do it themselves and note each).
            classify(&items, source: source, roundAt: window.start)
            let closed = Self.removeCalls(closedBefore: window.start, from: &items)
            if closed > 0 {
                let day = ItemJSON(timeZone: zone).time(window.start, allDay: true)
                report.notes.append("\(closed) call(s) closed before \(day)")
            }
            report.itemCount = items.count
            report.problems = bytes.problems + problems
            return (items, report)
        } catch {
            report.failure = error.message
            return ([], report)
        }
    }

    /// Removes the funding calls whose deadline is before `start`, keeping the order of the rest; returns how many.
    /// The items are read where they are (`removeAll(where:)` hands its test a copy of each item, about forty
    /// retains, even when nothing is removed).
    static func removeCalls(closedBefore start: Date, from items: inout [Item]) -> Int {
        let closed = items.withUnsafeBufferPointer { buffer in
            buffer.indices.filter { position in
                let item = buffer.baseAddress! + position
                return item.pointee.kind == .funding && item.pointee.deadline.map { $0 < start } ?? false
            }
        }
        guard !closed.isEmpty else { return 0 }
        // The kept items move forward over the closed ones, which end up at the end and are dropped there.
        items.withUnsafeMutableBufferPointer { buffer in
            var next = 0  // the next of `closed` (ascending)
            var kept = 0
            for position in buffer.indices {
                if next < closed.count && closed[next] == position {
                    next += 1
                    continue
                }
                if kept != position { buffer.swapAt(kept, position) }
                kept += 1
            }
        }
        items.removeLast(closed.count)
        return closed.count
    }

    /// Works out the topics, regions and organiser of `items` in place, on every core (each worker with its own
    /// classifier and what it remembers); a call past its deadline at `roundAt` moves on to its next round.
    private func classify(_ items: inout [Item], source: SourceConfig, roundAt: Date? = nil) {
        let taxonomy = taxonomy
        let zone = config.newsletter.timeZone
        Parallel.update(
            &items, state: { ItemClassifier(taxonomy: taxonomy, timeZone: zone) },
            body: { classifier, item in
                classifier.classify(&item, source: source)
                if let roundAt { item.moveToNextRound(at: roundAt) }
            })
    }

    /// The format `data` is in, judged from its first bytes (and the file name for YAML).
    static func detectFormat(_ data: Data, path: String) -> SourceConfig.Format {
        // Decoded as the feed parser will decode it: UTF-16 and UTF-32 XML start with NUL bytes, not "<".
        let head = DocumentHead.text(of: data)
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
        if head.uppercased().hasPrefix("BEGIN:VCALENDAR") { return .ical }
        if head.hasPrefix("{") { return .jsonfeed }
        if head.hasPrefix("<") { return head.contains("<feed") ? .atom : .rss }
        if path.hasSuffix(".ics") { return .ical }
        return .yaml
    }

    /// The letter-and-digit words of `text`, joined by single spaces.
    static func words(of text: String) -> String {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
        }
        // ASCII (most folded titles): split on bytes rather than on Characters and their properties.
        var words: [UInt8] = []
        for byte in text.utf8 {
            let isWordByte =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if isWordByte {
                words.append(byte)
            } else if let last = words.last, last != 0x20 {
                words.append(0x20)
            }
        }
        if words.last == 0x20 { words.removeLast() }
        return String(decoding: words, as: UTF8.self)
    }

    /// Merges items with the same id (the same canonical URL) or, for funding calls, the same normalised title and
    /// deadline, for events from different sources the same normalised title, start and place: one item that names
    /// every source and organiser, with the most precise deadline (``Item/merge(_:)``). Two events of one calendar
    /// stay two, even at the same time under the same title: the calendar says they are different events.
    static func deduplicate(_ items: consuming [Item]) -> [Item] {
        // Each item's keys, worked out and hashed on every core (titles and places folded once per worker: a
        // series' occurrences share them), the items read where they are; then one pass in order decides what
        // merges into what.
        let runLength = max(256, items.count / 64)
        let keyRuns = Parallel.map(
            runsOf: items, length: runLength, state: { [UTF8Key: String]() },
            transform: { folded, run in
                run.offsets.map { offset in
                    let keys = dedupeKeys(of: run.base + offset, folded: &folded)
                    return (id: HashedKey(keys.id), other: keys.other.map(HashedKey.init))
                }
            })
        // The first item under a key stays, and what merges into it is merged in place. The items are read and
        // changed through their buffer, which lends them (the array's subscript copies a whole item).
        let kept = items.withUnsafeMutableBufferPointer { items in
            var kept: [Int] = []
            kept.reserveCapacity(items.count)
            var index: [HashedKey: Int] = [:]
            index.reserveCapacity(keyRuns.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.other == nil ? 1 : 2) } })
            for position in items.indices {
                let (idKey, other) = keyRuns[position / runLength][position % runLength]
                let eventKey: HashedKey? = if case .event = other?.key { other } else { nil }
                let source = items[position].source
                func candidate(_ key: HashedKey) -> Int? {
                    index[key].flatMap { first in
                        key == eventKey && items[first].sources.contains(source) ? nil : first
                    }
                }
                if let first = candidate(idKey) ?? other.flatMap(candidate) {
                    items[first].merge(items[position])
                    index[idKey] = first
                    if let other { index[other] = first }
                } else {
                    // The first event under a title, start and place stays the one other sources merge into.
                    index[idKey] = position
                    if let other, other != eventKey || index[other] == nil { index[other] = position }
                    kept.append(position)
                }
            }
            return kept
        }
        // Sorted by key, then moved into that order in place: sorting the items themselves copied each large Item
        // many times, and gathering them into a new array copied each once.
        let order = items.withUnsafeBufferPointer { items in
            kept.map { position in
                (
                    funding: items[position].kind == .funding,
                    time: items[position].start ?? items[position].deadline ?? .distantFuture,
                    id: items[position].id, position: position
                )
            }
            .sorted { lhs, rhs in
                if lhs.funding != rhs.funding { return lhs.funding }
                return lhs.time == rhs.time ? lhs.id < rhs.id : lhs.time < rhs.time
            }
            .map(\.position)
        }
        permute(&items, taking: order)
        return items
    }

    /// Rearranges `elements` so that its first `order.count` elements are those at `order`'s positions, in that
    /// order (no position twice), and drops the rest; elements are swapped, never copied.
    static func permute<Element>(_ elements: inout [Element], taking order: [Int]) {
        // A whole permutation: the positions taken, then the others; element j becomes the one at source[j].
        var taken = [Bool](repeating: false, count: elements.count)
        for position in order { taken[position] = true }
        var source = order
        source.reserveCapacity(elements.count)
        for position in elements.indices where !taken[position] { source.append(position) }
        // Each cycle of the permutation is walked once, one swap per element (the buffer's swaps move memory; the
        // array's would retain and release each element).
        var done = [Bool](repeating: false, count: elements.count)
        elements.withUnsafeMutableBufferPointer { elements in
            for start in elements.indices where !done[start] {
                var at = start
                while true {
                    done[at] = true
                    let from = source[at]
                    if from == start { break }
                    elements.swapAt(at, from)
                    at = from
                }
            }
        }
        elements.removeLast(elements.count - order.count)
    }

    /// The keys the item at `item` is known by when deduplicating (read where it is, not copied): its id, and its
    /// folded title with its deadline (a call) or with its start and place (an event); `folded` keeps each text's
    /// folding.
    private static func dedupeKeys(of item: UnsafePointer<Item>, folded: inout [UTF8Key: String]) -> (
        id: DedupeKey, other: DedupeKey?
    ) {
        func words(_ text: String) -> String {
            let key = UTF8Key(text)
            if let known = folded[key] { return known }
            let made = Self.words(of: Suggestion.fold(text))
            folded[key] = made
            return made
        }
        let title = words(item.pointee.title)
        // Untitled items (text only in a description) are told apart by their id alone.
        if !title.isEmpty, item.pointee.kind == .funding {
            return (
                .id(item.pointee.id),
                .call(title: title, deadline: item.pointee.deadline.map { Int($0.timeIntervalSince1970) })
            )
        } else if !title.isEmpty, let start = item.pointee.start {
            // The same event in two organisers' calendars: the same title, start and place.
            let place = item.pointee.online ? "online" : words(item.pointee.location ?? "")
            return (.id(item.pointee.id), .event(title: title, start: Int(start.timeIntervalSince1970), place: place))
        }
        return (.id(item.pointee.id), nil)
    }

    /// A key with its hash worked out once, where the keys are made (on every core): the pass that looks them up
    /// runs on one, and hashed each key's strings at every look-up.
    private struct HashedKey: Hashable {
        let key: DedupeKey
        let hash: Int

        init(_ key: DedupeKey) {
            self.key = key
            self.hash = key.hashValue
        }

        static func == (lhs: HashedKey, rhs: HashedKey) -> Bool { lhs.hash == rhs.hash && lhs.key == rhs.key }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    /// What deduplication knows an item by: its id, and a call's folded title and deadline or an event's folded
    /// title, start and place (made of the texts folded once, so no key is a new string).
    private enum DedupeKey: Hashable {
        case id(String)
        /// A call's folded title and deadline, in seconds since 1970.
        case call(title: String, deadline: Int?)
        /// An event's folded title, start in seconds since 1970, and folded place ("online" when it is online).
        case event(title: String, start: Int, place: String)
    }
}
