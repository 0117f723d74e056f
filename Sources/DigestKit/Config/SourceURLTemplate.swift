import Foundation

/// The placeholders a source URL may hold: `{today}`, `{today-90d}`, `{today+30d}` (dates in the newsletter's zone,
/// `YYYY-MM-DD`) and `{page}` (the paging parameter's value), besides `${NAME}` environment references.
enum SourceURLTemplate {
    /// Checks every `{…}` in `url`; an unknown placeholder, or `{page}` without `paging`, is an error at the URL.
    static func validate<Keys: CodingKey>(
        _ url: String, paging: SourcePaging?, container: KeyedDecodingContainer<Keys>, key: Keys
    ) throws {
        for placeholder in placeholders(in: url) {
            if placeholder == "page" {
                guard paging != nil else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container, debugDescription: "{page} needs a paging: section.")
                }
                continue
            }
            guard dayOffset(placeholder) != nil else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container,
                    debugDescription:
                        "unknown placeholder {\(placeholder)}; use {today}, {today-Nd}, {today+Nd} or {page}."
                )
            }
        }
        if let problem = EnvironmentReference.syntaxProblem(in: url) {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: problem)
        }
    }

    /// `url` with its date placeholders filled for `now` in `timeZone`, and `{page}` with `page` when given.
    static func expand(_ url: String, now: Date, timeZone: TimeZone, page: Int? = nil) -> String {
        guard url.contains("{") else { return url }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var result = ""
        var rest = Substring(url)
        while let open = rest.firstIndex(of: "{") {
            let isEnvironment = open > rest.startIndex && rest[rest.index(before: open)] == "$"
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            result += rest[..<open]
            if isEnvironment {
                result += rest[open...close]
            } else if name == "page", let page {
                result += String(page)
            } else if let days = dayOffset(name), let day = calendar.date(byAdding: .day, value: days, to: now) {
                let parts = calendar.dateComponents([.year, .month, .day], from: day)
                result += String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The names inside `{…}` that are not `${NAME}` references.
    static func placeholders(in url: String) -> [String] {
        var names: [String] = []
        var rest = Substring(url)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let isEnvironment = open > rest.startIndex && rest[rest.index(before: open)] == "$"
            if !isEnvironment { names.append(String(rest[rest.index(after: open)..<close])) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The day offset `today`, `today-90d`, `today+7d` names, or nil.
    static func dayOffset(_ placeholder: String) -> Int? {
        guard placeholder.hasPrefix("today") else { return nil }
        let rest = placeholder.dropFirst(5)
        if rest.isEmpty { return 0 }
        guard let sign = rest.first, sign == "+" || sign == "-", rest.hasSuffix("d"),
            let count = Int(rest.dropFirst().dropLast()), count >= 0, count <= 36_600
        else { return nil }
        return sign == "-" ? -count : count
    }
}

/// `${NAME}` references to environment variables in source requests: filled when the source is fetched, never
/// written to a log, a report or the state.
public enum EnvironmentReference {
    /// The variable names `text` refers to, in order, without repeats.
    public static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let close = rest[start.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[start.upperBound..<close])
            if !names.contains(name) { names.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Why `text`'s references do not fit the syntax, or nil.
    static func syntaxProblem(in text: String) -> String? {
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let close = rest[start.upperBound...].firstIndex(of: "}") else {
                return "'${' is not closed; write ${NAME}."
            }
            let name = rest[start.upperBound..<close]
            let valid =
                !name.isEmpty && name.first.map { $0.isLetter || $0 == "_" } == true
                && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !valid { return "'${\(name)}' is not an environment variable name (letters, digits and _)." }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// `text` with every reference replaced from `environment`; throws naming the first variable that is not set.
    public static func expand(_ text: String, from environment: [String: String]) throws(UnsetVariable) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${"), let close = rest[start.upperBound...].firstIndex(of: "}") {
            let name = String(rest[start.upperBound..<close])
            guard let value = environment[name] else { throw UnsetVariable(name: name) }
            result += rest[..<start.lowerBound]
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// A `${NAME}` whose variable is not set.
    public struct UnsetVariable: Error, Sendable, Equatable {
        /// The variable's name.
        public var name: String
    }
}
