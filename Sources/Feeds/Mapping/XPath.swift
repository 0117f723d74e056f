import CLibXML2

/// An XPath 1.0 expression that libxml2 accepted. Value type, Sendable; compile-checked at init.
///
/// Besides libxml2's own compile check, the init rejects what would fail on every evaluation because nothing is
/// registered for it: a call of a function that is not one of XPath 1.0's core functions ("Unregistered function"),
/// a `$variable` ("Undefined variable") and a `prefix:name` ("Undefined namespace prefix").
public struct XPath: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let expression: String

    /// Throws XPathError when libxml2 rejects the expression (message from libxml2, e.g. "Invalid expression",
    /// "Invalid predicate"), printing nothing to stderr.
    public init(_ expression: String) throws(XPathError) {
        guard !expression.utf8.contains(0) else {
            throw XPathError(expression: expression, reason: "Invalid expression")
        }
        let result = XPath.compile(expression, context: nil)
        switch result {
        case .success(let compiled):
            xmlXPathFreeCompExpr(compiled)
        case .failure(let error):
            throw error
        }
        if let reason = XPathLexicalCheck.problem(in: expression) {
            throw XPathError(expression: expression, reason: reason)
        }
        self.expression = expression
    }

    /// The expression as written.
    public var description: String { expression }

    /// Compiles `expression` for `context` (nil for a check only); the caller frees the result.
    static func compile(_ expression: String, context: xmlXPathContextPtr?) -> Result<xmlXPathCompExprPtr, XPathError> {
        LibXML2.prepare()
        var message = [CChar](repeating: 0, count: 512)
        let compiled = message.withUnsafeMutableBufferPointer { buffer in
            digest_xpath_compile(context, expression, buffer.baseAddress, Int32(buffer.count))
        }
        if let compiled { return .success(compiled) }
        return .failure(XPathError(expression: expression, libxml2Message: message))
    }
}

/// Why an XPath expression could not be compiled or evaluated.
public struct XPathError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The expression as written.
    public var expression: String
    /// libxml2's text, trimmed, e.g. "Invalid expression".
    public var reason: String

    /// An error for `expression` with `reason`.
    public init(expression: String, reason: String) {
        self.expression = expression
        self.reason = reason
    }

    init(expression: String, libxml2Message: [CChar]) {
        let text = String(decoding: libxml2Message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let reason = text.trimmedWhitespace
        self.init(expression: expression, reason: reason.isEmpty ? "the expression could not be evaluated" : reason)
    }

    /// Exactly: `invalid XPath '<expression>': <reason>`.
    public var description: String { "invalid XPath '\(expression)': \(reason)" }
}

/// Finds, without evaluating, the function calls, variables and namespace prefixes that libxml2 only rejects when it
/// evaluates an expression (and then only if evaluation reaches them).
enum XPathLexicalCheck {
    /// XPath 1.0's core function library, as libxml2 registers it.
    static let coreFunctions: Set<String> = [
        "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string", "concat", "starts-with",
        "contains", "substring-before", "substring-after", "substring", "string-length", "normalize-space",
        "translate", "boolean", "not", "true", "false", "lang", "number", "sum", "floor", "ceiling", "round",
    ]

    /// Names that are followed by "(" without being function calls.
    static let nodeTypesAndOperators: Set<String> = [
        "node", "text", "comment", "processing-instruction", "and", "or", "div", "mod",
    ]

    /// The first problem found, in libxml2's words, or nil.
    static func problem(in expression: String) -> String? {
        let scalars = Array(expression.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\"" || scalar == "'" {
                index = (scalars[(index + 1)...].firstIndex(of: scalar) ?? scalars.count) + 1
                continue
            }
            if scalar == "$" {
                var end = index + 1
                while end < scalars.count, isNameScalar(scalars[end]) || scalars[end] == ":" { end += 1 }
                return "Undefined variable \(String(String.UnicodeScalarView(scalars[index..<end])))"
            }
            guard isNameStart(scalar) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < scalars.count, isNameScalar(scalars[end]) { end += 1 }
            let name = String(String.UnicodeScalarView(scalars[index..<end]))
            if end + 1 < scalars.count, scalars[end] == ":", scalars[end + 1] != ":" {
                return "Undefined namespace prefix \(name)"
            }
            var next = end
            while next < scalars.count, scalars[next].properties.isWhitespace { next += 1 }
            if next < scalars.count, scalars[next] == "(", !coreFunctions.contains(name),
                !nodeTypesAndOperators.contains(name)
            {
                return "Unregistered function \(name)()"
            }
            index = end
        }
        return nil
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || scalar == "-" || scalar == "." || ("0"..."9").contains(scalar)
            || scalar.properties.generalCategory == .decimalNumber
    }
}
