import Curl
import DigestSupport
import Feeds
import Foundation

/// Reads a `format: json` or `format: html` source: asks for each page (placeholders filled, `${NAME}` from the
/// environment, paging until a page gives no items), maps the entries to items, and follows each item to its own page
/// for what the list lacks.
struct MappedSourceReader {
    let source: SourceConfig
    let mapping: SourceMapping
    let loader: SourceLoader
    let cache: (any SourceCache)?
    let timeZone: TimeZone
    let now: Date
    let environment: [String: String]
    let window: DateInterval

    /// What the source gave: its items, problems, notes and the trace, or why it failed.
    struct Outcome {
        var items: [Item] = []
        var problems: [String] = []
        var notes: [String] = []
        var detailFailures = 0
        var trace = SourceTrace()
    }

    /// Reads the source; a failure of the first page fails it, a later page's failure stops paging with a problem.
    func read() async throws(SourceFailure) -> Outcome {
        var outcome = Outcome()
        var entries: [RawEntry] = []
        var filtered = 0
        var complete = true
        var previousBody: Data?
        let pageCount = source.paging?.maxPages ?? 1
        pages: for index in 0..<pageCount {
            let location = pageLocation(index)
            let display = SourceURLTemplate.expand(location, now: now, timeZone: timeZone)
            let started = ContinuousClock.now
            let loaded = await loader.load(source, location: display, environment: environment)
            let milliseconds = started.millisecondsUntilNow
            let bytes: SourceBytes
            switch loaded {
            case .success(let value):
                bytes = value
                outcome.problems += value.problems
            case .failure(let failure):
                outcome.trace.pages.append(
                    PageFetch(url: display, status: 0, bytes: 0, milliseconds: milliseconds, isDetail: false))
                if index == 0 { throw failure }
                outcome.problems.append("page \(index + 1) (\(display)): \(failure.message); later pages not read")
                complete = false
                break pages
            }
            outcome.trace.pages.append(
                PageFetch(
                    method: source.request?.method.rawValue ?? "GET", url: display, status: bytes.status,
                    bytes: bytes.data.count, milliseconds: milliseconds, isDetail: false))
            if let paging = source.paging {
                if previousBody == bytes.data {
                    outcome.problems.append(
                        "page \(index + 1) is the same as page \(index); the service seems to ignore "
                            + "'\(paging.param)', so paging stopped")
                    break pages
                }
                previousBody = bytes.data
            }
            let page: (entries: [RawEntry], filtered: Int, problems: [String])
            do throws(SourceFailure) {
                switch mapping.language {
                case .json:
                    page = try JSONEntries(mapping: mapping).read(
                        bytes.data, baseURL: bytes.finalURL, firstNumber: entries.count + filtered + 1)
                case .xpath:
                    page = try HTMLEntries(mapping: mapping).read(
                        bytes.data, url: bytes.finalURL, charset: bytes.charset,
                        firstNumber: entries.count + filtered + 1)
                }
            } catch {
                if index == 0 { throw error }
                outcome.problems.append("page \(index + 1) (\(display)): \(error.message); later pages not read")
                complete = false
                break pages
            }
            outcome.problems += page.problems
            filtered += page.filtered
            entries += page.entries
            if page.entries.isEmpty && page.filtered == 0 { break pages }
            if let paging = source.paging, index == pageCount - 1 {
                outcome.problems.append(
                    "paging stopped after maxPages (\(paging.maxPages)) pages; later pages may hold more items")
            }
            if entries.count >= 50_000 {
                outcome.problems.append("more than 50000 items; later pages not read")
                complete = false
                break pages
            }
        }
        outcome.trace.filtered = filtered
        if filtered > 0 {
            let conditions = mapping.filters.map(\.filter.text).joined(separator: " and ")
            outcome.notes.append("\(filtered) item(s) left out by where (\(conditions))")
        }
        if let follow = mapping.follow {
            let listURL = SourceURLTemplate.expand(pageLocation(0), now: now, timeZone: timeZone)
            let pages = DetailPages(
                source: source, follow: follow, loader: loader, cache: cache, now: now, timeZone: timeZone,
                headers: DetailPages.pageHeaders(source, listURL: listURL, environment: environment))
            let followed = await pages.fill(&entries, complete: complete)
            outcome.problems += followed.problems
            outcome.trace.pages += followed.pages
            outcome.detailFailures = followed.failures
            if followed.reused > 0 {
                outcome.notes.append("\(followed.reused) item page(s) reused from the state without asking again")
            }
        }
        let mapper = ItemMapper(source: source, timeZone: timeZone, now: now)
        let json = ItemJSON(timeZone: timeZone)
        var matched: Set<MappedField> = []
        var closed = 0
        var outside = 0
        // Each entry is mapped on its own, so on every core; what comes of them is then taken in order.
        let mapped = Parallel.map(entries) { mapper.item(for: $0) }
        for (entry, mappedEntry) in zip(entries, mapped) {
            for field in MappedField.allCases where entry.has(field) { matched.insert(field) }
            var (item, trace, warnings) = mappedEntry
            item = item?.nextRound(at: window.start)
            outcome.problems += warnings
            if let found = item, found.kind == .funding, let deadline = found.deadline, deadline < window.start {
                trace.droppedBecause = "closed before \(json.time(window.start, allDay: true))"
                closed += 1
                item = nil
            } else if let found = item, found.kind == .event, let start = found.start,
                (found.end ?? start) < window.start || start >= window.end
            {
                trace.droppedBecause =
                    "outside \(json.time(window.start, allDay: true))–\(json.time(window.end, allDay: true))"
                outside += 1
                item = nil
            }
            outcome.trace.items.append(trace)
            if let item { outcome.items.append(item) }
        }
        if closed > 0 {
            outcome.notes.append("\(closed) call(s) closed before \(json.time(window.start, allDay: true))")
        }
        if outside > 0 {
            outcome.notes.append(
                "\(outside) event(s) outside \(json.time(window.start, allDay: true))–"
                    + "\(json.time(window.end, allDay: true))")
        }
        if !entries.isEmpty {
            let defined = mapping.fields.map(\.field) + (mapping.follow?.fields.map(\.field) ?? [])
            for field in MappedField.allCases where defined.contains(field) && !matched.contains(field) {
                outcome.trace.unmatchedFields.append(field)
                let definition =
                    mapping.definition(of: field)?.template.text
                    ?? mapping.follow?.fields.first { $0.field == field }.map { "follow: " + $0.template.text } ?? ""
                outcome.problems.append(
                    "fields.\(field.rawValue) ('\(definition)') matched nothing in any of the \(entries.count) items")
            }
        }
        return outcome
    }

