import DigestSupport
import Foundation
import Yams

/// Adds, changes and removes subscribers in the files under `subscribers/`, keeping what people wrote.
///
/// Subscriber files are written by hand, with comments and in an order that means something to whoever wrote them,
/// so an edit never re-serialises a file. It changes only the lines it must, at the positions Yams' node marks give:
/// a scalar value is replaced in place (the rest of its line, comment included, stays); a missing key is inserted after
/// the mapping's last key with the same indentation; an entry of a list file is cut out with its lines. Every other
/// byte of the file stays as it was.
///
/// Every edit is checked and written safely:
/// - the edited text is read again and checked exactly as `digest check` checks it, and must hold the same subscribers
///   as before with only the intended change; otherwise nothing is written and a `SubscriberEditError` says why;
/// - the new text goes to a temporary file in the same folder, which is flushed to disk, renamed over the old file,
///   and the folder is flushed, so a crash leaves the old or the new file, never a part of one, and readers (a
///   running `digest send`) see one or the other;
/// - editors take an exclusive lock on the folder (`.digest-edit.lock`) while they read and write, so the command line
///   and a web form never overwrite each other's change.
///
/// A file whose subscribers already have mistakes is not edited (fix it first; `digest check` shows where), except
/// that `remove` may delete a file that holds only the subscriber being removed.
public struct SubscriberFileEditor: Sendable {
    /// A value of a subscriber that `set(_:for:)` changes.
    public enum Field: Sendable, Hashable {
        /// `name:`.
        case name(String)
        /// `language:`.
        case language(Language)
        /// `paused:`.
        case paused(Bool)
        /// `sendEmpty:`.
        case sendEmpty(Bool)

        var key: String {
            switch self {
            case .name: "name"
            case .language: "language"
            case .paused: "paused"
            case .sendEmpty: "sendEmpty"
            }
        }

        var yaml: String {
            switch self {
            case .name(let name): SubscriberYAML.scalar(name)
            case .language(let language): language.rawValue
            case .paused(let paused): paused ? "true" : "false"
            case .sendEmpty(let sendEmpty): sendEmpty ? "true" : "false"
            }
        }

        func apply(to subscriber: inout Subscriber) {
            switch self {
            case .name(let name): subscriber.name = name
            case .language(let language): subscriber.language = language
            case .paused(let paused): subscriber.paused = paused
            case .sendEmpty(let sendEmpty): subscriber.sendEmpty = sendEmpty
            }
        }
    }

    /// Where a subscriber is written.
    public struct Location: Sendable, Hashable {
        /// The file.
        public var file: URL
        /// The file as displayed.
        public var path: String
        /// The subscriber's position in a list file, or nil when the file holds one subscriber.
        public var entry: Int?
        /// The line of the subscriber's first key.
        public var line: Int?
    }

    /// What `remove(_:)` did.
    public enum Removal: Sendable, Hashable {
        /// The file held only this subscriber and was deleted.
        case deletedFile(String)
        /// The subscriber's entry was cut out of a list file.
        case removedEntry(String)
    }

    /// The subscribers folder.
    public let folder: URL
    /// The folder paths are displayed relative to (the config's folder).
    public let displayBase: URL
    /// Topics and organisers that edits are checked against.
    public let taxonomy: Taxonomy
    /// Organisers named by sources, also accepted.
    public let extraOrganizers: [String]
    /// The most bytes a subscriber file may have; larger ones are neither read nor edited.
    public let limit: FileSizeLimit

    /// An editor of the files in `folder`, checking against `taxonomy` as `digest check` does.
    public init(
        folder: URL,
        displayBase: URL,
        taxonomy: Taxonomy,
        extraOrganizers: [String] = [],
        limit: FileSizeLimit = .subscriberFiles()
    ) {
        self.folder = folder
        self.displayBase = displayBase
        self.taxonomy = taxonomy
        self.extraOrganizers = extraOrganizers
        self.limit = limit
    }

