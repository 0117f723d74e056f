import DigestTesting
import Feeds
import Foundation
import Testing

/// `JSONValue.parse` reads JSON byte by byte; these tests hold it to Foundation's decoder on random documents and to
/// RFC 8259 on the edge cases.
@Suite("JSON reader")
struct JSONReaderTests {
    /// A random JSON text: nested objects and arrays, escaped and non-ASCII strings, integers, decimals, literals.
    static func document(_ random: inout SplitMix64, depth: Int = 0) -> String {
        let choice = Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &random)
        switch choice {
        case 0: return ["true", "false", "null"][Int.random(in: 0..<3, using: &random)]
        case 1: return String(Int.random(in: -1_000_000...1_000_000, using: &random))
        case 2:
            return String(Int.random(in: -9999...9999, using: &random)) + "."
                + String(Int.random(in: 0...999, using: &random))
        case 3, 4:
            let pieces = [
                "a", "å", "Ö", " ", "\\n", "\\\"", "\\\\", "\\u00e4", "\\ud83d\\ude00", "€", "\\/", "\\t", "x",
            ]
            return "\""
                + (0..<Int.random(in: 0...8, using: &random)).map { _ in
                    pieces[Int.random(in: 0..<pieces.count, using: &random)]
                }.joined() + "\""
        case 5:
            return "["
                + (0..<Int.random(in: 0...4, using: &random)).map { _ in
                    document(&random, depth: depth + 1)
                }.joined(separator: ", ") + "]"
        default:
            return "{"
                + (0..<Int.random(in: 0...4, using: &random)).map { index in
                    "\"k\(index)\": " + document(&random, depth: depth + 1)
                }.joined(separator: ",\n ") + "}"
        }
    }

    @Test("gives what Foundation's JSONDecoder gives, on 3,000 random documents")
    func agreesWithFoundation() throws {
        var random = SplitMix64(seed: 0x4A53_4F4E)
        for _ in 0..<3000 {
            let text = Self.document(&random)
            let ours = try JSONValue.parse(Data(text.utf8))
            let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            #expect(ours == foundation, "\(text)")
        }
    }

    @Test("refuses what RFC 8259 does not allow, saying where")
    func refusals() {
        let cases: [(String, String)] = [
            ("", "the document ends where a value should be at byte 1"),
            ("{\"a\" 1}", "expected ':' at byte 6"),
            ("[1, 2", "the array is not closed at byte 6"),
            ("[01]", "a number may not start with 0 at byte 4"),
            ("{'a': 1}", "expected a member name in quotes at byte 2"),
            ("[1,]", "unexpected character ']' at byte 4"),
            ("\"a\nb\"", "a control character inside a string at byte 3"),
            ("\"\\x\"", "unknown escape '\\x' at byte 4"),
            ("truth", "unexpected character 't' at byte 1"),
            ("1 2", "unexpected text after the JSON value at byte 3"),
            ("{\"a\": 1,}", "expected a member name in quotes at byte 9"),
        ]
        for (text, message) in cases {
            #expect(throws: JSONParseError(message: message), "\(text)") { try JSONValue.parse(Data(text.utf8)) }
        }
    }

    @Test("reads a BOM, a top-level scalar, surrogate pairs and invalid UTF-8 as a clear error")
    func edges() throws {
        #expect(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == .array([.number(1)]))
        #expect(try JSONValue.parse(Data("  \"x\" ".utf8)) == .string("x"))
        #expect(try JSONValue.parse(Data(#""\ud83d\ude00""#.utf8)) == .string("😀"))
        #expect(throws: JSONParseError(message: "a string that is not UTF-8 at byte 2")) {
            try JSONValue.parse(Data([0x22, 0xC3, 0x28, 0x22]))
        }
    }
}
