import DigestSupport
import Foundation
import Logging
import MailMessage
import Synchronization
import Yams

/// Every subscriber file under a folder, read and checked: each mistake becomes a `path:line:column: message`
/// diagnostic, and a file with mistakes contributes no subscriber.
public struct SubscriberDirectory: Sendable {
    /// The subscribers that passed every check, sorted by address.
    public var subscribers: [Subscriber]
    /// Every problem found, in file order.
    public var diagnostics: [Diagnostic]

    /// Reads every `*.yaml` / `*.yml` file in `folder` (not recursively; `README.md` and other files are ignored).
    ///
    /// - Parameters:
    ///   - folder: the subscribers folder.
    ///   - displayBase: the folder paths are shown relative to.
    ///   - taxonomy: topics and organisers that names are checked against.
    ///   - extraOrganizers: organisers named by sources, also accepted.
    ///   - limit: the most bytes a file may have; a larger one is reported and not read.
    ///   - checksNames: whether topics and organisers are checked against `taxonomy`; not when the topics file
    ///     could not be read, so that its one error is not followed by a false "unknown topic" for every name.
    ///   - cache: the files checked in earlier runs; those unchanged since are taken from it, not read again.
    public static func load(
        folder: URL,
        displayBase: URL,
        taxonomy: Taxonomy,
        extraOrganizers: [String] = [],
        limit: FileSizeLimit = .subscriberFiles(),
        checksNames: Bool = true,
        cache: SubscriberFileCache? = nil
    ) -> SubscriberDirectory {
        let names: [String]
        do {
            // Names sorted as strings, made into URLs a batch at a time: URL's own name and extension cost too
            // much for a sort of 20,000 files, and 20,000 URLs held at once are megabytes.
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
        } catch {
            let path = displayPath(folder, base: displayBase)
            return SubscriberDirectory(
                subscribers: [],
                diagnostics: [
                    Diagnostic(
                        path: path, message: "cannot read the subscribers folder: \(YAMLDocument.reason(error)).")
                ]
            )
        }
        let realFolder = folder.resolvingSymlinksInPath().standardizedFileURL.path + "/"
        /// One file's outcome: its display path, its entries and its problems.
        typealias Outcome = (path: String, found: [Found], problems: [Diagnostic])
        @Sendable func outcome(
            _ file: URL, _ checker: SubscriberChecker, kept: [String: SubscriberFileCache.Kept]
        ) -> Outcome {
            let path = displayPath(file, base: displayBase)
            let stamp = cache == nil ? nil : SubscriberFileCache.stamp(of: file)
            if let stamp, let found = cache?.entries(of: file, stamp: stamp, displayPath: path, in: kept) {
                return (path, found, [])
            }
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: file.path) {
                let resolved = file.resolvingSymlinksInPath().standardizedFileURL.path
                guard resolved.hasPrefix(realFolder) else {
                    // A link out of the folder would let whoever controls the folder read (and the editors write)
                    // any file the process can.
                    let message =
                        "is a symbolic link to \(target), outside the subscribers folder; put the subscriber file "
                        + "itself in the folder."
                    return (path, [], [Diagnostic(path: path, message: message)])
                }
            }
            let (read, problems) = checker.read(file, displayPath: path)
            let found = read.map { Found(subscriber: $0.0, line: $0.1?.line, column: $0.1?.column) }
            if let stamp, problems.isEmpty { cache?.remember(file, stamp: stamp, entries: found) }
            return (path, found, problems)
        }
        // The files are read and checked a batch at a time, so that what reading them takes (their kept entries,
        // URLs, outcomes) is held for one batch only and memory stays flat however many files there are. Within a
        // batch they are read in parallel, each worker with its own checker (a YAML decoder is not shared across
        // threads); their outcomes come back in file order, so diagnostics keep that order.
        var subscribers: [Subscriber] = []
        var keys: [String] = []  // each subscriber's address, lower-cased
        var diagnostics: [Diagnostic] = []
        var firstSeen: [String: String] = [:]
        var present = Set<String>()
        for batchStart in stride(from: 0, to: names.count, by: Self.batchSize) {
            let files = names[batchStart..<min(batchStart + Self.batchSize, names.count)].map {
                folder.appendingPathComponent($0, isDirectory: false)
            }
            if cache != nil { present.formUnion(files.map(\.path)) }
            let kept = Self.kept(files, in: cache)
            let outcomes = Parallel.map(
                count: files.count,
                state: {
                    SubscriberChecker(
                        taxonomy: taxonomy, extraOrganizers: extraOrganizers, limit: limit, checksNames: checksNames)
                },
                transform: { checker, index in outcome(files[index], checker, kept: kept) })
            for (path, found, problems) in outcomes {
                diagnostics += problems
                guard problems.isEmpty else { continue }
                for entry in found {
                    let key = entry.subscriber.email.lowercased()
                    if let other = firstSeen[key] {
                        diagnostics.append(
                            Diagnostic(
                                path: path,
                                line: entry.line,
                                column: entry.column,
                                message:
                                    "\(entry.subscriber.email) is already subscribed in \(other); keep one of them."
                            )
                        )
                        continue
                    }
                    firstSeen[key] = path
                    subscribers.append(entry.subscriber)
                    keys.append(key)
                }
            }
        }
        // By address (the keys are unique: one order), gathered once.
        subscribers = keys.indices.sorted { keys[$0] < keys[$1] }.map { subscribers[$0] }
        do {
            try cache?.save(present: present)
        } catch {
            // Only the next run's speed depends on it: that run reads the files again.
            Logger(label: "digest.subscribers").notice(
                "Could not keep the checked subscriber files in the state", metadata: ["error": "\(error)"])
        }
        return SubscriberDirectory(subscribers: subscribers, diagnostics: diagnostics)
    }

    /// Reads the subscribers `config` names (folder, size limit, the sources' organisers), checked against
    /// `taxonomy`, through the cache in `state` when one is given.
    public static func load(
        config: DigestConfig, taxonomy: Taxonomy, checksNames: Bool = true, state: StateStore?
    ) -> SubscriberDirectory {
        let extra = config.sources.compactMap(\.organizer)
        var cache: SubscriberFileCache?
        if let state {
            do {
                cache = try SubscriberFileCache(
                    state: state, taxonomy: taxonomy, extraOrganizers: extra, limit: config.subscriberFileLimit,
                    checksNames: checksNames)
            } catch {
                noteUnreadableCache(error)  // every file is read and checked
            }
        }
        return load(
            folder: config.subscribersFolder, displayBase: config.baseFolder, taxonomy: taxonomy,
            extraOrganizers: extra, limit: config.subscriberFileLimit, checksNames: checksNames, cache: cache)
    }

    /// What `cache` keeps for `files`: nothing when there is no cache or it cannot be read (then they are read and
    /// checked).
    private static func kept(_ files: [URL], in cache: SubscriberFileCache?) -> [String: SubscriberFileCache.Kept] {
        do {
            return try cache?.batch(files) ?? [:]
        } catch {
            noteUnreadableCache(error)
            return [:]
        }
    }

    /// Logs that the state's checked files could not be read: only the run's speed depends on them.
    private static func noteUnreadableCache(_ error: any Error) {
        Logger(label: "digest.subscribers").notice(
            "Could not read the checked subscriber files kept in the state", metadata: ["error": "\(error)"])
    }

    /// How many files are read at a time.
    static let batchSize = 1_024

    /// One subscriber a file holds, and where its entry starts.
    public struct Found: Sendable {
        /// The subscriber, checked.
        public var subscriber: Subscriber
        /// The line and column of the entry, when known.
        public var line, column: Int?
    }

    static func displayPath(_ url: URL, base: URL) -> String {
        let full = url.standardizedFileURL.path
        let prefix = base.standardizedFileURL.path + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
    }
}