    private var checker: SubscriberChecker {
        SubscriberChecker(taxonomy: taxonomy, extraOrganizers: extraOrganizers, limit: limit)
    }

    private func display(_ url: URL) -> String {
        SubscriberDirectory.displayPath(url, base: displayBase)
    }

    // MARK: - Finding

    /// Every place the address `email` is written (compared without regard to case), in file order. Files that are
    /// not valid YAML are skipped; files with other mistakes are still searched.
    public func locate(_ email: String) -> [Location] {
        let wanted = email.trimmingCharacters(in: .whitespaces).lowercased()
        let files =
            (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil))?
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent } ?? []
        var found: [Location] = []
        // Only files that mention the address are composed, so finding one subscriber among a hundred thousand
        // files costs reading them, not parsing them.
        // (For an address with non-ASCII letters, whose case the byte test cannot fold, every file is composed.)
        let needle = wanted.utf8.allSatisfy { $0 < 128 } ? Array(wanted.utf8) : []
        for file in files {
            // Pipes, devices, links that lead nowhere, files too large or not UTF-8 hold nobody to edit.
            guard let text = try? TextFile.read(file, maximumBytes: limit.bytes), Self.mentions(Data(text.utf8), needle)
            else { continue }
            let path = display(file)
            guard let document = try? YAMLDocument(text: text, displayPath: path) else { continue }
            for (entry, mapping) in Self.entries(of: document) {
                guard let address = mapping.first(where: { $0.key.string == "email" })?.value.string else { continue }
                if address.trimmingCharacters(in: .whitespaces).lowercased() == wanted {
                    found.append(Location(file: file, path: path, entry: entry, line: mapping.mark?.line))
                }
            }
        }
        return found
    }

    /// Whether `data` contains `needle` (lower-case ASCII letters match either case); an address written with YAML
    /// escapes is not found, which no one does.
    private static func mentions(_ data: Data, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            guard bytes.count >= needle.count else { return false }
            func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
            for start in 0...(bytes.count - needle.count) where lower(bytes[start]) == first {
                var index = 1
                while index < needle.count && lower(bytes[start + index]) == needle[index] { index += 1 }
                if index == needle.count { return true }
            }
            return false
        }
    }

    /// The subscriber mappings of a document, with their list positions (nil for a one-subscriber file).
    private static func entries(of document: YAMLDocument) -> [(Int?, Node.Mapping)] {
        switch document.root {
        case .mapping(let mapping)?:
            return [(nil, mapping)]
        case .sequence(let sequence)?:
            return sequence.enumerated().compactMap { index, node in
                if case .mapping(let mapping) = node { return (index, mapping) }
                return nil
            }
        default:
            return []
        }
    }

    private func only(_ email: String) throws(SubscriberEditError) -> Location {
        let places = locate(email)
        guard let first = places.first else {
            throw SubscriberEditError(
                path: display(folder), message: "no subscriber has the address \(email).")
        }
        guard places.count == 1 else {
            let list = places.map { $0.path + ($0.line.map { ":\($0)" } ?? "") }.joined(separator: ", ")
            throw SubscriberEditError(
                path: first.path, message: "\(email) is written in several places (\(list)); keep one of them first.")
        }
        return first
    }

    // MARK: - Adding

    /// Writes a new file `<slug>.yaml` (or `<slug>-2.yaml`, … when that name is taken) for `subscriber`, after
    /// checking it exactly as `digest check` would; topics, regions and organisers are written as the taxonomy
    /// spells them. Refuses an address that is already subscribed anywhere in the folder. Creates the folder if
    /// there is none yet.
    ///
    /// - Returns: where it was written.
    @discardableResult
    public func add(_ subscriber: Subscriber) throws(SubscriberEditError) -> Location {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SafeFile.withLock(on: folder) { () throws(SubscriberEditError) -> Location in
            if let existing = locate(subscriber.email).first {
                throw SubscriberEditError(
                    path: existing.path,
                    message: "\(subscriber.email) is already subscribed here; nothing was written."
                )
            }
            return try writeNew(subscriber)
        }
    }

    /// Checks whether `subscriber` could be added as it is (as ``add(_:)`` checks it, without looking for the
    /// address in the folder or writing anything); the subscriber as a new file would hold them.
    public func validate(_ subscriber: Subscriber) throws(SubscriberEditError) -> Subscriber {
        let path = display(folder.appendingPathComponent(subscriber.slug + ".yaml"))
        let given = try check(SubscriberYAML.file(for: subscriber), path: path, forNewFile: true)
        guard given.count == 1, let canonical = given.first else {
            throw SubscriberEditError(path: path, message: "could not write the subscriber; nothing was written.")
        }
        return canonical
    }

    /// Adds each of `subscribers` as ``add(_:)`` does, under one lock of the folder and one search of it; an
    /// address already in the folder (or earlier in the list) fails that subscriber only.
    public func add(contentsOf subscribers: [Subscriber]) -> [Result<Location, SubscriberEditError>] {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            return try SafeFile.withLock(on: folder) {
                () throws(SubscriberEditError) -> [Result<Location, SubscriberEditError>] in
                var present = Set(allAddresses())
                return subscribers.map { subscriber in
                    guard present.insert(subscriber.email.trimmingCharacters(in: .whitespaces).lowercased()).inserted
                    else {
                        return .failure(
                            SubscriberEditError(
                                path: display(folder),
                                message: "\(subscriber.email) is already subscribed; nothing was written."))
                    }
                    do throws(SubscriberEditError) {
                        return .success(try writeNew(subscriber))
                    } catch {
                        return .failure(error)
                    }
                }
            }
        } catch {
            return subscribers.map { _ in .failure(error) }
        }
    }

    /// Writes `subscriber` as a new file, the folder locked and the address known to be absent.
    private func writeNew(_ subscriber: Subscriber) throws(SubscriberEditError) -> Location {
        var file = folder.appendingPathComponent(subscriber.slug + ".yaml")
        var number = 2
        while FileManager.default.fileExists(atPath: file.path) {
            file = folder.appendingPathComponent("\(subscriber.slug)-\(number).yaml")
            number += 1
        }
        let path = display(file)
        // First as given, to report mistakes; then as the checker spells every name.
        let given = try check(SubscriberYAML.file(for: subscriber), path: path, forNewFile: true)
        guard given.count == 1, var canonical = given.first else {
            throw SubscriberEditError(path: path, message: "could not write the subscriber; nothing was written.")
        }
        canonical.file = path
        let text = SubscriberYAML.file(for: canonical)
        guard try check(text, path: path, forNewFile: true) == [canonical] else {
            throw SubscriberEditError(path: path, message: "could not write the subscriber; nothing was written.")
        }
        do {
            try SafeFile.write(Data(text.utf8), to: file, mustBeNew: true)
        } catch {
            throw SubscriberEditError(path: path, message: "\(error)")
        }
        return Location(file: file, path: path, entry: nil, line: 1)
    }

    /// Checks `text` as the file `path`; the subscribers it holds, or an error with every problem.
    private func check(_ text: String, path: String, forNewFile: Bool = false) throws(SubscriberEditError)
        -> [Subscriber]
    {
        let verb = forNewFile ? "nothing was written" : "the file was left as it was"
        let document: YAMLDocument
        do {
            document = try YAMLDocument(text: text, displayPath: path)
        } catch {
            throw SubscriberEditError(path: path, message: "the result would not be valid YAML; \(verb).")
        }
        let (found, problems) = checker.read(document)
        guard problems.isEmpty else {
            // A file that does not exist yet has no lines to point at.
            let shown = forNewFile ? problems.map { Diagnostic(path: $0.path, message: $0.message) } : problems
            throw SubscriberEditError(
                path: path, message: "the subscriber would not be valid; \(verb).", diagnostics: shown)
        }
        return found.map(\.0)
    }

    // MARK: - Changing

    /// Sets one value (`name`, `language`, `paused` or `sendEmpty`) of the subscriber with address `email`:
    /// replaced in place when written, else inserted after the subscriber's last key.
    ///
    /// - Returns: the subscriber as the file now says.
    @discardableResult
    public func set(_ field: Field, for email: String) throws(SubscriberEditError) -> Subscriber {
        try edit(email) { (lines, target) throws(SubscriberEditError) in
            if let pair = Self.pair(field.key, in: target.mapping) {
                guard case .scalar(let scalar) = pair.value, case .scalar(let key) = pair.key else {
                    throw SubscriberEditError(path: target.path, message: "'\(field.key)' is not a single value.")
                }
                let done =
                    scalar.string.isEmpty && scalar.style == .plain
                    ? lines.fillEmptyValue(ofKey: key, with: field.yaml) : lines.replace(scalar, with: field.yaml)
                guard done else {
                    throw SubscriberEditError(
                        path: target.path,
                        message: "cannot change '\(field.key)' in place (its value spans lines); edit it by hand."
                    )
                }
            } else {
                try insert([field.key + ": " + field.yaml], into: target, lines: &lines)
            }
        } expect: { subscriber in
            field.apply(to: &subscriber)
        }
    }

    /// Removes the `name:` key of the subscriber with address `email`, its value's lines and a comment on them with it;
    /// every other line stays. Nothing changes when the subscriber has no name. A name on the line of a list entry's
    /// `-` cannot be taken out alone: that is an error asking for an edit by hand.
    ///
    /// - Returns: the subscriber as the file now says.
    @discardableResult
    public func removeName(for email: String) throws(SubscriberEditError) -> Subscriber {
        try edit(email) { (lines, target) throws(SubscriberEditError) in
            guard let pair = Self.pair("name", in: target.mapping), let keyMark = pair.key.mark else { return }
            let keyLine = keyMark.line - 1
            guard lines.text(ofLine: keyLine, upTo: keyMark.column - 1).allSatisfy({ $0 == " " }) else {
                throw SubscriberEditError(
                    path: target.path,
                    message: "cannot remove 'name' in place (it is on the line of the entry's '-'); edit it by hand.")
            }
            lines.removeLines(
                keyLine...lines.lastLine(ofKeyAtLine: keyMark.line, column: keyMark.column, value: pair.value))
        } expect: { subscriber in
            subscriber.name = nil
        }
    }

    /// Replaces the `interests` mapping (topics, regions, organizers, kinds, keywords) of the subscriber with address
    /// `email` by `interests`: what the preferences form calls.
    ///
    /// Only the `interests` mapping's own lines are rewritten, as one short list per interest that is set (in the
    /// order topics, regions, organizers, kinds, keywords); every line outside it — comments above and below, the
    /// comment on the `interests:` line itself, the other keys and other subscribers of a list file — stays as it
    /// was. Comments inside the old mapping go with it. With nothing set, the `interests` key is removed (or written
    /// `interests: {}` when it shares a line with the list's `-`). Names are checked against the taxonomy like
    /// `digest check` does and written as it spells them (topic ids for synonyms); an unknown topic, region,
    /// organiser or kind leaves the file unchanged and the error lists the problems, located, with suggestions.
    ///
    /// - Returns: the subscriber as the file now says (topics as ids, names as the taxonomy spells them).
    @discardableResult
    public func replaceInterests(_ interests: Subscriber.Interests, for email: String) throws(SubscriberEditError)
        -> Subscriber
    {
        // Written as the taxonomy spells every name when they are all known; otherwise as given, so that the check
        // of the edited file reports each unknown name at its line, with a suggestion.
        let interests = canonical(interests) ?? interests
        let body = SubscriberYAML.interestLines(interests)
        // The checker canonicalises names, so the interests read back are compared by count (and kinds and keywords,
        // which it keeps as written); everything else must come back exactly.
        let sameInterests = { (expected: Subscriber.Interests, actual: Subscriber.Interests) -> Bool in
            expected.topics.count == actual.topics.count && expected.regions.count == actual.regions.count
                && expected.organizers.count == actual.organizers.count && expected.kinds == actual.kinds
                && expected.keywords == actual.keywords
        }
        return try edit(email, sameInterests: sameInterests) { (lines, target) throws(SubscriberEditError) in
            try rewriteMapping("interests", body: body, target: target, lines: &lines)
        } expect: { subscriber in
            subscriber.interests = interests
        }
    }

    /// Replaces the exclusions (`exclude:` topics, organizers, keywords) of the subscriber with address `email` by
    /// `exclusions`, as ``replaceInterests(_:for:)`` replaces the interests: only the mapping's own lines change, and
    /// with nothing excluded the key goes.
    ///
    /// - Returns: the subscriber as the file now says.
    @discardableResult
    public func replaceExclusions(_ exclusions: Subscriber.Exclusions, for email: String) throws(SubscriberEditError)
        -> Subscriber
    {
        let body = SubscriberYAML.exclusionLines(exclusions)
        return try edit(email) { (lines, target) throws(SubscriberEditError) in
            try rewriteMapping("exclude", body: body, target: target, lines: &lines)
        } expect: { subscriber in
            subscriber.exclude = exclusions
        }
    }

    /// Rewrites the mapping under `key` of the target as `body` (its lines without indentation), or inserts it after
    /// the last key when there is none; an empty body removes the key.
    private func rewriteMapping(
        _ key: String, body: [String], target: Target, lines: inout YAMLLines
    ) throws(SubscriberEditError) {
        guard let pair = Self.pair(key, in: target.mapping), let keyMark = pair.key.mark else {
            if !body.isEmpty { try insert([key + ":"] + body.map { "  " + $0 }, into: target, lines: &lines) }
            return
        }
        let keyLine = keyMark.line - 1
        let keyIndent = keyMark.column - 1
        let last = lines.lastLine(ofKeyAtLine: keyMark.line, column: keyMark.column, value: pair.value)
        let keyStartsLine = lines.text(ofLine: keyLine, upTo: keyIndent).allSatisfy { $0 == " " }
        if case .mapping(let old) = pair.value, old.style != .flow, let valueMark = old.mark,
            valueMark.line > keyMark.line
        {
            let valueLine = valueMark.line - 1
            if body.isEmpty && keyStartsLine {
                lines.removeLines(keyLine...last)
            } else if !body.isEmpty {
                let indent = String(repeating: " ", count: valueMark.column - 1)
                lines.replaceLines(valueLine...last, with: body.map { indent + $0 })
            } else {
                lines.replaceLines(
                    keyLine...last, with: [lines.text(ofLine: keyLine, upTo: keyIndent) + key + ": {}"])
            }
            return
        }
        // A flow mapping, an empty value or anything else on the key's line: rewrite the key's lines, keeping a
        // comment at the end of them.
        if body.isEmpty && keyStartsLine {
            lines.removeLines(keyLine...last)
            return
        }
        let comment = lines.commentStart(onLine: last, from: last == keyLine ? keyIndent : 0)
            .map { "  " + lines.text(ofLine: last, from: $0) }
        let head = lines.text(ofLine: keyLine, upTo: keyIndent) + key + ":" + (body.isEmpty ? " {}" : "")
        let indent = String(repeating: " ", count: keyIndent + 2)
        lines.replaceLines(keyLine...last, with: [head + (comment ?? "")] + body.map { indent + $0 })
    }

    /// `interests` with topic ids and names as the taxonomy spells them, or nil when any is unknown.
    private func canonical(_ interests: Subscriber.Interests) -> Subscriber.Interests? {
        var probe = Subscriber(email: "probe@example.com")
        probe.interests = interests
        guard let document = try? YAMLDocument(text: SubscriberYAML.file(for: probe), displayPath: "probe") else {
            return nil
        }
        let (found, problems) = checker.read(document)
        guard problems.isEmpty, found.count == 1 else { return nil }
        return found[0].0.interests
    }

    // MARK: - Removing

    /// Removes the subscriber with address `email`: deletes its file when it holds only them, or cuts their entry
    /// Throws for a subscriber file that is a symbolic link: replacing it would turn the link into a copy, and
    /// removing it would leave the file it points to.
    static func refuseLink(_ file: URL, path: String) throws(SubscriberEditError) {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: file.path) else { return }
        throw SubscriberEditError(
            path: path, message: "is a symbolic link to \(target); edit that file by hand, so that the link stays.")
    }

    /// (with the comment lines directly above it, unless it is the first entry) out of a list file.
    @discardableResult
    public func remove(_ email: String) throws(SubscriberEditError) -> Removal {
        let location = try SafeFile.withLock(on: folder) { () throws(SubscriberEditError) -> Location in
            try only(email)
        }
        let document: YAMLDocument
        do {
            document = try YAMLDocument(contentsOf: location.file, displayPath: location.path, limit: limit)
        } catch {
            throw SubscriberEditError(path: location.path, message: "cannot be read.", diagnostics: error.diagnostics)
        }
        if location.entry == nil || Self.entries(of: document).count == 1 {
            return try SafeFile.withLock(on: folder) { () throws(SubscriberEditError) -> Removal in
                // Still the same file and subscriber? (Another editor may have been faster.)
                guard try only(email).file == location.file else {
                    throw SubscriberEditError(path: location.path, message: "changed while removing; try again.")
                }
                try Self.refuseLink(location.file, path: location.path)
                do {
                    try SafeFile.remove(location.file)
                } catch {
                    throw SubscriberEditError(path: location.path, message: "\(error)")
                }
                return .deletedFile(location.path)
            }
        }
        try edit(email, removes: true) { (lines, target) throws(SubscriberEditError) in
            guard let entry = target.entry, let mark = target.mapping.mark else {
                throw SubscriberEditError(path: target.path, message: "cannot find the entry to remove.")
            }
            var dash = mark.line - 1
            while dash > 0 && !lines.text(ofLine: dash).trimmingCharacters(in: .whitespaces).hasPrefix("-") {
                dash -= 1
            }
            let dashIndent = lines.text(ofLine: dash).prefix { $0 == " " }.count
            let last = lines.lastLine(ofKeyAtLine: dash + 1, column: dashIndent + 1, value: target.node)
            var first = dash
            if entry > 0 {
                while first > 0, lines.isComment(first - 1),
                    !lines.text(ofLine: first - 1).trimmingCharacters(in: .whitespaces).isEmpty,
                    lines.text(ofLine: first - 1).prefix(while: { $0 == " " }).count == dashIndent
                {
                    first -= 1
                }
            }
            let blankBefore = first > 0 && lines.text(ofLine: first - 1).trimmingCharacters(in: .whitespaces).isEmpty
            let blankAfter =
                last + 1 < lines.count && lines.text(ofLine: last + 1).trimmingCharacters(in: .whitespaces).isEmpty
            lines.removeLines(first...(blankBefore && blankAfter ? last + 1 : last))
        } expect: { _ in
        }
        return .removedEntry(location.path)
    }

    // MARK: - The edit cycle

    /// The subscriber being edited: its mapping node and where it stands.
    private struct Target {
        var path: String
        var node: Node
        var mapping: Node.Mapping
        var entry: Int?
    }

    private static func pair(_ key: String, in mapping: Node.Mapping) -> (key: Node, value: Node)? {
        mapping.first { $0.key.string == key }
    }

    /// Inserts `newLines` after the last key of the target mapping, at that key's indentation.
    private func insert(_ newLines: [String], into target: Target, lines: inout YAMLLines) throws(SubscriberEditError) {
        guard target.mapping.style != .flow, let last = target.mapping.reversed().first, let mark = last.key.mark
        else {
            throw SubscriberEditError(
                path: target.path,
                message: "the subscriber is written in flow style ({…}); add '\(newLines[0])' by hand."
            )
        }
        lines.insert(
            newLines, after: lines.lastLine(ofKeyAtLine: mark.line, column: mark.column, value: last.value),
            indent: mark.column - 1)
    }

    /// Reads the file holding `email` under the folder lock, applies `change` to its lines, checks that the result
    /// holds the same subscribers as before with `expect` applied to the edited one (or without it, for `removes`),
    /// and writes it safely.
    @discardableResult
    private func edit(
        _ email: String,
        removes: Bool = false,
        sameInterests: ((Subscriber.Interests, Subscriber.Interests) -> Bool)? = nil,
        change: (inout YAMLLines, Target) throws(SubscriberEditError) -> Void,
        expect: (inout Subscriber) -> Void
    ) throws(SubscriberEditError) -> Subscriber {
        try SafeFile.withLock(on: folder) { () throws(SubscriberEditError) -> Subscriber in
            let location = try only(email)
            let path = location.path
            let text: String
            do throws(TextFileError) {
                text = try TextFile.read(location.file, maximumBytes: limit.bytes)
            } catch {
                let diagnostic = YAMLDocument.diagnostic(for: error, path: path, limit: limit)
                throw SubscriberEditError(path: path, message: "cannot be read.", diagnostics: [diagnostic])
            }
            let document: YAMLDocument
            do {
                document = try YAMLDocument(text: text, displayPath: path)
            } catch {
                throw SubscriberEditError(
                    path: path, message: "cannot be read.", diagnostics: (error as? DiagnosticList)?.diagnostics ?? [])
            }
            let (found, problems) = checker.read(document)
            guard problems.isEmpty else {
                throw SubscriberEditError(
                    path: path, message: "has mistakes; fix them first (digest check shows them).",
                    diagnostics: problems)
            }
            guard let (entry, mapping) = Self.entries(of: document).first(where: { $0.0 == location.entry }),
                let position = found.firstIndex(where: { $0.0.email.lowercased() == email.lowercased() })
            else {
                throw SubscriberEditError(path: path, message: "no subscriber has the address \(email).")
            }
            let node: Node =
                entry.flatMap { index in
                    if case .sequence(let sequence)? = document.root { return sequence[index] }
                    return nil
                } ?? .mapping(mapping)
            var lines = YAMLLines(text)
            try change(&lines, Target(path: path, node: node, mapping: mapping, entry: entry))
            var expected = found.map(\.0)
            if removes {
                expected.remove(at: position)
            } else {
                expect(&expected[position])
            }
            let newText = lines.text
            if newText == text { return found[position].0 }
            let after = try check(newText, path: path)
            let matches: Bool
            if let sameInterests, after.count == expected.count {
                var withoutInterests = after
                withoutInterests[position].interests = expected[position].interests
                matches =
                    withoutInterests == expected
                    && sameInterests(expected[position].interests, after[position].interests)
            } else {
                matches = after == expected
            }
            guard matches else {
                throw SubscriberEditError(
                    path: path,
                    message: "the edit did not come out as intended, so the file was left as it was; edit it by hand."
                )
            }
            try Self.refuseLink(location.file, path: path)
            do {
                try SafeFile.write(Data(newText.utf8), to: location.file)
            } catch {
                throw SubscriberEditError(path: path, message: "\(error)")
            }
            return removes ? found[position].0 : after[position]
        }
    }
}
