import Feeds
import Foundation

/// What `DeadlineFinder` read from a text.
public struct DeadlineMatch: Sendable, Equatable {
    /// The first deadline the text names: the given time, or 23:59:59 local time of that day when none is given.
    public var deadline: Date?
    /// Whether the text gave a time of day for `deadline` (for example "kl. 14.00").
    public var deadlineHasTime: Bool
    /// Every deadline the text names, in text order (several for staged or cut-off calls).
    public var allDeadlines: [Date]
    /// The opening date ("Öppnar 1 februari 2027"): the given time, or 00:00 local time of that day.
    public var opens: Date?
    /// Whether the text says applications are continuous ("löpande", "rolling", "continuous").
    public var isRolling: Bool
    /// Budget phrases as written ("upp till 2 mkr", "Budget: 10 miljoner kronor"), in text order.
    public var budgetPhrases: [String]

    /// Creates a result; everything is empty by default.
    public init(
        deadline: Date? = nil, deadlineHasTime: Bool = false, allDeadlines: [Date] = [], opens: Date? = nil,
        isRolling: Bool = false, budgetPhrases: [String] = []
    ) {
        self.deadline = deadline
        self.deadlineHasTime = deadlineHasTime
        self.allDeadlines = allDeadlines
        self.opens = opens
        self.isRolling = isRolling
        self.budgetPhrases = budgetPhrases
    }
}
