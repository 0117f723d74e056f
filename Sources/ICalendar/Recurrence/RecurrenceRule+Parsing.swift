extension RecurrenceRule {
    /// Reads an RRULE value such as `FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T235959Z`.
    ///
    /// A floating or DATE UNTIL is read in `zone` (the zone of DTSTART). Extension parts (`X-…`) are ignored; any
    /// other unknown part is an error.
    /// - Returns: the rule, or a message naming the part that is wrong.
    static func parse(_ text: String, zone: ZoneRules) -> Result<RecurrenceRule, RuleError> {
        var frequency: Frequency?
        var rule = RecurrenceRule(frequency: .daily)
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { return .failure(RuleError(message: "empty RRULE")) }
        for part in trimmed.split(separator: ";", omittingEmptySubsequences: true) {
            guard let equals = part.firstIndex(of: "=") else {
                return .failure(RuleError(message: "rule part \"\(part)\" has no '='"))
            }
            let name = part[..<equals].uppercased().trimmingSpaces()
            let value = part[part.index(after: equals)...]
            func numbers(_ range: ClosedRange<Int>, allowNegative: Bool) -> [Int]? {
                var result: [Int] = []
                for item in value.split(separator: ",") {
                    guard let number = Int(item.trimmingSpaces()) else { return nil }
                    let magnitude = abs(number)
                    guard range.contains(magnitude), allowNegative || number >= 0, number != 0 || range.lowerBound == 0
                    else { return nil }
                    result.append(number)
                }
                return result.isEmpty ? nil : result
            }
            let bad = RuleError(message: "invalid \(name) value \"\(value)\"")
            switch name {
            case "FREQ":
                switch value.uppercased() {
                case "SECONDLY": frequency = .secondly
                case "MINUTELY": frequency = .minutely
                case "HOURLY": frequency = .hourly
                case "DAILY": frequency = .daily
                case "WEEKLY": frequency = .weekly
                case "MONTHLY": frequency = .monthly
                case "YEARLY": frequency = .yearly
                default: return .failure(bad)
                }
            case "INTERVAL":
                guard let number = Int(value), number >= 1, number <= 100_000 else { return .failure(bad) }
                rule.interval = number
            case "COUNT":
                guard let number = Int(value), number >= 1 else { return .failure(bad) }
                rule.count = number
            case "UNTIL":
                guard let parsed = DateParsing.parse(value) else { return .failure(bad) }
                let form: DateValue.Form = parsed.isDate ? .date : parsed.isUTC ? .utc : .floating
                rule.until = DateValue(local: parsed.local, form: form, zone: parsed.isUTC ? .utc : zone)
            case "BYSECOND":
                guard let list = numbers(0...60, allowNegative: false) else { return .failure(bad) }
                rule.bySecond = list
            case "BYMINUTE":
                guard let list = numbers(0...59, allowNegative: false) else { return .failure(bad) }
                rule.byMinute = list
            case "BYHOUR":
                guard let list = numbers(0...23, allowNegative: false) else { return .failure(bad) }
                rule.byHour = list
            case "BYMONTHDAY":
                guard let list = numbers(1...31, allowNegative: true) else { return .failure(bad) }
                rule.byMonthDay = list
            case "BYYEARDAY":
                guard let list = numbers(1...366, allowNegative: true) else { return .failure(bad) }
                rule.byYearDay = list
            case "BYWEEKNO":
                guard let list = numbers(1...53, allowNegative: true) else { return .failure(bad) }
                rule.byWeekNo = list
            case "BYMONTH":
                guard let list = numbers(1...12, allowNegative: false) else { return .failure(bad) }
                rule.byMonth = list
            case "BYSETPOS":
                guard let list = numbers(1...366, allowNegative: true) else { return .failure(bad) }
                rule.bySetPos = list
            case "BYDAY":
                var list: [WeekdayNum] = []
                for item in value.split(separator: ",") {
                    let entry = item.trimmingSpaces()
                    guard entry.count >= 2, let weekday = Weekday(code: entry.suffix(2)) else { return .failure(bad) }
                    let prefix = entry.dropLast(2)
                    var ordinal = 0
                    if !prefix.isEmpty {
                        guard let number = Int(prefix), number != 0, abs(number) <= 53 else { return .failure(bad) }
                        ordinal = number
                    }
                    list.append(WeekdayNum(ordinal: ordinal, weekday: weekday))
                }
                guard !list.isEmpty else { return .failure(bad) }
                rule.byDay = list
            case "WKST":
                guard let weekday = Weekday(code: value) else { return .failure(bad) }
                rule.weekStart = weekday
            default:
                // RFC 5545 section 3.3.10 allows extension parts named X-…; any other name is a mistake (UNTL=…).
                guard name.hasPrefix("X-") else {
                    return .failure(RuleError(message: "unknown rule part \"\(part)\""))
                }
                continue
            }
        }
        guard let frequency else { return .failure(RuleError(message: "RRULE \"\(trimmed)\" has no FREQ")) }
        rule.frequency = frequency
        return .success(rule)
    }

    /// Why an RRULE could not be read.
    struct RuleError: Error {
        /// What is wrong, naming the rule part.
        var message: String
    }
}