/// Checks subscriber entries against the taxonomy.
struct SubscriberChecker {
    let taxonomy: Taxonomy
    let extraOrganizers: [String]
    /// The most bytes a file may have.
    var limit: FileSizeLimit = .subscriberFiles()
    /// Whether topics and organisers are checked against the taxonomy (not when it could not be read).
    var checksNames = true
    /// One decoder for every file read.
    let decoder = YAMLDecoder()

    /// Reads one file: a mapping (one subscriber) or a list of mappings.
    func read(_ file: URL, displayPath: String) -> ([(Subscriber, Mark?)], [Diagnostic]) {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(
                contentsOf: file, displayPath: displayPath, limit: limit, resolver: YAMLDocument.subscriberResolver)
        } catch {
            return ([], error.diagnostics)
        }
        return read(document)
    }

    /// Checks every subscriber of a composed file.
    func read(_ document: YAMLDocument) -> ([(Subscriber, Mark?)], [Diagnostic]) {
        let displayPath = document.path
        let nodes: [Node]
        switch document.root {
        case .sequence(let list)?: nodes = Array(list)
        case .mapping?: nodes = document.root.map { [$0] } ?? []
        case nil: return ([], [Diagnostic(path: displayPath, message: "is empty; write at least 'email:'.")])
        default:
            return (
                [],
                [
                    Diagnostic(
                        path: displayPath,
                        line: document.root?.mark?.line,
                        column: document.root?.mark?.column,
                        message: "expected a subscriber (email:, name:, interests: …) or a list of them."
                    )
                ]
            )
        }
        var found: [(Subscriber, Mark?)] = []
        var problems: [Diagnostic] = []
        for node in nodes {
            do {
                let entry = try document.decode(SubscriberEntry.self, from: node, using: decoder)
                let (subscriber, entryProblems) = check(entry, node: node, in: document)
                problems += entryProblems
                found.append((subscriber, node.mark))
            } catch {
                problems += error.diagnostics
            }
        }
        return (found, problems)
    }

    /// The first control character in `text` (C0, DEL, C1, or the line and paragraph separators U+2028/U+2029, which
    /// would break a header, a log line or a template's line), named as `U+000A`, or nil when it has none.
    static func controlCharacter(in text: String) -> String? {
        guard
            let scalar = text.unicodeScalars.first(where: {
                $0.properties.generalCategory == .control || $0.value == 0x2028 || $0.value == 0x2029
            })
        else { return nil }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "a control character (U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ")"
    }

    private func check(_ entry: SubscriberEntry, node: Node, in document: YAMLDocument) -> (Subscriber, [Diagnostic]) {
        var problems: [Diagnostic] = []
        func report(_ path: [String], _ index: Int?, _ message: String) {
            var keys: [any CodingKey] = path.map { AnyCodingKey(stringValue: $0) }
            if let index { keys.append(AnyCodingKey(intValue: index)) }
            problems.append(document.diagnostic(at: keys, in: node, message: message))
        }
        var subscriber = Subscriber(email: entry.email.trimmingCharacters(in: .whitespaces), file: document.path)
        if (try? MailAddress(displayName: nil, address: subscriber.email)) == nil {
            report(["email"], nil, "'\(entry.email)' is not a valid email address.")
        }
        subscriber.name = entry.name
        if let name = entry.name, let found = Self.controlCharacter(in: name) {
            report(["name"], nil, "the name holds \(found); write it on one line, without control characters.")
        }
        func keywords(_ words: [String], _ path: [String]) -> [String] {
            for (index, word) in words.enumerated() {
                if let found = Self.controlCharacter(in: word) {
                    report(path, index, "the keyword holds \(found); write it on one line, without control characters.")
                }
            }
            return words
        }
        subscriber.language = entry.language.flatMap(Language.init)
        subscriber.paused = entry.paused
        subscriber.sendEmpty = entry.sendEmpty
        subscriber.consent = entry.consent?.consent
        if let consent = subscriber.consent {
            for (key, value) in [
                ("source", consent.source), ("textVersion", consent.textVersion), ("client", consent.client),
            ] {
                if let value, let found = Self.controlCharacter(in: value) {
                    report(
                        ["consent", key], nil,
                        "the \(key) holds \(found); write it on one line, without control characters.")
                }
            }
        }
        let organizers = taxonomy.organizers + extraOrganizers
        let topicIDs = taxonomy.topics.map(\.id)

        func topics(_ words: [String], _ path: [String]) -> [String] {
            words.enumerated().compactMap { index, word in
                if taxonomy.topics.isEmpty || !checksNames { return word }
                if let id = taxonomy.topicID(for: word) { return id }
                report(path, index, "unknown topic '\(word)'." + Suggestion.hint(for: word, in: topicIDs))
                return nil
            }
        }
        func organizerNames(_ words: [String], _ path: [String]) -> [String] {
            words.enumerated().compactMap { index, word in
                guard checksNames else { return word }
                let folded = Suggestion.fold(word)
                if let known = organizers.first(where: { Suggestion.fold($0) == folded }) { return known }
                report(path, index, "unknown organizer '\(word)'." + Suggestion.hint(for: word, in: organizers))
                return nil
            }
        }
        if let interests = entry.interests {
            subscriber.interests.topics = topics(interests.topics, ["interests", "topics"])
            subscriber.interests.organizers = organizerNames(interests.organizers, ["interests", "organizers"])
            subscriber.interests.keywords = keywords(interests.keywords, ["interests", "keywords"])
            subscriber.interests.regions = interests.regions.enumerated().compactMap { index, word in
                if let region = Regions.canonical(word) { return region }
                let choices = Regions.municipalities + [Regions.wholeRegion]
                report(
                    ["interests", "regions"], index,
                    "unknown region '\(word)'." + Suggestion.hint(for: word, in: choices))
                return nil
            }
            subscriber.interests.kinds = interests.kinds.enumerated().compactMap { index, word in
                if let kind = ItemKind(rawValue: word.lowercased()) { return kind }
                report(["interests", "kinds"], index, "unknown kind '\(word)' (expected event or funding).")
                return nil
            }
        }
        if let exclude = entry.exclude {
            subscriber.exclude.topics = topics(exclude.topics, ["exclude", "topics"])
            subscriber.exclude.organizers = organizerNames(exclude.organizers, ["exclude", "organizers"])
            subscriber.exclude.keywords = keywords(exclude.keywords, ["exclude", "keywords"])
        }
        return (subscriber, problems)
    }
}
