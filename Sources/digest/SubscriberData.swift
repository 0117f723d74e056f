import ArgumentParser
import DigestKit
import DigestSupport
import Foundation

extension Subscribers {
    /// `digest subscribers export EMAIL [--json]`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract:
                "Print everything kept about an address: file, consent, ledger, sent items, feedback, suppression.",
            discussion: "The person's right of access (GDPR Art. 15); with --json one JSON document."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The address.")
        var email: String

        @Flag(name: .long, help: "Print one JSON document (keys sorted) instead of text.")
        var json = false

        func run() async throws {
            let context = try Context(global)
            let stateFile = context.config.stateFile
            let data: PersonalData
            do {
                let state =
                    FileManager.default.fileExists(atPath: stateFile.path) ? try StateStore.open(at: stateFile) : nil
                data = try PersonalData.gather(
                    email, editor: context.editor, directory: context.directory(), state: state)
            } catch {
                printError("\(error)")
                throw ExitCode(2)
            }
            print(json ? data.json : data.text)
        }
    }

    /// `digest subscribers forget EMAIL [--keep-suppression=false]`.
    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget",
            abstract: "Erase an address: its file (or list entry) and every state row that names it.",
            discussion: """
                The right to erasure (GDPR Art. 17). A salted hash of the address stays in the suppression table, so \
                that a later import or file does not mail it again; --keep-suppression=false removes even that.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The address.")
        var email: String

        @Option(name: .long, help: "Keep a salted hash of the address so it is never mailed again (true or false).")
        var keepSuppression = true

        func run() async throws {
            let context = try Context(global)
            let report: SubscriberEraser.Report
            do {
                let state = try StateStore.open(at: context.config.stateFile)
                report = try SubscriberEraser(editor: context.editor, state: state)
                    .forget(email, keepingSuppression: keepSuppression, at: Date())
            } catch {
                printError("\(error)")
                throw ExitCode(2)
            }
            switch report.file {
            case .deletedFile(let path)?: print("Forgot \(email): deleted \(path).")
            case .removedEntry(let path)?: print("Forgot \(email): removed the entry from \(path).")
            case nil: print("Forgot \(email): no subscriber file named it.")
            }
            let rows = report.rows?.removed.values.reduce(0, +) ?? 0
            print(
                "State: \(rows) row\(rows == 1 ? "" : "s") removed"
                    + (report.rows?.keptHash == true ? "; a salted hash is kept so it is not mailed again." : "."))
        }
    }

    /// `digest subscribers import FILE.csv [--consent-source S] [--dry-run]`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add subscribers from a CSV file with a header row (email, name, language, topics, …).",
            discussion: """
                Columns: email (required), name, language, topics, regions, organizers, kinds; several values in one \
                cell separated by ';'. Every row is checked like 'digest check'; suppressed and existing addresses \
                are skipped. Each new file gets a consent: block naming --consent-source and the time. Exit code 2 \
                when a row was rejected.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The CSV file.")
        var file: String

        @Option(name: .long, help: "Where the addresses came from, written in each file's consent block.")
        var consentSource: String?

        @Flag(name: .long, help: "Check and count every row; write nothing.")
        var dryRun = false

        @Option(name: .long, help: "The time of the consent record (default: now).")
        var now: String?

        func run() async throws {
            let context = try Context(global)
            let moment =
                try GlobalOptions.time(now, option: "--now", timeZone: context.config.newsletter.timeZone) ?? Date()
            let report: SubscriberImport.Report
            do {
                let text: String
                do {
                    text = try TextFile.read(URL(fileURLWithPath: file), maximumBytes: 64 << 20)
                } catch {
                    throw ImportError(path: file, message: "cannot be read: \(error).")
                }
                let stateFile = context.config.stateFile
                let suppressions =
                    FileManager.default.fileExists(atPath: stateFile.path)
                    ? try StateStore.open(at: stateFile).suppressionList() : nil
                report = try SubscriberImport(editor: context.editor, suppressions: suppressions).run(
                    csv: text, path: file,
                    consent: Consent(at: moment, how: .import, source: consentSource), dryRun: dryRun)
            } catch {
                printError("\(error)")
                throw ExitCode(2)
            }
            print(report.summary)
            if dryRun { print("dry run: nothing was written.") }
            if !report.rejected.isEmpty { throw ExitCode(2) }
        }
    }
}
