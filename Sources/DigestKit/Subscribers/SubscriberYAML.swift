import Foundation

/// How the editor writes values into subscriber files: plain where YAML reads the text back unchanged, double-quoted
/// otherwise, and interests as short flow lists (`topics: [finansiering, export]`) like the examples.
enum SubscriberYAML {
    private static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    /// `text` as a YAML scalar that reads back as exactly `text` in a block or a flow context.
    static func scalar(_ text: String) -> String {
        if isPlainSafe(text) { return text }
        var quoted = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                if character.value < 0x20 || character.value == 0x7F {
                    quoted += String(format: "\\x%02X", character.value)
                } else {
                    quoted.unicodeScalars.append(character)
                }
            }
        }
        return quoted + "\""
    }

    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard first.properties.isAlphabetic, last != " " else { return false }
        guard !reserved.contains(text.lowercased()) else { return false }
        return text.unicodeScalars.allSatisfy { character in
            character.properties.isAlphabetic || ("0"..."9").contains(character)
                || " ._/@+-".unicodeScalars.contains(character)
        }
    }

    /// `[a, b]` with each value a safe scalar.
    static func list(_ values: [String]) -> String {
        "[" + values.map(scalar).joined(separator: ", ") + "]"
    }

    /// The lines of an `interests` mapping's body (without indentation), one per list that is not empty, in the
    /// documented order.
    static func interestLines(_ interests: Subscriber.Interests) -> [String] {
        var lines: [String] = []
        if !interests.topics.isEmpty { lines.append("topics: " + list(interests.topics)) }
        if !interests.regions.isEmpty { lines.append("regions: " + list(interests.regions)) }
        if !interests.organizers.isEmpty { lines.append("organizers: " + list(interests.organizers)) }
        if !interests.kinds.isEmpty { lines.append("kinds: " + list(interests.kinds.map(\.rawValue))) }
        if !interests.keywords.isEmpty { lines.append("keywords: " + list(interests.keywords)) }
        return lines
    }

    /// A whole new subscriber file.
    static func file(for subscriber: Subscriber) -> String {
        var lines = ["email: " + scalar(subscriber.email)]
        if let name = subscriber.name { lines.append("name: " + scalar(name)) }
        if let language = subscriber.language { lines.append("language: " + language.rawValue) }
        let interests = interestLines(subscriber.interests)
        if !interests.isEmpty { lines += ["interests:"] + interests.map { "  " + $0 } }
        let exclude = subscriber.exclude
        var excluded: [String] = []
        if !exclude.topics.isEmpty { excluded.append("topics: " + list(exclude.topics)) }
        if !exclude.organizers.isEmpty { excluded.append("organizers: " + list(exclude.organizers)) }
        if !exclude.keywords.isEmpty { excluded.append("keywords: " + list(exclude.keywords)) }
        if !excluded.isEmpty { lines += ["exclude:"] + excluded.map { "  " + $0 } }
        if subscriber.paused { lines.append("paused: true") }
        if let sendEmpty = subscriber.sendEmpty { lines.append("sendEmpty: \(sendEmpty)") }
        if let consent = subscriber.consent { lines += ["consent:"] + consent.yamlLines.map { "  " + $0 } }
        return lines.joined(separator: "\n") + "\n"
    }
}
