import DigestKit
import Foundation

/// A digest workspace in a fresh temporary folder for a test: the repository's templates, topics and example
/// sources, and the subscribers the test writes, so that a test states only what it is about.
public struct WorkspaceBuilder: Sendable {
    /// The repository root (where `digest.yaml`, `templates/` and `examples/` are).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The example's pinned clock, 2026-12-01T08:00:00+01:00.
    public static let demoNow = Date(timeIntervalSince1970: 1_796_108_400)

    /// The folder everything is written to.
    public let folder: URL
    private var subscriberFiles: [(name: String, text: String)] = []
    private var deliveryLines = "  transport: maildir:outbox"
    private var newsletterLanguage = "sv"

    /// A builder writing into a new temporary folder.
    public init() throws {
        folder = try TemporaryFolder.make("digest-workspace-")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("subscribers"), withIntermediateDirectories: true)
    }

    /// Adds a subscriber of the example's interests (finance, in Falun) at `email`; `extra` are more YAML lines.
    public func subscriber(_ email: String, language: String = "sv", extra: String = "") -> WorkspaceBuilder {
        var copy = self
        let name = email.split(separator: "@").first.map(String.init) ?? email
        copy.subscriberFiles.append(
            (
                name + ".yaml",
                "email: \(email)\nname: \(name)\nlanguage: \(language)\n"
                    + "interests:\n  topics: [finansiering, export]\n  regions: [Falun]\n" + extra
            ))
        return copy
    }

    /// Sets the newsletter's language (`sv`, the default, or `en`).
    public func language(_ code: String) -> WorkspaceBuilder {
        var copy = self
        copy.newsletterLanguage = code
        return copy
    }

    /// Replaces the `delivery:` section's lines (indented by two spaces).
    public func delivery(_ lines: String) -> WorkspaceBuilder {
        var copy = self
        copy.deliveryLines = lines
        return copy
    }

    /// Writes the files and returns the config file.
    @discardableResult
    public func write() throws -> URL {
        let root = Self.root.path
        let config = """
            newsletter:
              title: "Företagsfrämjarna i Dalarna"
              from: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
              bounceAddress: bounces@example.se
              language: \(newsletterLanguage)
              timeZone: Europe/Stockholm
              baseURL: https://digest.example.se
              listID: veckodigest.example.se
              postalAddress: "Företagsfrämjarna i Dalarna · Box 712 · 791 29 Falun"
            sources:
              - name: kalendarium
                kind: event
                url: \(root)/examples/sources/kalendarium.ics
              - name: utlysningar
                kind: funding
                url: \(root)/examples/sources/utlysningar.xml
                topics: [finansiering]
              - name: redaktionen
                kind: funding
                url: \(root)/examples/sources/redaktionen.yaml
                format: yaml
                topics: [finansiering]
            subscribers: \(folder.path)/subscribers
            templates: \(root)/templates
            topics: \(root)/topics.yaml
            state: \(folder.path)/state.sqlite
            delivery:
            \(deliveryLines)

            """
        let file = folder.appendingPathComponent("digest.yaml")
        try Data(config.utf8).write(to: file)
        for (name, text) in subscriberFiles {
            try Data(text.utf8).write(to: folder.appendingPathComponent("subscribers").appendingPathComponent(name))
        }
        return file
    }

    /// Writes the files and loads them as `digest send` would.
    public func load() async throws -> Workspace {
        try await Workspace.load(configFile: try write())
    }
}
