/// A Mustache template parsed once into a tree that renders without any dynamic lookup beyond its fields.
///
/// It renders exactly what swift-mustache renders for the same template and values, for the part of the language it
/// accepts: variables (`{{x}}`, `{{{x}}}`, `{{&x}}`, dotted names, `.`), sections and inverted sections, partials
/// (with swift-mustache's indentation of standalone partials), comments, set delimiters and the `CONTENT_TYPE`
/// pragma, with the same rules for standalone lines. Anything else — transforms, lambdas, template inheritance,
/// dynamic partials — is refused with a ``TemplateCompileError`` of kind ``TemplateCompileError/Kind/unsupported``
/// that says where and names the construct.
public struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(Path, escaped: Bool)
        case section(Path, inverted: Bool, body: [Node])
        case partial(String, indentation: String?)
        case contentType(isText: Bool)
    }

    /// A name as written: `.` alone, a dotted path looked up the context stack, or `.x` looked up in the top only.
    struct Path: Sendable {
        let components: [String]
        let topOnly: Bool
        var isImplicit: Bool { components.isEmpty }
    }

    /// A partial tag (`{{> name}}`) and where it opens.
    public struct PartialReference: Sendable, Equatable {
        /// The partial's name as written.
        public let name: String
        /// The 1-based line of the tag.
        public let line: Int
        /// The 1-based column (in characters) where the tag opens.
        public let column: Int
    }

    let nodes: [Node]
    /// Every partial tag of the template, in the order of the text (sections included).
    public let partials: [PartialReference]

    /// Parses `text`; unless `indentedPartials`, a standalone partial after spaces or tabs (which would indent every
    /// line the partial writes) is refused too.
    public init(_ text: String, indentedPartials: Bool = true) throws(TemplateCompileError) {
        var parser = TemplateParser(text, indentedPartials: indentedPartials)
        nodes = try parser.parseAll()
        partials = parser.partials
    }
}
