import Foundation

/// Reads RSS 0.91/0.92/2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed 1.1 documents into `Feed`.
///
/// Tolerant of what real feeds do wrong (see `parse`); safe on hostile input (bounded by `FeedLimits`, no network or
/// external entities). A value type with no shared state: use one from any thread.
public struct FeedParser: Sendable {
    /// The bounds applied to every document.
    public var limits: FeedLimits
    /// The zone for dates written without an offset (`2027-01-15`, `2027-01-15T10:00:00`); UTC by default.
    public var timeZone: TimeZone

    /// Creates a parser with the given limits, reading zone-less dates in `timeZone`.
    public init(limits: FeedLimits = .init(), timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current) {
        self.limits = limits
        self.timeZone = timeZone
    }

    /// Parses one feed document.
    ///
    /// Detects the format from content when `format` is nil (a JSON object is JSON Feed, otherwise the XML root
    /// element decides). Throws `FeedError` only when the whole document is unusable (empty, too large, not a feed,
    /// or broken before any usable content); a bad item is skipped and every repair is reported in `feed.problems`.
    /// - Parameters:
    ///   - data: the raw bytes, undecoded.
    ///   - format: the expected format, or nil to detect it; JSON versus XML follows this when given.
    ///   - baseURL: the URL the bytes came from (after redirects), to resolve relative links and `xml:base`.
    ///   - contentTypeCharset: the HTTP charset, used only when the document has no BOM and declares none.
    ///   - onItems: called on the parsing thread with each run of `batchSize` items read from an RSS or Atom
    ///     document, in order, while the parse goes on (for work that can overlap parsing). The items handed out are
    ///     not kept: the feed returned holds those read after the last run handed out (all of them when there is no
    ///     `onItems`, or the document is JSON).
    public func parse(
        _ data: Data, format: FeedFormat? = nil, baseURL: URL? = nil, contentTypeCharset: String? = nil,
        batchSize: Int = 256, onItems: (([FeedItem]) -> Void)? = nil
    ) throws(FeedError) -> Feed {
        guard data.count <= limits.maximumBytes else {
            throw FeedError(
                .tooLarge, message: "the document is \(data.count) bytes, more than the limit of \(limits.maximumBytes)"
            )
        }
        let bytes = [UInt8](data)
        guard let first = firstSignificantByte(bytes) else {
            throw FeedError(.empty, message: "the document is empty")
        }
        let isJSON = format.map { $0 == .jsonFeed } ?? (first == UInt8(ascii: "{"))
        if isJSON {
            return try JSONFeedReader(limits: limits, baseURL: baseURL, timeZone: timeZone).read(data)
        }
        return try parseXML(
            bytes, expected: format, baseURL: baseURL, httpCharset: contentTypeCharset,
            batches: onItems.map { (max(batchSize, 1), $0) })
    }

    private func firstSignificantByte(_ bytes: [UInt8]) -> UInt8? {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0 { return byte }
            index += 1
        }
        return nil
    }

    private func parseXML(
        _ bytes: [UInt8], expected: FeedFormat?, baseURL: URL?, httpCharset: String?,
        batches: (size: Int, handler: ([FeedItem]) -> Void)?
    ) throws(FeedError) -> Feed {
        let decoded = TextEncoding.decode(bytes, httpCharset: httpCharset)
        let expanded = InternalEntities.expand(decoded.bytes)
        let repaired = XMLRepair.repair(expanded.bytes)
        let reader = XMLFeedReader(limits: limits, baseURL: baseURL, timeZone: timeZone, batches: batches)
        let outcome = reader.run(repaired.bytes)
        if let reason = reader.notAFeed {
            throw FeedError(.notAFeed, line: 1, message: reason)
        }
        guard let detected = reader.format else {
            let detail = outcome.error.map { ": \($0)" } ?? ""
            throw FeedError(.malformed, line: outcome.line, message: "not well-formed XML\(detail)")
        }
        var problems = decoded.problems + expanded.problems + repaired.problems + reader.problems
        if let error = outcome.error {
            guard reader.itemsRead > 0 || reader.title != nil else {
                throw FeedError(.malformed, line: outcome.line, message: "not well-formed XML: \(error)")
            }
            problems.append(
                FeedProblem(
                    line: outcome.line,
                    message: "not well-formed XML (\(error)); kept the \(reader.itemsRead) items it could read"))
        }
        if let expected, expected != detected {
            problems.append(
                FeedProblem(message: "expected \(expected.rawValue) but the document is \(detected.rawValue)"))
        }
        return Feed(format: detected, title: reader.title, link: reader.link, items: reader.items, problems: problems)
    }
}
