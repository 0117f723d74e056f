import CompiledMustache
import Foundation
import MailMessage

/// The digest templates of `templates/`, compiled once, with the strings of every language: what a ``RenderRun``
/// renders digests with. It holds no caches; a run does.
///
/// The template context is documented field by field in `templates/README.md`; `DigestContext` builds it. The item
/// partials (``itemPartials``) are rendered once per item, language, status and reason line and reused, already
/// encoded, by every digest that lists the item; the rest of each digest is an outline with the reader's values as
/// placeholders.
public struct DigestRenderer: Sendable {
    /// The templates every folder must have.
    public static let requiredTemplates = ["digest.html", "digest.txt", "subject"]
    /// The partials that show one item; each sees the item's fields and the issue-wide ones (`t`, `lang`,
    /// `newsletter`, `issue`), never the reader's.
    public static let itemPartials = [
        "partials/event.html", "partials/event.txt", "partials/funding.html", "partials/funding.txt",
    ]
    /// The field each item partial is replaced by in outlines (an ``ItemContext`` gives its placeholder).
    static let itemPartialFields = itemPartials.indices.map { "__digestItemPartial\($0)" }

    /// The templates as written.
    let templates: TemplateSet
    /// The same with each item partial replaced by its field, which the item's shared fragment takes the place of.
    let outlineTemplates: TemplateSet
    let translations: [Language: TemplateValue]
    let strings: [Language: Strings]
    let dates: [Language: DateText]
    let taxonomy: Taxonomy
    let newsletter: NewsletterConfig
    let wrapper = TextWrapper(width: 72)
    /// Whether a digest's outline is rendered once for all readers of the same items and filled in for each. On by
    /// default; off renders every reader's outline, for comparison.
    public var reusesOutlines = true
    /// Sections longer than this show their first items and "och N till".
    public var maxItemsPerSection: Int = 40
    /// The most bytes of HTML a digest may have, so Gmail (which clips at about 102 KB) shows it whole; longer
    /// digests show fewer items per section, each with "och N till".
    public var htmlBudget: Int = 90_000

    /// A renderer of the compiled `templates` (by name, as `load` finds them) and `strings`.
    init(
        templates compiled: [String: CompiledTemplate],
        strings: [Language: Strings],
        taxonomy: Taxonomy,
        newsletter: NewsletterConfig
    ) {
        var templates = TemplateSet()
        for (name, template) in compiled { templates.add(template, named: name) }
        var outlineTemplates = templates
        for (index, name) in Self.itemPartials.enumerated() where compiled[name] != nil {
            // A triple mustache of a plain name always compiles.
            if let field = try? CompiledTemplate("{{{\(Self.itemPartialFields[index])}}}") {
                outlineTemplates.add(field, named: name)
            }
        }
        self.templates = templates
        self.outlineTemplates = outlineTemplates
        self.translations = strings.mapValues { strings in
            .object(strings.values.mapValues { TemplateValue.string($0) })
        }
        self.strings = strings
        self.dates = strings.mapValues { DateText(strings: $0, timeZone: newsletter.timeZone) }
        self.taxonomy = taxonomy
        self.newsletter = newsletter
    }

    /// The strings of `language`.
    public func strings(for language: Language) -> Strings {
        strings[language] ?? strings[.sv]!
    }

    /// The issue-wide context of `language`'s digests for `fragments` of a run, showing at most `itemsPerSection`
    /// items per section.
    func context(_ language: Language, fragments: ItemFragments, itemsPerSection: Int) -> DigestContext {
        let strings = strings(for: language)
        return DigestContext(
            strings: strings,
            translations: translations[strings.language] ?? .object([String: TemplateValue]()),
            dates: dates[strings.language] ?? DateText(strings: strings, timeZone: newsletter.timeZone),
            taxonomy: taxonomy,
            newsletter: newsletter,
            maxItemsPerSection: itemsPerSection,
            fragments: fragments
        )
    }

    /// Item partial `partial` of `entry` rendered with the issue-wide fields `root`.
    func renderPartial(_ partial: Int, of entry: ItemEntry, root: [String: TemplateValue]) throws(TemplateRenderError)
        -> String
    {
        try templates.render(Self.itemPartials[partial], .object(FragmentScope(values: entry.values, root: root))) ?? ""
    }

    /// Template `name` of an outline rendered with `values`, cut at its placeholders.
    func renderOutline(_ name: String, _ values: [String: TemplateValue]) throws(TemplateRenderError)
        -> [TemplatePiece]
    {
        try outlineTemplates.renderPieces(name, .object(values)) ?? []
    }
}
