import ArgumentParser
import DigestKit
import Foundation

/// `digest subscribers …`: lists, shows, adds, removes, pauses and resumes subscribers, editing their files in place.
struct Subscribers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribers",
        abstract: "List, show, add, remove, pause and resume subscribers; export, forget and import them.",
        discussion: """
            Edits keep the files' comments and key order and change only the lines they must; every edit is checked \
            like 'digest check' and written safely, or not at all.
            """,
        subcommands: [
            List.self, Show.self, Add.self, Remove.self, Pause.self, Resume.self, Export.self, Forget.self, Import.self,
        ]
    )

    /// The config and taxonomy every subcommand needs, without templates or DKIM keys.
    struct Context {
        let config: DigestConfig
        let taxonomy: Taxonomy

        init(_ global: GlobalOptions) throws {
            _ = global.makeLogger()
            do {
                config = try DigestConfig.load(from: global.configURL)
                if let file = config.topicsFile {
                    taxonomy = try Taxonomy.load(from: file, displayPath: Self.display(file, config))
                } else {
                    taxonomy = .empty
                }
            } catch {
                GlobalOptions.report(error)
                throw ExitCode(2)
            }
        }

        static func display(_ url: URL, _ config: DigestConfig) -> String {
            let full = url.standardizedFileURL.path
            let prefix = config.baseFolder.standardizedFileURL.path + "/"
            return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
        }

        var editor: SubscriberFileEditor {
            SubscriberFileEditor(
                folder: config.subscribersFolder,
                displayBase: config.baseFolder,
                taxonomy: taxonomy,
                extraOrganizers: config.sources.compactMap(\.organizer),
                limit: config.subscriberFileLimit
            )
        }

        /// The checked subscribers; problems go to standard error.
        func directory() -> SubscriberDirectory {
            let directory = SubscriberDirectory.load(config: config, taxonomy: taxonomy, state: nil)
            for diagnostic in directory.diagnostics { printError(diagnostic.description) }
            return directory
        }

        /// Runs an edit, reporting a refusal and exiting with code 2.
        func run<T>(_ edit: (SubscriberFileEditor) throws(SubscriberEditError) -> T) throws -> T {
            do {
                return try edit(editor)
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        }
    }
}

extension Subscribers {
    /// `digest subscribers list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List every subscriber: email, name, language, paused, topics.",
            discussion: "Files with mistakes are reported on standard error and left out; the exit code is then 2."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Print one JSON array (keys in a fixed order) instead of a table.")
        var json = false

        func run() async throws {
            let context = try Context(global)
            let directory = context.directory()
            if json {
                print(SubscriberListing.json(directory.subscribers))
            } else {
                print(SubscriberListing.table(directory.subscribers))
            }
            if !directory.diagnostics.isEmpty { throw ExitCode(2) }
        }
    }

    /// `digest subscribers show EMAIL`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a subscriber's file and interests.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The subscriber's address.")
        var email: String

        func run() async throws {
            let context = try Context(global)
            let directory = context.directory()
            let wanted = email.lowercased()
            guard let subscriber = directory.subscribers.first(where: { $0.email.lowercased() == wanted }) else {
                let places = context.editor.locate(email)
                if places.isEmpty {
                    printError("no subscriber has the address \(email).")
                } else {
                    printError("\(email) is in \(places.map(\.path).joined(separator: ", ")), which has mistakes.")
                }
                throw ExitCode(2)
            }
            print(SubscriberListing.details(subscriber))
        }
    }

    /// `digest subscribers add EMAIL …`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a subscriber as subscribers/<slug>.yaml.",
            discussion: "Topics, regions and organisers are checked like 'digest check', with suggestions."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The subscriber's address.")
        var email: String

        @Option(name: .long, help: "The subscriber's name.")
        var name: String?

        @Option(name: .long, help: "sv or en (default: the newsletter's language).")
        var language: String?

        @Option(name: .long, help: "A topic to follow (id or synonym from topics.yaml); repeat for more.")
        var topic: [String] = []

        @Option(name: .long, help: "A municipality to follow, or Dalarna; repeat for more.")
        var region: [String] = []

        @Option(name: .long, help: "An organiser or funder to follow; repeat for more.")
        var organizer: [String] = []

        @Option(name: .long, help: "A word to look for in titles and texts; repeat for more.")
        var keyword: [String] = []

        func validate() throws {
            if let language, Language(rawValue: language) == nil {
                throw ValidationError("--language must be sv or en, not '\(language)'.")
            }
        }

        func run() async throws {
            let context = try Context(global)
            var subscriber = Subscriber(email: email)
            subscriber.name = name
            subscriber.language = language.flatMap(Language.init(rawValue:))
            subscriber.interests.topics = topic
            subscriber.interests.regions = region
            subscriber.interests.organizers = organizer
            subscriber.interests.keywords = keyword
            let location = try context.run { editor throws(SubscriberEditError) in try editor.add(subscriber) }
            print("Added \(email) in \(location.path).")
        }
    }

    /// `digest subscribers remove EMAIL`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a subscriber: delete their file, or their entry from a list file."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The subscriber's address.")
        var email: String

        func run() async throws {
            let context = try Context(global)
            let removal = try context.run { editor throws(SubscriberEditError) in try editor.remove(email) }
            switch removal {
            case .deletedFile(let path): print("Removed \(email): deleted \(path).")
            case .removedEntry(let path): print("Removed \(email) from \(path).")
            }
        }
    }

    /// `digest subscribers pause EMAIL`.
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause", abstract: "Pause a subscriber (paused: true).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The subscriber's address.")
        var email: String

        func run() async throws {
            let context = try Context(global)
            let subscriber = try context.run { editor throws(SubscriberEditError) in
                try editor.set(.paused(true), for: email)
            }
            print("Paused \(email) in \(subscriber.file).")
        }
    }

    /// `digest subscribers resume EMAIL`.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Resume a paused subscriber (paused: false); lifts an unsubscribe or bounce suppression too."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The subscriber's address.")
        var email: String

        func run() async throws {
            let context = try Context(global)
            let subscriber = try context.run { editor throws(SubscriberEditError) in
                try editor.set(.paused(false), for: email)
            }
            // Resuming is the person subscribing again: the state's suppression (unsubscribe, bounces) is lifted.
            let config = try DigestConfig.load(from: global.configURL)
            if FileManager.default.fileExists(atPath: config.stateFile.path) {
                try StateStore.open(at: config.stateFile).unsuppress(email, at: Date())
            }
            print("Resumed \(email) in \(subscriber.file).")
        }
    }
}
