import DigestSupport
import Foundation

/// Splits iCalendar bytes into unfolded content lines (RFC 5545 section 3.1).
///
/// Unfolding works on bytes before UTF-8 decoding, so a fold that splits a multi-byte character is joined back
/// correctly. CRLF and bare LF line ends are accepted, and a leading UTF-8 byte order mark is skipped.
enum ContentLineReader {
    /// Returns the content lines of `bytes` and the lines that could not be read (`line N: reason`).
    ///
    /// A large calendar is cut into pieces that each hold whole logical lines, read on every core, and joined in
    /// order; the result is the same as one pass. `pieces` overrides how many (64 from 1 MiB, else 1), for tests.
    static func read(_ bytes: [UInt8], pieces: Int? = nil) -> (lines: [ContentLine], problems: [ICalendarProblem]) {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            start = 3
        }
        let starts = pieceStarts(of: bytes, from: start, count: pieces ?? (bytes.count >= 1 << 20 ? 64 : 1))
        let read = Parallel.map(
            count: starts.count, minimumPerWorker: 1, state: {},
            transform: { _, piece in
                readPiece(bytes, from: starts[piece], to: piece + 1 < starts.count ? starts[piece + 1] : bytes.count)
            })
        guard read.count > 1 else { return (read.first?.lines ?? [], read.first?.problems ?? []) }
        var lines: [ContentLine] = []
        lines.reserveCapacity(read.reduce(0) { $0 + $1.lines.count })
        var problems: [ICalendarProblem] = []
        var linesBefore = 0  // the physical lines of the pieces before
        for piece in read {
            let first = lines.count
            lines += piece.lines
            for index in first..<lines.count { lines[index].line += linesBefore }
            problems += piece.problems.map { ICalendarProblem(line: $0.line + linesBefore, message: $0.message) }
            linesBefore += piece.physicalLines
        }
        return (lines, problems)
    }

    /// Where each of about `count` pieces of `bytes[start...]` begins: the first at `start`, each other just after a
    /// line feed whose next line is not a continuation (it starts with neither space nor tab), so no logical line
    /// spans two pieces.
    static func pieceStarts(of bytes: [UInt8], from start: Int, count: Int) -> [Int] {
        var starts = [start]
        let length = (bytes.count - start) / max(1, count)
        guard count > 1, length > 0 else { return starts }
        var position = start + length
        while position < bytes.count {
            // The first line feed at or after `position` that ends a logical line.
            while position < bytes.count
                && !(bytes[position - 1] == 0x0A && bytes[position] != 0x20 && bytes[position] != 0x09)
            {
                position += 1
            }
            guard position < bytes.count else { break }
            starts.append(position)
            position += length
        }
        return starts
    }

    /// The content lines of `bytes[from..<to]` (whole logical lines), numbered from 1, the problems, and how many
    /// physical lines the piece holds.
    private static func readPiece(
        _ bytes: [UInt8], from start: Int, to count: Int
    ) -> (lines: [ContentLine], problems: [ICalendarProblem], physicalLines: Int) {
        var lines: [ContentLine] = []
        var problems: [ICalendarProblem] = []
        var index = start
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
        return (lines, problems, physicalLine - 1)
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
