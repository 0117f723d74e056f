import Foundation
import Logging
import MailMessage

/// Everything a run reads before it collects: the config, the taxonomy, the subscribers and the compiled templates,
/// each checked.
public struct Workspace: Sendable {
    /// The config.
    public var config: DigestConfig
    /// Topics and organisers.
    public var taxonomy: Taxonomy
    /// The subscribers that passed every check.
    public var subscribers: [Subscriber]
    /// The compiled templates and strings.
    public var renderer: DigestRenderer
    /// The DKIM signers of `delivery.dkim`, keys loaded.
    public var signers: [DKIMSigner] = []

    /// Reads and checks everything under `configFile`; every problem found is thrown together, each located.
    ///
    /// Subscriber files unchanged since a run checked them are taken from the state's cache when the state file is
    /// there (it is never created for this: a check or a dry run records nothing).
    public static func load(configFile: URL) async throws(DiagnosticList) -> Workspace {
        let config = try DigestConfig.load(from: configFile)
        let base = config.baseFolder
        let (taxonomy, taxonomyProblems) = SourceWorkspace.loadTaxonomy(of: config)
        var problems = taxonomyProblems
        let directory = SubscriberDirectory.load(
            config: config, taxonomy: taxonomy, checksNames: taxonomyProblems.isEmpty,
            state: FileManager.default.fileExists(atPath: config.stateFile.path)
                ? try? StateStore.open(at: config.stateFile) : nil)
        problems += directory.diagnostics
        var renderer: DigestRenderer?
        do {
            renderer = try DigestRenderer.load(
                folder: config.templatesFolder,
                displayBase: base,
                taxonomy: taxonomy,
                newsletter: config.newsletter
            )
        } catch {
            problems += error.diagnostics
        }
        let (signers, keyProblems) = loadSigners(of: config)
        problems += keyProblems
        guard problems.isEmpty, let renderer else { throw DiagnosticList(problems) }
        return Workspace(
            config: config,
            taxonomy: taxonomy,
            subscribers: directory.subscribers,
            renderer: renderer,
            signers: signers
        )
    }

    /// The DKIM signers of `config.delivery.dkim`, keys loaded, and a problem for each key that cannot be used.
    public static func loadSigners(of config: DigestConfig) -> ([DKIMSigner], [Diagnostic]) {
        var signers: [DKIMSigner] = []
        var problems: [Diagnostic] = []
        for key in config.delivery.dkim {
            let file = config.resolve(key.privateKey)
            do {
                signers.append(
                    DKIMSigner(domain: key.domain, selector: key.selector, key: try DKIMKey.load(from: file)))
            } catch {
                let path = SubscriberDirectory.displayPath(file, base: config.baseFolder)
                problems.append(Diagnostic(path: path, message: "cannot use this DKIM key: \(error)"))
            }
        }
        return (signers, problems)
    }

    /// The editors' note for the issue: `file` when given (from the command line), else the config's `editorNote`.
    public func editorNote(_ file: URL? = nil) throws(DiagnosticList) -> EditorNote? {
        guard let url = file ?? config.editorNote else { return nil }
        return try EditorNote.load(
            from: url, displayPath: SubscriberDirectory.displayPath(url, base: config.baseFolder))
    }

    /// The language `subscriber` reads.
    public func language(of subscriber: Subscriber) -> Language {
        subscriber.language ?? config.newsletter.language
    }

    /// The window events are collected in for a run at `now`: from now until `eventsAhead` later.
    public func window(at now: Date) -> DateInterval {
        SourceWorkspace(config: config, taxonomy: taxonomy).window(at: now)
    }
}
