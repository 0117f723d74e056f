import Foundation

/// What collecting reads: the config and the taxonomy, each checked, and nothing else, so that a broken subscriber
/// file, template or DKIM key never stops `digest collect` or `digest sources test` (and they start sooner).
public struct SourceWorkspace: Sendable {
    /// The config.
    public var config: DigestConfig
    /// Topics and organisers.
    public var taxonomy: Taxonomy

    /// Reads and checks `configFile` and its topics file; their problems are thrown together, each located.
    public static func load(configFile: URL) throws(DiagnosticList) -> SourceWorkspace {
        let config = try DigestConfig.load(from: configFile)
        let (taxonomy, problems) = loadTaxonomy(of: config)
        guard problems.isEmpty else { throw DiagnosticList(problems) }
        return SourceWorkspace(config: config, taxonomy: taxonomy)
    }

    /// The taxonomy `config` names (empty when it names none), and the problems of its file.
    static func loadTaxonomy(of config: DigestConfig) -> (Taxonomy, [Diagnostic]) {
        guard let topicsFile = config.topicsFile else { return (.empty, []) }
        do {
            let displayPath = SubscriberDirectory.displayPath(topicsFile, base: config.baseFolder)
            return (try Taxonomy.load(from: topicsFile, displayPath: displayPath), [])
        } catch {
            return (.empty, error.diagnostics)
        }
    }

    /// The window events are collected in for a run at `now`: from now until `eventsAhead` later.
    public func window(at now: Date) -> DateInterval {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = config.newsletter.timeZone
        let end = config.newsletter.eventsAhead.after(now, in: calendar)
        return DateInterval(start: now, end: max(end, now))
    }
}
