/// Why a template could not be compiled, and where: `line:column: message`, the message naming the construct.
public struct TemplateCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Kind: Sendable, Equatable {
        /// A construct this renderer does not do: transforms, template inheritance, dynamic partials.
        case unsupported
        /// The template is malformed.
        case malformed
    }

    /// What kind of problem it is.
    public let kind: Kind
    /// The 1-based line of the tag at fault.
    public let line: Int
    /// The 1-based column (in characters) where the tag at fault opens.
    public let column: Int
    /// What is wrong, naming the tag.
    public let message: String

    /// A problem of `kind` at `line` and `column`.
    public init(_ kind: Kind, line: Int, column: Int, message: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }
}
