import Foundation

/// The whole of `digest.yaml`, with every relative path resolved against the file's folder.
public struct DigestConfig: Sendable {
    /// The config file itself.
    public var file: URL
    /// The `newsletter:` section.
    public var newsletter: NewsletterConfig
    /// The `sources:` list.
    public var sources: [SourceConfig]
    /// The folder of subscriber files.
    public var subscribersFolder: URL
    /// The most bytes a subscriber file may have (`subscribers.maxFileBytes`).
    public var subscriberFileLimit: FileSizeLimit = .subscriberFiles()
    /// The folder of templates and strings.
    public var templatesFolder: URL
    /// The SQLite state file.
    public var stateFile: URL
    /// The topic taxonomy file, if any.
    public var topicsFile: URL?
    /// An editor's note (Markdown) for the coming issue, if any.
    public var editorNote: URL?
    /// The `delivery:` section.
    public var delivery: DeliveryConfig
    /// The `serve:` section (`digest serve`).
    public var serve = ServeConfig()
    /// The `signup:` section (`digest serve`'s signup form).
    public var signup = SignupConfig()
    /// The `archive:` section (the public archive of issues).
    public var archive = ArchiveConfig()
    /// `${NAME}` references in the sources whose variables were not set when the config was read, and an unset
    /// `delivery.oauth2.clientSecretEnv`, located in the file (`digest check` reports them; a run fails just those
    /// sources, and cannot send without the secret).
    public var unsetVariables: [Diagnostic] = []

    /// The folder the config file is in, against which relative paths resolve.
    public var baseFolder: URL { file.deletingLastPathComponent() }

    /// Resolves `path` (absolute, or relative to the config file's folder).
    public func resolve(_ path: String) -> URL {
        Self.resolve(path, against: baseFolder)
    }

    static func resolve(_ path: String, against base: URL) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        return base.appendingPathComponent(path).standardizedFileURL
    }
}

/// The raw shape of `digest.yaml`, before paths are resolved.
struct DigestConfigFile: Decodable {
    var newsletter: NewsletterConfig
    var sources: [SourceConfig]
    var subscribers: SubscribersSetting
    var templates: String
    var state: String
    var topics: String?
    var editorNote: String?
    var delivery: DeliveryConfig
    var serve: ServeConfig
    var signup: SignupConfig

    var archive: ArchiveConfigFile?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case newsletter, sources, subscribers, templates, state, topics, editorNote, delivery, serve, signup
        case archive
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        newsletter = try container.decode(NewsletterConfig.self, forKey: .newsletter)
        sources = try container.decodeIfPresent([SourceConfig].self, forKey: .sources) ?? []
        subscribers =
            try container.decodeIfPresent(SubscribersSetting.self, forKey: .subscribers) ?? SubscribersSetting()
        templates = try container.decodeIfPresent(String.self, forKey: .templates) ?? "templates"
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ".digest/state.sqlite"
        topics = try container.decodeIfPresent(String.self, forKey: .topics)
        editorNote = try container.decodeIfPresent(String.self, forKey: .editorNote)
        delivery = try container.decodeIfPresent(DeliveryConfig.self, forKey: .delivery) ?? DeliveryConfig()
        serve = try container.decodeIfPresent(ServeConfig.self, forKey: .serve) ?? ServeConfig()
        signup = try container.decodeIfPresent(SignupConfig.self, forKey: .signup) ?? SignupConfig()
        archive = try container.decodeIfPresent(ArchiveConfigFile.self, forKey: .archive)
    }
}

extension DigestConfig {
    /// Reads and checks `digest.yaml` at `url`; every problem is a diagnostic with file, line and column.
    public static func load(from url: URL) throws(DiagnosticList) -> DigestConfig {
        let displayPath = url.relativePath
        let document = try YAMLDocument(contentsOf: url, displayPath: displayPath)
        let raw = try document.decode(DigestConfigFile.self)
        var problems: [Diagnostic] = []
        var seen: Set<String> = []
        for (index, source) in raw.sources.enumerated() where !seen.insert(source.name).inserted {
            problems.append(
                document.diagnostic(
                    at: [
                        AnyCodingKey(stringValue: "sources"), AnyCodingKey(intValue: index),
                        AnyCodingKey(stringValue: "name"),
                    ],
                    message: "a source named '\(source.name)' is already listed; names must be unique."
                )
            )
        }
        guard problems.isEmpty else { throw DiagnosticList(problems) }
        let environment = ProcessInfo.processInfo.environment
        var unset: [Diagnostic] = []
        for (index, source) in raw.sources.enumerated() {
            for (name, path) in source.environmentReferences where environment[name] == nil {
                unset.append(
                    document.diagnostic(
                        at: [AnyCodingKey(stringValue: "sources"), AnyCodingKey(intValue: index)] + path,
                        message: "${\(name)} is not set in the environment; set it before digest collect or send."
                    )
                )
            }
        }
        if let oauth2 = raw.delivery.oauth2, environment[oauth2.clientSecretEnv, default: ""].isEmpty {
            let keys = ["delivery", "oauth2", "clientSecretEnv"].map { AnyCodingKey(stringValue: $0) }
            unset.append(
                document.diagnostic(
                    at: keys,
                    message:
                        "the environment variable \(oauth2.clientSecretEnv) (clientSecretEnv) is not set; set it to "
                        + "the OAuth2 client secret before digest send."
                )
            )
        }
        let base = url.deletingLastPathComponent()
        var config = DigestConfig(
            file: url,
            newsletter: raw.newsletter,
            sources: raw.sources,
            subscribersFolder: resolve(raw.subscribers.folder, against: base),
            subscriberFileLimit: .subscriberFiles(raw.subscribers.maxFileBytes),
            templatesFolder: resolve(raw.templates, against: base),
            stateFile: resolve(raw.state, against: base),
            topicsFile: raw.topics.map { resolve($0, against: base) },
            editorNote: raw.editorNote.map { resolve($0, against: base) },
            delivery: raw.delivery
        )
        config.unsetVariables = unset
        config.serve = raw.serve
        config.signup = raw.signup
        config.archive = ArchiveConfig(
            out: raw.archive?.out.map { resolve($0, against: base) }, baseURL: raw.archive?.baseURL)
        return config
    }
}
