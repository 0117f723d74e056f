import DigestSupport
import Foundation
import Yams

/// A YAML file read into a node tree that remembers where every value stands, so that decoding and validation
/// errors can be reported as `path:line:column: message`.
struct YAMLDocument {
    /// The path as the user named it, used in diagnostics.
    let path: String
    /// The root node, or nil for an empty file.
    let root: Node?

    /// Reads and composes the file at `url`; `displayPath` is what diagnostics show.
    init(
        contentsOf url: URL, displayPath: String, limit: FileSizeLimit = .default, resolver: Resolver = .default
    ) throws(DiagnosticList) {
        let text: String
        do {
            text = try TextFile.read(url, maximumBytes: limit.bytes)
        } catch {
            throw DiagnosticList([Self.diagnostic(for: error, path: displayPath, limit: limit)])
        }
        try self.init(text: text, displayPath: displayPath, resolver: resolver)
    }

    /// The tags a subscriber file's plain scalars can have: booleans and null, the rest strings. Every key looked up
    /// while decoding resolves its tag by these rules, so two rules instead of seven make reading many files faster.
    static let subscriberResolver = Resolver.basic.appending(.bool).appending(.null)

    /// The diagnostic for a file `TextFile` refused: invalid UTF-8 at its line and column, a file too large with the
    /// config key that raises the limit.
    static func diagnostic(for error: TextFileError, path: String, limit: FileSizeLimit) -> Diagnostic {
        switch error {
        case .invalidUTF8(let line, let column, _):
            return Diagnostic(path: path, line: line, column: column, message: error.description)
        case .tooLarge(let bytes, let maximum):
            guard let key = limit.key else { return Diagnostic(path: path, message: error.description) }
            return Diagnostic(
                path: path,
                message: "file is larger than \(TextFileError.size(maximum)), the limit of \(key) (it has "
                    + "\(TextFileError.size(bytes))).")
        default:
            return Diagnostic(path: path, message: error.description)
        }
    }

    /// Composes YAML `text`; `displayPath` is what diagnostics show; `resolver` gives plain scalars their tags.
    init(text: String, displayPath: String, resolver: Resolver = .default) throws(DiagnosticList) {
        path = displayPath
        do {
            // The encoding named, so that Yams does not read the environment for it on every file.
            root = try Yams.compose(yaml: text, resolver, .default, .utf8)
        } catch let error as YamlError {
            throw DiagnosticList([Self.diagnostic(for: error, path: displayPath)])
        } catch {
            throw DiagnosticList([Diagnostic(path: displayPath, message: "is not valid YAML: \(error).")])
        }
    }

    /// Decodes `T` from `node` (the root by default), turning every decoding error into a located diagnostic;
    /// `decoder` is shared by the caller that decodes many documents (making one reads the environment).
    func decode<T: Decodable>(_ type: T.Type, from node: Node? = nil, using decoder: YAMLDecoder? = nil)
        throws(DiagnosticList) -> T
    {
        let start = node ?? root ?? Node.mapping(.init([]))
        do {
            return try (decoder ?? YAMLDecoder()).decode(type, from: start)
        } catch let error as UnknownKeyError {
            throw DiagnosticList([diagnostic(at: error.codingPath, in: start, message: error.message, pointAtKey: true)]
            )
        } catch let error as DecodingError {
            throw DiagnosticList([diagnostic(for: error, in: start)])
        } catch let error as DiagnosticList {
            throw error
        } catch {
            throw DiagnosticList([Diagnostic(path: path, message: "\(error)")])
        }
    }

    /// A diagnostic for the value (or key) at `codingPath` below `start`.
    func diagnostic(
        at codingPath: [any CodingKey],
        in start: Node? = nil,
        message: String,
        pointAtKey: Bool = false
    ) -> Diagnostic {
        let mark = Self.locate(codingPath, in: start ?? root, pointAtKey: pointAtKey)
        return Diagnostic(path: path, line: mark?.line, column: mark?.column, message: message)
    }

    private func diagnostic(for error: DecodingError, in start: Node) -> Diagnostic {
        switch error {
        case .typeMismatch(let type, let context):
            return diagnostic(at: context.codingPath, in: start, message: "expected \(Self.describe(type)).")
        case .valueNotFound(let type, let context):
            return diagnostic(
                at: context.codingPath, in: start, message: "missing value (expected \(Self.describe(type))).")
        case .keyNotFound(let key, let context):
            return diagnostic(at: context.codingPath, in: start, message: "missing required key '\(key.stringValue)'.")
        case .dataCorrupted(let context):
            return diagnostic(at: context.codingPath, in: start, message: context.debugDescription)
        @unknown default:
            return Diagnostic(path: path, message: "\(error)")
        }
    }

    /// The mark of the node at `codingPath`, or of the deepest node on the way that exists.
    static func locate(_ codingPath: [any CodingKey], in root: Node?, pointAtKey: Bool = false) -> Mark? {
        guard var node = root else { return nil }
        for (index, key) in codingPath.enumerated() {
            let isLast = index == codingPath.count - 1
            switch node {
            case .mapping(let mapping):
                guard let pair = mapping.first(where: { $0.key.string == key.stringValue }) else { return node.mark }
                if isLast && pointAtKey { return pair.key.mark }
                node = pair.value
            case .sequence(let sequence):
                guard let position = key.intValue, position < sequence.count else { return node.mark }
                node = sequence[position]
            default:
                return node.mark
            }
        }
        return node.mark
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "text"
        case "Int": return "a whole number"
        case "Bool": return "true or false"
        case "Double": return "a number"
        default:
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping of keys to values" }
            return "a mapping of keys to values"
        }
    }

    private static func diagnostic(for error: YamlError, path: String) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return Diagnostic(path: path, line: mark.line, column: mark.column, message: "invalid YAML: \(problem).")
        case .composer(_, let problem, let mark, _):
            return Diagnostic(path: path, line: mark.line, column: mark.column, message: "invalid YAML: \(problem).")
        default:
            return Diagnostic(path: path, message: "invalid YAML: \(error).")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, cocoa.code == .fileReadNoSuchFile { return "no such file" }
        return (error as NSError).localizedDescription
    }
}
