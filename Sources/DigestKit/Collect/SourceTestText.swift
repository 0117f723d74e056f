import Foundation

/// What `digest sources test NAME` prints: the requests, then for the first items each mapped field with its
/// definition, raw value and the value read from it, then every item left out and why, the warnings and the notes.
public struct SourceTestText: Sendable {
    /// The source tried.
    public var source: SourceConfig
    /// Its report from the run.
    public var report: SourceReport
    /// How many items to show field by field.
    public var limit: Int
    /// Whether to print how long requests took (off in tests, whose output must not vary).
    public var showTiming: Bool

    /// A text for `report` of `source`.
    public init(source: SourceConfig, report: SourceReport, limit: Int, showTiming: Bool = true) {
        self.source = source
        self.report = report
        self.limit = limit
        self.showTiming = showTiming
    }

    /// The whole text, ending with a newline.
    public var text: String {
        let format = source.format?.rawValue ?? "detected"
        var lines = ["\(source.name) (\(source.kind.rawValue), \(format)): \(source.url)"]
        let trace = report.trace ?? SourceTrace()
        let listPages = trace.pages.filter { !$0.isDetail }
        let detailPages = trace.pages.filter(\.isDetail)
        let bytes = trace.pages.reduce(0) { $0 + $1.bytes }
        let time = trace.pages.reduce(0) { $0 + $1.milliseconds }
        var requests = "requests: \(trace.pages.count) (\(listPages.count) list, \(detailPages.count) item pages), "
        requests += Self.size(bytes) + (showTiming ? ", \(time) ms" : "")
        lines.append(requests)
        for page in trace.pages.prefix(20) {
            let status = page.status == 0 ? (page.bytes > 0 ? "read" : "failed") : String(page.status)
            let reused = page.status == 304 ? " (unchanged, cached copy used)" : ""
            lines.append(
                "  \(page.method) \(page.url) → \(status)\(reused), \(Self.size(page.bytes))"
                    + (showTiming ? ", \(page.milliseconds) ms" : ""))
        }
        if trace.pages.count > 20 { lines.append("  … and \(trace.pages.count - 20) more") }
        if let failure = report.failure {
            lines.append("failed: \(failure)")
            return lines.joined(separator: "\n") + "\n"
        }
        let dropped = trace.items.filter { $0.droppedBecause != nil }
        let listed = trace.items.count + trace.filtered
        let byWhere = trace.filtered > 0 ? " (\(trace.filtered) by where)" : ""
        lines.append(
            "items: \(listed) listed, \(report.itemCount) kept, \(dropped.count + trace.filtered) left out\(byWhere)")
        for item in trace.items.prefix(limit) {
            lines.append("")
            let title = item.title.map { ": \(ItemMapper.short($0))" } ?? ""
            lines.append("item \(item.number)\(title)" + (item.droppedBecause.map { " — left out: \($0)" } ?? ""))
            let rows = item.fields.map { field -> [String] in
                let raw =
                    field.raw.isEmpty
                    ? "–"
                    : field.raw.prefix(3).map { "\"\(ItemMapper.short($0, 40))\"" }
                        .joined(separator: ", ") + (field.raw.count > 3 ? ", … (\(field.raw.count))" : "")
                let parsed = field.parsed.map { ItemMapper.short($0, 60) } ?? "– " + (field.warning ?? "nothing read")
                return [field.field.rawValue, ItemMapper.short(field.definition, 40), raw, parsed]
            }
            lines += Self.table(rows, indent: "  ")
        }
        if !dropped.isEmpty {
            lines.append("")
            lines.append("left out (\(dropped.count)):")
            for item in dropped.prefix(50) {
                let title = item.title.map { " (\"\(ItemMapper.short($0))\")" } ?? ""
                lines.append("  item \(item.number)\(title): \(item.droppedBecause ?? "")")
            }
            if dropped.count > 50 { lines.append("  … and \(dropped.count - 50) more") }
        }
        if !report.problems.isEmpty {
            lines.append("")
            lines.append("warnings (\(report.problems.count)):")
            lines += report.problems.prefix(100).map { "  " + $0 }
            if report.problems.count > 100 { lines.append("  … and \(report.problems.count - 100) more") }
        }
        if !report.notes.isEmpty {
            lines.append("")
            lines.append("notes:")
            lines += report.notes.map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same as one JSON object: `source`, `requests`, `items` (the first `limit`, field by field), `leftOut`,
    /// `warnings`, `notes`, `failure`.
    public var json: String {
        struct Document: Encodable {
            var source: String
            var kind: String
            var url: String
            var failure: String?
            var requests: [PageFetch]
            var listed: Int
            var filtered: Int
            var kept: Int
            var items: [ItemTrace]
            var leftOut: [ItemTrace]
            var unmatchedFields: [MappedField]
            var warnings: [String]
            var notes: [String]
        }
        let trace = report.trace ?? SourceTrace()
        var requests = trace.pages
        if !showTiming {
            requests = requests.map {
                var page = $0
                page.milliseconds = 0
                return page
            }
        }
        let document = Document(
            source: source.name, kind: source.kind.rawValue, url: source.url, failure: report.failure,
            requests: requests, listed: trace.items.count + trace.filtered, filtered: trace.filtered,
            kept: report.itemCount, items: Array(trace.items.prefix(limit)),
            leftOut: trace.items.filter { $0.droppedBecause != nil }, unmatchedFields: trace.unmatchedFields,
            warnings: report.problems, notes: report.notes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 10_000 { return "\(bytes) bytes" }
        if bytes < 10_000_000 { return "\(bytes / 1000) kB" }
        return "\(bytes / 1_000_000) MB"
    }

    static func table(_ rows: [[String]], indent: String) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            indent
                + row.enumerated().map { column, cell in
                    column == columns - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
        }
    }
}
