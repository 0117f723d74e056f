import Foundation

extension Workspace {
    /// What `digest serve` reads: the config, topics, templates and every subscriber file that passes its checks.
    /// Unlike ``load(configFile:)`` a broken subscriber file does not fail the whole: its problems are returned
    /// beside the workspace (its readers get the not-found page), and DKIM keys, which serving never uses, are not
    /// read. A broken config, topics file or template still throws.
    ///
    /// Subscriber files unchanged since they were last checked are taken from `state`'s cache, when given.
    public static func loadForServing(
        configFile: URL, state: StateStore? = nil
    ) throws(DiagnosticList) -> (Workspace, [Diagnostic]) {
        let config = try DigestConfig.load(from: configFile)
        let (taxonomy, taxonomyProblems) = SourceWorkspace.loadTaxonomy(of: config)
        var problems = taxonomyProblems
        var renderer: DigestRenderer?
        do {
            renderer = try DigestRenderer.load(
                folder: config.templatesFolder,
                displayBase: config.baseFolder,
                taxonomy: taxonomy,
                newsletter: config.newsletter
            )
        } catch {
            problems += error.diagnostics
        }
        guard problems.isEmpty, let renderer else { throw DiagnosticList(problems) }
        let directory = SubscriberDirectory.load(config: config, taxonomy: taxonomy, state: state)
        let workspace = Workspace(
            config: config, taxonomy: taxonomy, subscribers: directory.subscribers, renderer: renderer)
        return (workspace, directory.diagnostics)
    }
}
