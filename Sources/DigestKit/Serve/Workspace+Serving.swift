import Foundation

extension Workspace {
    /// What `digest serve` reads: the config, topics, templates and every subscriber file that passes its checks.
    /// Unlike ``load(configFile:)`` a broken subscriber file does not fail the whole: its problems are returned
    /// beside the workspace (its readers get the not-found page), and DKIM keys, which serving never uses, are not
    /// read. A broken config, topics file or template still throws.
    public static func loadForServing(configFile: URL) throws(DiagnosticList) -> (Workspace, [Diagnostic]) {
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
        let directory = SubscriberDirectory.load(
            folder: config.subscribersFolder,
            displayBase: config.baseFolder,
            taxonomy: taxonomy,
            extraOrganizers: config.sources.compactMap(\.organizer),
            limit: config.subscriberFileLimit
        )
        let workspace = Workspace(
            config: config, taxonomy: taxonomy, subscribers: directory.subscribers, renderer: renderer)
        return (workspace, directory.diagnostics)
    }
}
