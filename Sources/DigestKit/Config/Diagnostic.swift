import Foundation

/// A problem found in an input file, located at a line and column so a person can open the file and fix it.
///
/// Its description is the compiler-style `path:line:column: message` that `digest check` prints.
public struct Diagnostic: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file the problem is in, as the user named it (relative paths stay relative).
    public var path: String
    /// The 1-based line, or nil when the problem concerns the whole file.
    public var line: Int?
    /// The 1-based column, or nil when unknown.
    public var column: Int?
    /// What is wrong and, where possible, what to do about it.
    public var message: String

    /// Creates a diagnostic for `path` at an optional line and column.
    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:line:column: message`, leaving out what is unknown.
    public var description: String {
        var location = path
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}

/// One or more diagnostics found while reading input; thrown where the run cannot go on.
public struct DiagnosticList: Error, CustomStringConvertible, Sendable {
    /// The problems, in the order they were found.
    public var diagnostics: [Diagnostic]

    /// Wraps the given diagnostics.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic a line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
