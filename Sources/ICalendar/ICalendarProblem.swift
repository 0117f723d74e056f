/// Something in a calendar that was skipped or guessed at, with the line where it was found.
public struct ICalendarProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line of the input where the problem was found (the `BEGIN` line for a whole component).
    public var line: Int
    /// What was wrong and what was done about it, for a person to read.
    public var message: String

    /// Creates a problem report for `line`.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