    /// The source's URL for the page at `index`: `{page}` filled, or the paging parameter set in the query.
    func pageLocation(_ index: Int) -> String {
        guard let paging = source.paging else { return source.url }
        let value = paging.value(at: index)
        if source.url.contains("{page}") {
            return SourceURLTemplate.expand(source.url, now: now, timeZone: timeZone, page: value)
        }
        return Self.setting(paging.param, to: String(value), in: source.url)
    }

    /// `url` with the query parameter `name` set to `value` (replacing it if present).
    static func setting(_ name: String, to value: String, in url: String) -> String {
        let fragmentStart = url.firstIndex(of: "#") ?? url.endIndex
        let base = url[..<fragmentStart]
        let fragment = url[fragmentStart...]
        let encodedName = name.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? name
        guard let question = base.firstIndex(of: "?") else { return "\(base)?\(encodedName)=\(value)\(fragment)" }
        let path = base[..<question]
        var pairs = base[base.index(after: question)...].split(separator: "&", omittingEmptySubsequences: true)
            .map(String.init)
        pairs.removeAll { $0 == encodedName || $0.hasPrefix(encodedName + "=") }
        pairs.append("\(encodedName)=\(value)")
        return "\(path)?\(pairs.joined(separator: "&"))\(fragment)"
    }
}
