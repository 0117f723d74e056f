import Curl
import Deadlines
import DigestSupport
import Feeds
import Foundation

/// Fills what a source's list lacks from each item's own page (`follow`): fetched with bounded concurrency, only for
/// entries that miss a field, and kept in the state with their validators, so that a page whose list entry did not
/// change is reused for `maxAge` and then asked again conditionally (a 304 reuses it too).
struct DetailPages {
    let source: SourceConfig
    let follow: SourceFollow
    let loader: SourceLoader
    let cache: (any SourceCache)?
    let now: Date
    let timeZone: TimeZone
    /// The source's `request.headers` with their `${NAME}`s filled, and the origin of the list they were sent to:
    /// an item page on that origin gets them too (an API key, a User-Agent the site asks for), any other page none.
    let headers: (values: [HTTPHeader], origin: URLOrigin?)

    /// The headers an item page on the list's origin gets: the source's own, filled from `environment`, except those
    /// that describe the list request's body (`Content-Type`, `Content-Length`); none when one names a variable that
    /// is not set (the list request has failed then, saying so).
    static func pageHeaders(
        _ source: SourceConfig, listURL: String, environment: [String: String]
    ) -> (values: [HTTPHeader], origin: URLOrigin?) {
        guard let request = source.request, !request.headers.isEmpty else { return ([], nil) }
        var values: [HTTPHeader] = []
        for header in request.headers where !["content-type", "content-length"].contains(header.name.lowercased()) {
            guard let value = try? EnvironmentReference.expand(header.value, from: environment) else {
                return ([], nil)
            }
            values.append(HTTPHeader(name: header.name, value: value))
        }
        return (values, URLOrigin(of: listURL))
    }

    /// What following gave: the problems, the requests made, how many pages failed and how many came from the state.
    struct Outcome {
        var problems: [String] = []
        var pages: [PageFetch] = []
        var failures = 0
        var reused = 0
    }

    /// Fills `entries`' detail values; `complete` says whether the list was read whole (then pages of entries no
    /// longer listed are forgotten).
    func fill(_ entries: inout [RawEntry], complete: Bool) async -> Outcome {
        var outcome = Outcome()
        var wanted: [(index: Int, url: URL)] = []
        var listed: Set<String> = []
        for (index, entry) in entries.enumerated() {
            guard let href = entry.texts(.url).first, let url = ItemMapper.resolve(href, against: entry.baseURL),
                let scheme = url.scheme?.lowercased(), ["http", "https", "file"].contains(scheme)
            else { continue }
            listed.insert(url.absoluteString)
            if !missing(in: entry).isEmpty { wanted.append((index, url)) }
        }
        if wanted.count > follow.limit {
            outcome.problems.append(
                "follow: \(wanted.count - follow.limit) item(s) over the limit of \(follow.limit) pages a run "
                    + "kept what the list gave")
            wanted = Array(wanted.prefix(follow.limit))
        }
        let fetcher = HTTPFetcher(maxConcurrent: follow.concurrency)
        let results = await withTaskGroup(of: (Int, PageResult).self) { group in
            var iterator = wanted.makeIterator()
            var running = 0
            var results: [(Int, PageResult)] = []
            while true {
                while running < follow.concurrency, let next = iterator.next() {
                    let entry = entries[next.index]
                    group.addTask { (next.index, await page(next.url, entry: entry, fetcher: fetcher)) }
                    running += 1
                }
                guard let result = await group.next() else { break }
                running -= 1
                results.append(result)
            }
            return results.sorted { $0.0 < $1.0 }
        }
        let storeProblems = results.compactMap(\.1.storeProblem)
        if let first = storeProblems.first {  // one problem for the run, not one per page
            outcome.problems.append(
                "follow: the state store failed for \(storeProblems.count) item page(s) (\(first)); "
                    + "they are fetched in full")
        }
        for (index, result) in results {
            if let fetch = result.fetch { outcome.pages.append(fetch) }
            switch result.outcome {
            case .success(let extracted, let reused):
                if reused { outcome.reused += 1 }
                for (field, texts) in extracted.values where !entries[index].has(field) && !texts.isEmpty {
                    entries[index].detailValues[field] = texts
                    if let origin = extracted.origins[field] { entries[index].origins[field] = origin }
                }
                if extracted.cancelled { entries[index].cancelled = true }
            case .failure(let message):
                outcome.failures += 1
                outcome.problems.append("item \(entries[index].number): its page \(message); kept what the list gave")
            }
        }
        if complete {
            do {
                try cache?.prunePages(source.name, keeping: listed)
            } catch {
                outcome.problems.append("follow: the state store could not forget unlisted item pages (\(error))")
            }
        }
        return outcome
    }

    /// The fields `entry` lacks that its page may give.
    func missing(in entry: RawEntry) -> [MappedField] {
        let fields: [MappedField]
        if !follow.fields.isEmpty {
            fields = follow.fields.map(\.field)
        } else if source.kind == .funding {
            fields = [.deadline]
        } else {
            fields = [.start, .location]
        }
        return fields.filter { !entry.has($0) }
    }

    private struct PageResult: Sendable {
        enum Outcome: Sendable {
            case success(DetailExtraction, reused: Bool)
            case failure(String)
        }
        var outcome: Outcome
        var fetch: PageFetch?
        /// Why the state store could not be read or written for this page, if it could not.
        var storeProblem: String?
    }

    private var definitionDigest: String {
        StableHash.hex(
            source.kind.rawValue + "|" + follow.fields.map { "\($0.field)=\($0.template.text)" }.joined(separator: "|"))
    }

