import Foundation

/// Splits iCalendar bytes into unfolded content lines (RFC 5545 section 3.1).
///
/// Unfolding works on bytes before UTF-8 decoding, so a fold that splits a multi-byte character is joined back
/// correctly. CRLF and bare LF line ends are accepted, and a leading UTF-8 byte order mark is skipped.
enum ContentLineReader {
    /// Returns the content lines of `bytes` and the lines that could not be read (`line N: reason`).
    static func read(_ bytes: [UInt8]) -> (lines: [ContentLine], problems: [ICalendarProblem]) {
        var lines: [ContentLine] = []
        var problems: [ICalendarProblem] = []
        var index = 0
        let count = bytes.count
        if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            index = 3
        }
        var physicalLine = 1
        var logical: [UInt8] = []
        logical.reserveCapacity(256)
        var logicalStart = 1
        var hasLogical = false

        func flush() {
            guard hasLogical else { return }
            hasLogical = false
            if logical.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                logical.removeAll(keepingCapacity: true)
                return
            }
            if let line = parse(logical, line: logicalStart) {
                lines.append(line)
            } else {
                let text = String(decoding: logical.prefix(60), as: UTF8.self)
                problems.append(ICalendarProblem(line: logicalStart, message: "unreadable content line \"\(text)\""))
            }
            logical.removeAll(keepingCapacity: true)
        }

        while index < count {
            // Find the end of this physical line.
            var end = index
            while end < count && bytes[end] != 0x0A {
                end += 1
            }
            var contentEnd = end
            if contentEnd > index && bytes[contentEnd - 1] == 0x0D {
                contentEnd -= 1
            }
            if contentEnd > index && (bytes[index] == 0x20 || bytes[index] == 0x09) && hasLogical {
                logical.append(contentsOf: bytes[(index + 1)..<contentEnd])
            } else {
                flush()
                logical.append(contentsOf: bytes[index..<contentEnd])
                logicalStart = physicalLine
                hasLogical = true
            }
            physicalLine += 1
            index = end + 1
        }
        flush()
        return (lines, problems)
    }

    /// Parses one unfolded line into name, parameters and value; nil when there is no name or no colon.
    static func parse(_ bytes: [UInt8], line: Int) -> ContentLine? {
        let count = bytes.count
        var index = 0
        while index < count && bytes[index] != 0x3B && bytes[index] != 0x3A {
            index += 1
        }
        guard index > 0, index < count else { return nil }
        let name = upperCasedName(bytes[0..<index])
        guard !name.isEmpty else { return nil }
        var parameters: [(name: String, values: [String])] = []
        while index < count && bytes[index] == 0x3B {
            index += 1
            let nameStart = index
            while index < count && bytes[index] != 0x3D && bytes[index] != 0x3B && bytes[index] != 0x3A {
                index += 1
            }
            let parameterName = upperCasedName(bytes[nameStart..<index])
            var values: [String] = []
            if index < count && bytes[index] == 0x3D {
                index += 1
                while true {
                    if index < count && bytes[index] == 0x22 {
                        index += 1
                        let valueStart = index
                        while index < count && bytes[index] != 0x22 {
                            index += 1
                        }
                        values.append(String(decoding: bytes[valueStart..<index], as: UTF8.self))
                        if index < count {
                            index += 1
                        }
                        // Skip anything between the closing quote and the next delimiter.
                        while index < count && bytes[index] != 0x2C && bytes[index] != 0x3B && bytes[index] != 0x3A {
                            index += 1
                        }
                    } else {
                        let valueStart = index
                        while index < count && bytes[index] != 0x2C && bytes[index] != 0x3B && bytes[index] != 0x3A {
                            index += 1
                        }
                        values.append(String(decoding: bytes[valueStart..<index], as: UTF8.self))
                    }
                    if index < count && bytes[index] == 0x2C {
                        index += 1
                        continue
                    }
                    break
                }
            }
            parameters.append((parameterName, values))
        }
        guard index < count, bytes[index] == 0x3A else { return nil }
        let value = String(decoding: bytes[(index + 1)..<count], as: UTF8.self)
        return ContentLine(name: name, parameters: parameters, value: value, line: line)
    }

    /// A property or parameter name: spaces and tabs around it removed, ASCII letters upper-cased.
    static func upperCasedName(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let first = slice.first, first == 0x20 || first == 0x09 {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last == 0x20 || last == 0x09 {
            slice = slice.dropLast()
        }
        if !slice.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) {
            return String(decoding: slice, as: UTF8.self)
        }
        return String(decoding: slice.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
