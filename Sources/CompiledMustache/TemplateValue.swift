/// A value a compiled template renders: text, a flag, a number, a list or an object with named fields.
///
/// Truthiness follows swift-mustache: only `false`, a missing value and an empty list are false; an empty string and
/// zero are true.
public enum TemplateValue: Sendable {
    /// Text; HTML-escaped by `{{name}}` in HTML templates, written as it is by `{{{name}}}` and in text templates.
    case string(String)
    /// A flag: a section renders in the same context when it is true.
    case bool(Bool)
    /// A number, written in decimal.
    case int(Int)
    /// A list: a section renders once per element.
    case list([TemplateValue])
    /// An object: a section renders once with it on top of the context stack.
    case object(any TemplateFields)
    /// Text the caller puts in after rendering, numbered by the caller: ``TemplateSet/renderPieces(_:_:)`` returns it
    /// as a piece of its own; ``TemplateSet/render(_:_:)`` writes nothing for it. As a section it is true.
    case placeholder(Int)
}

/// An object whose fields a template can name.
public protocol TemplateFields: Sendable {
    /// The field called `name`, or `nil` when there is none (the lookup then goes on down the context stack).
    func value(named name: String) -> TemplateValue?
}

extension Dictionary: TemplateFields where Key == String, Value == TemplateValue {
    /// The entry for `name`.
    public func value(named name: String) -> TemplateValue? { self[name] }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A flag value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A number value.
    public init(integerLiteral value: Int) { self = .int(value) }
}