    private func page(_ url: URL, entry: RawEntry, fetcher: HTTPFetcher) async -> PageResult {
        let key = url.absoluteString
        var storeProblem: String?
        var cached: CachedPage?
        if !url.isFileURL {
            do {
                cached = try cache?.cachedPage(source.name, url: key)
            } catch {
                storeProblem = "reading: \(error)"
            }
        }
        let usable = cached.flatMap { $0.definitionDigest == definitionDigest ? $0 : nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if let usable, usable.listDigest == entry.listDigest, follow.maxAge.after(usable.fetchedAt, in: calendar) > now
        {
            return PageResult(outcome: .success(DetailExtraction(cached: usable), reused: true), fetch: nil)
        }
        let started = ContinuousClock.now
        let sameOrigin = headers.origin != nil && URLOrigin(of: url.absoluteString) == headers.origin
        let response = await loader.fetchPage(
            url, source: source, headers: sameOrigin ? headers.values : [], etag: usable?.etag,
            lastModified: usable?.lastModified, fetcher: fetcher)
        let milliseconds = started.millisecondsUntilNow
        switch response {
        case .failure(let failure):
            let fetch = PageFetch(
                url: key, status: failure.status ?? 0, bytes: 0, milliseconds: milliseconds, isDetail: true)
            let attempts = failure.attempts > 1 ? " after \(failure.attempts) attempts" : ""
            return PageResult(
                outcome: .failure("\(key) failed: \(failure.reason)\(attempts)"), fetch: fetch,
                storeProblem: storeProblem)
        case .success(let response):
            let fetch = PageFetch(
                url: key, status: response.status, bytes: response.body.count, milliseconds: milliseconds,
                isDetail: true)
            let extraction: DetailExtraction
            if response.notModified, let usable {
                extraction = DetailExtraction(cached: usable)
            } else {
                extraction = DetailExtraction(
                    page: response.body, url: response.finalURL, charset: response.charset, follow: follow,
                    kind: source.kind, timeZone: timeZone, now: now, deadlinePhrases: source.deadlinePhrases)
            }
            if !url.isFileURL {
                do {
                    try cache?.storePage(
                        CachedPage(
                            source: source.name, url: key, listDigest: entry.listDigest,
                            definitionDigest: definitionDigest, etag: response.etag ?? usable?.etag,
                            lastModified: response.lastModified ?? usable?.lastModified,
                            values: extraction.storedValues, origins: extraction.storedOrigins,
                            cancelled: extraction.cancelled, fetchedAt: now))
                } catch {
                    storeProblem = storeProblem ?? "writing: \(error)"
                }
            }
            return PageResult(outcome: .success(extraction, reused: false), fetch: fetch, storeProblem: storeProblem)
        }
    }
}

/// What an item's own page gives: the follow definitions' texts, then for what they left empty the page's JSON-LD
/// and, for a funding call's deadline, the deadline finder over the page's main text.
struct DetailExtraction: Sendable {
    var values: [MappedField: [String]] = [:]
    var origins: [MappedField: String] = [:]
    var cancelled = false

    init(cached: CachedPage) {
        for (name, texts) in cached.values {
            if let field = MappedField(rawValue: name) { values[field] = texts }
        }
        for (name, origin) in cached.origins {
            if let field = MappedField(rawValue: name) { origins[field] = origin }
        }
        cancelled = cached.cancelled
    }

    init(
        page: Data, url: URL, charset: String?, follow: SourceFollow, kind: SourceConfig.Kind, timeZone: TimeZone,
        now: Date, deadlinePhrases: [String]
    ) {
        let document = HTMLDocument(data: page, url: url, charset: charset)
        for definition in follow.fields {
            let texts = MappedText.render(definition, baseURL: document.baseURL) {
                HTMLEntries.texts($0, in: document, at: nil, field: definition.field)
            }
            if !texts.isEmpty {
                values[definition.field] = texts
                origins[definition.field] = "follow: " + definition.template.text
            }
        }
        // A call whose deadline the definitions found needs nothing more from the page.
        if kind == .funding, values[.deadline] != nil { return }
        let (nodes, _) = SchemaOrg.nodes(in: document.jsonLDBlocks())
        if kind == .event, let event = SchemaOrg.events(in: nodes).first {
            var entry = RawEntry(number: 0)
            entry.values = values
            entry.fill(from: event, detail: true)
            for (field, texts) in entry.detailValues where values[field] == nil {
                values[field] = texts
                origins[field] = entry.origins[field]
            }
            cancelled = event.cancelled
        }
        guard kind == .funding, values[.deadline] == nil else { return }
        for node in nodes {
            for property in ["applicationDeadline", "deadline", "validThrough", "endDate", "expires"] {
                if let text = node[property]?.scalarText, !text.isEmpty, values[.deadline] == nil {
                    values[.deadline] = [text]
                    origins[.deadline] = "JSON-LD \(property)"
                }
            }
        }
        guard values[.deadline] == nil else { return }
        let finder = DeadlineFinder(timeZone: timeZone, extraDeadlinePhrases: deadlinePhrases)
        let found = finder.find(inPlainText: document.mainText(), referenceDate: now)
        let json = ItemJSON(timeZone: timeZone)
        if let deadline = found.deadline {
            values[.deadline] = [json.time(deadline, allDay: false)]
            origins[.deadline] = "the page's main text"
        }
        if values[.opens] == nil, let opens = found.opens {
            values[.opens] = [json.time(opens, allDay: false)]
            origins[.opens] = "the page's main text"
        }
    }

    var storedValues: [String: [String]] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }

    var storedOrigins: [String: String] {
        Dictionary(uniqueKeysWithValues: origins.map { ($0.key.rawValue, $0.value) })
    }
}
