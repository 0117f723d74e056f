/// Why a template could not be rendered: its partials nest deeper than ``TemplateSet/maximumPartialDepth``, which
/// only a partial that includes itself does (``TemplateSet/partialCycles()`` finds those before rendering).
public struct TemplateRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template rendered, then each partial it was inside when the limit was reached, outermost first.
    public let chain: [String]

    /// An error for the partials `chain`, outermost first.
    public init(chain: [String]) {
        self.chain = chain
    }

    /// `template 'digest.txt' nests partials more than 32 deep (digest.txt → partials/footer.txt → …); a partial
    /// probably includes itself`.
    public var description: String {
        let shown = chain.count > 6 ? chain.prefix(4) + ["…"] : chain[...]
        return "template '\(chain.first ?? "")' nests partials more than \(TemplateSet.maximumPartialDepth) deep "
            + "(\(shown.joined(separator: " → "))); a partial probably includes itself"
    }
}
