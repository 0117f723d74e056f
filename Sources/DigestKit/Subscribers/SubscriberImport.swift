import DigestSupport
import Foundation
import MailMessage
import SwiftCSV

/// Imports subscribers from a CSV file (`digest subscribers import`): a header row naming the columns `email, name,
/// language, topics, regions, organizers, kinds` (only `email` required; several values in one cell separated by
/// `;`), then one subscriber a row. Every row is checked like `digest check`; addresses that are suppressed (an
/// unsubscribe, bounces or an erasure's hash) or already subscribed are skipped and counted; each new file gets a
/// `consent:` block saying where the list came from and when.
///
/// Rows are numbered as a spreadsheet shows them: the header is row 1, the first subscriber row 2.
public struct SubscriberImport: Sendable {
    /// The columns a header may name.
    public static let columns = ["email", "name", "language", "topics", "regions", "organizers", "kinds"]

    /// One row that was not imported because it has a mistake.
    public struct Rejection: Sendable, Hashable {
        /// The row (the header is row 1).
        public var row: Int
        /// What is wrong, such as `'anna@': not an email address`.
        public var message: String
    }

    /// What an import did (or, dry, would do).
    public struct Report: Sendable, Hashable {
        /// The files written (or that would be), as displayed.
        public var imported: [String] = []
        /// Rows skipped because the address is suppressed.
        public var suppressed = 0
        /// Rows skipped because the address is already subscribed (or came earlier in the file).
        public var exists = 0
        /// Rows with mistakes.
        public var rejected: [Rejection] = []

        /// `imported 120, skipped 3 (suppressed 1, exists 2), rejected 1: row 17: 'anna@': not an email address`.
        public var summary: String {
            var text =
                "imported \(imported.count), skipped \(suppressed + exists) (suppressed \(suppressed), exists \(exists)), "
                + "rejected \(rejected.count)"
            if !rejected.isEmpty {
                text += ": " + rejected.map { "row \($0.row): \($0.message)" }.joined(separator: "; ")
            }
            return text
        }
    }

    /// The editor new files are written with (and rows checked by).
    public let editor: SubscriberFileEditor
    /// The state's suppressions; nil when there is no state file.
    public let suppressions: SuppressionList?

    /// An import into `editor`'s folder that skips `suppressions`.
    public init(editor: SubscriberFileEditor, suppressions: SuppressionList?) {
        self.editor = editor
        self.suppressions = suppressions
    }

    /// Imports the CSV `text` of the file `path` with `consent`; with `dryRun` checks every row and counts, and
    /// writes nothing. Throws for a file that cannot be read as CSV or whose header is wrong, before any row.
    public func run(csv text: String, path: String, consent: Consent, dryRun: Bool) throws(ImportError) -> Report {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: body, delimiter: .comma, loadColumns: false)
        } catch {
            throw ImportError(path: path, message: "is not valid CSV (\(Self.describe(error))); nothing was imported.")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (index, name) in header.enumerated() {
            guard Self.columns.contains(name) else {
                throw ImportError(
                    path: path,
                    message: "column \(index + 1) of the header row, '\(csv.header[index])', is not one of "
                        + Self.columns.joined(separator: ", ") + "." + Suggestion.hint(for: name, in: Self.columns)
                        + " Nothing was imported.")
            }
            if header[..<index].contains(name) {
                throw ImportError(
                    path: path, message: "the header row names '\(name)' twice; nothing was imported.")
            }
        }
        guard let emailColumn = header.firstIndex(of: "email") else {
            throw ImportError(
                path: path,
                message: "the header row names no 'email' column (the first row must name the columns, such as "
                    + "email,name,topics); nothing was imported.")
        }
        var report = Report()
        var seen: Set<String> = []
        var accepted: [(row: Int, subscriber: Subscriber)] = []
        let present = Set(editor.allAddresses())
        for (index, fields) in csv.rows.enumerated() {
            let row = index + 2
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func cell(_ name: String) -> String {
                guard let column = header.firstIndex(of: name), column < fields.count else { return "" }
                return fields[column].trimmingCharacters(in: .whitespaces)
            }
            func list(_ name: String) -> [String] {
                cell(name).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let email = emailColumn < fields.count ? fields[emailColumn].trimmingCharacters(in: .whitespaces) : ""
            guard !email.isEmpty else {
                report.rejected.append(Rejection(row: row, message: "no email address"))
                continue
            }
            guard (try? MailAddress(displayName: nil, address: email)) != nil,
                SubscriberChecker.controlCharacter(in: email) == nil
            else {
                report.rejected.append(
                    Rejection(row: row, message: "'\(Self.shown(email))': not an email address"))
                continue
            }
            var subscriber = Subscriber(email: email)
            let name = cell("name")
            subscriber.name = name.isEmpty ? nil : name
            let language = cell("language").lowercased()
            if !language.isEmpty {
                guard let known = Language(rawValue: language) else {
                    report.rejected.append(
                        Rejection(row: row, message: "'\(Self.shown(cell("language")))': not a language (sv or en)"))
                    continue
                }
                subscriber.language = known
            }
            subscriber.interests.topics = list("topics")
            subscriber.interests.regions = list("regions")
            subscriber.interests.organizers = list("organizers")
            var kindProblem: String?
            subscriber.interests.kinds = list("kinds").compactMap { word in
                if let kind = ItemKind(rawValue: word.lowercased()) { return kind }
                kindProblem = kindProblem ?? "'\(Self.shown(word))': not a kind (event or funding)"
                return nil
            }
            if let kindProblem {
                report.rejected.append(Rejection(row: row, message: kindProblem))
                continue
            }
            subscriber.consent = consent
            do {
                subscriber = try editor.validate(subscriber)
            } catch {
                let problems = error.diagnostics.isEmpty ? [error.message] : error.diagnostics.map(\.message)
                report.rejected.append(Rejection(row: row, message: problems.joined(separator: " ")))
                continue
            }
            let key = email.lowercased()
            if suppressions?.reason(of: key) != nil {
                report.suppressed += 1
            } else if present.contains(key) || !seen.insert(key).inserted {
                report.exists += 1
            } else {
                accepted.append((row, subscriber))
            }
        }
        if dryRun {
            report.imported = accepted.map { editor.displayPath(of: $0.subscriber) }
            return report
        }
        for (entry, result) in zip(accepted, editor.add(contentsOf: accepted.map(\.subscriber))) {
            switch result {
            case .success(let location): report.imported.append(location.path)
            case .failure(let error):
                if error.message.contains("already subscribed") {
                    report.exists += 1
                } else {
                    report.rejected.append(Rejection(row: entry.row, message: error.description))
                }
            }
        }
        report.rejected.sort { $0.row < $1.row }
        return report
    }

    /// A cell as shown in a message: control characters as `?`, at most 80 characters.
    private static func shown(_ text: String) -> String {
        let clean = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
        return clean.count > 80 ? String(clean.prefix(79)) + "…" : clean
    }

    private static func describe(_ error: any Error) -> String {
        if let parse = error as? CSVParseError {
            switch parse {
            case .generic(let message), .quotation(let message): return message
            }
        }
        return "\(error)"
    }
}

/// Why a CSV file could not be imported at all; nothing was written.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    /// The file.
    public var path: String
    /// What is wrong and what to do.
    public var message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
