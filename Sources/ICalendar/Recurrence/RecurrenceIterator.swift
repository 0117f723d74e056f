/// Lazily produces the wall-clock instances of a recurrence rule, in order (RFC 5545 section 3.3.10).
///
/// The first instance is DTSTART itself (it always counts, also toward COUNT); then every instance the rule yields
/// after it. The rule is evaluated one period (year, month, week, day, hour, minute or second) at a time: the days of
/// the period pass the BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY filters, are combined with the
/// BYHOUR/BYMINUTE/BYSECOND times, and BYSETPOS picks from the sorted set. Dates that do not exist (30 February)
/// never appear. UNTIL is left to the caller, who compares instants. Iteration ends at COUNT, past `horizon`, or after
/// `maxIterations` periods (then `hitIterationLimit` is set).
struct RecurrenceIterator {
    private let rule: RecurrenceRule
    private let start: LocalDateTime
    private let startSeconds: Int
    private let allDay: Bool
    private let horizon: Int
    private let maxIterations: Int
    private let byMonth: [Int]
    private let times: [Int]
    /// Bit `m` set for each BYMONTH month (0 = no filter).
    private let monthMask: UInt16
    /// Bit `d` set for each positive BYMONTHDAY, bit `-d` of `negativeMonthDayMask` for each negative one.
    private let monthDayMask: UInt32
    private let negativeMonthDayMask: UInt32
    /// Bit `w` (0 = Monday) set for each BYDAY weekday without an ordinal.
    private let plainWeekdayMask: UInt8
    /// BYDAY entries with an ordinal that applies (MONTHLY or YEARLY rules).
    private let ordinalWeekdays: [WeekdayNum]
    /// Whether ordinals count within the month (MONTHLY, or YEARLY with BYMONTH) rather than the year.
    private let ordinalsInMonth: Bool
    private var period = 0
    private var iterations = 0
    private var emitted = 0
    private var startYielded = false
    /// Whether the rule itself gave DTSTART as an instance, once its first period has been filled.
    private var startGiven = false
    private var firstPeriodFilled = false
    private var buffer: [Int] = []
    private var bufferIndex = 0
    private var finished = false
    /// Set when iteration stopped because `maxIterations` periods were examined.
    private(set) var hitIterationLimit = false

    /// Prepares iteration of `rule` from `start`; `horizon` and `skipTo` are wall-clock seconds since 1970.
    ///
    /// - Parameter skipTo: when the rule has no COUNT, periods wholly before this point are skipped without being
    ///   evaluated (instances before it may then be missing, so pass a point safely before the window).
    init(rule: RecurrenceRule, start: LocalDateTime, allDay: Bool, horizon: Int, skipTo: Int?, maxIterations: Int) {
        self.rule = rule
        self.start = start
        self.startSeconds = start.epochSeconds
        self.allDay = allDay
        self.horizon = horizon
        self.maxIterations = maxIterations
        var byMonth = rule.byMonth
        var byMonthDay = rule.byMonthDay
        var byDay = rule.byDay
        if rule.byWeekNo.isEmpty && rule.byYearDay.isEmpty && rule.byMonthDay.isEmpty && rule.byDay.isEmpty {
            switch rule.frequency {
            case .yearly:
                if byMonth.isEmpty {
                    byMonth = [start.month]
                }
                byMonthDay = [start.day]
            case .monthly:
                byMonthDay = [start.day]
            case .weekly:
                byDay = [WeekdayNum(weekday: Weekday(rawValue: Civil.weekday(ofDays: start.epochDays)) ?? .monday)]
            default:
                break
            }
        }
        self.byMonth = byMonth
        monthMask = byMonth.reduce(0) { $0 | (1 << UInt16($1)) }
        monthDayMask = byMonthDay.filter { $0 > 0 }.reduce(0) { $0 | (1 << UInt32($1)) }
        negativeMonthDayMask = byMonthDay.filter { $0 < 0 }.reduce(0) { $0 | (1 << UInt32(-$1)) }
        let ordinalsApply = rule.frequency == .monthly || rule.frequency == .yearly
        plainWeekdayMask = byDay.filter { $0.ordinal == 0 || !ordinalsApply }
            .reduce(0) { $0 | (1 << UInt8($1.weekday.rawValue)) }
        ordinalWeekdays = ordinalsApply ? byDay.filter { $0.ordinal != 0 } : []
        ordinalsInMonth = rule.frequency == .monthly || !byMonth.isEmpty
        if allDay {
            times = [0]
        } else {
            let hours = rule.frequency >= .daily && rule.byHour.isEmpty ? [start.hour] : rule.byHour
            let minutes = rule.frequency >= .hourly && rule.byMinute.isEmpty ? [start.minute] : rule.byMinute
            let seconds = rule.frequency >= .minutely && rule.bySecond.isEmpty ? [start.second] : rule.bySecond
            var combined: [Int] = []
            switch rule.frequency {
            case .secondly:
                combined = [0]
            case .minutely:
                combined = seconds
            case .hourly:
                for minute in minutes { for second in seconds { combined.append(minute * 60 + second) } }
            default:
                for hour in hours {
                    for minute in minutes {
                        for second in seconds { combined.append(hour * 3600 + minute * 60 + second) }
                    }
                }
            }
            times = Array(Set(combined)).sorted()
        }
        if rule.count == nil, let skipTo, skipTo > startSeconds {
            period = max(0, periodIndex(containing: skipTo) - 1)
        }
    }

    /// Whether DTSTART turned out not to be an instance of the rule itself (RFC 5545 section 3.8.2.4: it should be;
    /// the set is then undefined, and readers differ in how they count it): known once the iteration has gone past
    /// the period holding DTSTART, and only for rules with COUNT (the others may skip to the window).
    var startOutsideRule: Bool { rule.count != nil && firstPeriodFilled && !startGiven }

    /// The next instance as wall-clock seconds since 1970, or nil when the recurrence set is exhausted.
    mutating func next() -> Int? {
        if !startYielded {
            startYielded = true
            emitted = 1
            return startSeconds
        }
        if let count = rule.count, emitted >= count {
            return nil
        }
        while !finished {
            while bufferIndex < buffer.count {
                let candidate = buffer[bufferIndex]
                bufferIndex += 1
                if candidate == startSeconds { startGiven = true }
                if candidate > startSeconds {
                    emitted += 1
                    return candidate
                }
            }
            iterations += 1
            if iterations > maxIterations {
                hitIterationLimit = true
                finished = true
                return nil
            }
            if firstPeriodFilled == false && bufferIndex >= buffer.count && iterations > 1 { firstPeriodFilled = true }
            guard let periodStart = fillBuffer() else {
                finished = true
                return nil
            }
            if periodStart > horizon {
                finished = true
                return nil
            }
        }
        return nil
    }

    /// Fills `buffer` with the instances of the current period and advances; returns the period's first second.
    private mutating func fillBuffer() -> Int? {
        buffer.removeAll(keepingCapacity: true)
        bufferIndex = 0
        let step = period * rule.interval
        period += 1
        var periodStart: Int
        switch rule.frequency {
        case .yearly:
            let year = start.year + step
            guard year <= 9999 else { return nil }
            periodStart = Civil.days(year: year, month: 1, day: 1) * 86_400
            let months = byMonth.isEmpty ? Array(1...12) : byMonth.sorted()
            for month in months {
                let first = Civil.days(year: year, month: month, day: 1)
                addDays(first..<(first + Civil.daysInMonth(year: year, month: month)))
            }
        case .monthly:
            let monthIndex = start.year * 12 + start.month - 1 + step
            let year = monthIndex / 12
            let month = monthIndex % 12 + 1
            guard year <= 9999 else { return nil }
            let first = Civil.days(year: year, month: month, day: 1)
            periodStart = first * 86_400
            addDays(first..<(first + Civil.daysInMonth(year: year, month: month)))
        case .weekly:
            let first = firstWeekDay + step * 7
            periodStart = first * 86_400
            guard periodStart < Self.maxSeconds else { return nil }
            addDays(first..<(first + 7))
        case .daily:
            let day = start.epochDays + step
            periodStart = day * 86_400
            guard periodStart < Self.maxSeconds else { return nil }
            addDays(day..<(day + 1))
        case .hourly, .minutely, .secondly:
            let unit = rule.frequency == .hourly ? 3600 : rule.frequency == .minutely ? 60 : 1
            periodStart = (startSeconds / unit + step) * unit
            guard periodStart < Self.maxSeconds else { return nil }
            addSubDay(periodStart, unit: unit)
        }
        if !rule.bySetPos.isEmpty && !buffer.isEmpty {
            let all = buffer
            var picked: Set<Int> = []
            for position in rule.bySetPos {
                let index = position > 0 ? position - 1 : all.count + position
                if index >= 0 && index < all.count {
                    picked.insert(all[index])
                }
            }
            buffer = picked.sorted()
        }
        return periodStart
    }

    /// The latest second that may be produced (the end of year 9999).
    private static let maxSeconds = Civil.days(year: 10_000, month: 1, day: 1) * 86_400

    /// The first day (days since 1970) of the week containing DTSTART, weeks starting on WKST.
    private var firstWeekDay: Int {
        let days = start.epochDays
        return days - (Civil.weekday(ofDays: days) - rule.weekStart.rawValue + 7) % 7
    }

    /// The index of the period that contains wall-clock second `seconds`, counted in INTERVAL steps.
    private func periodIndex(containing seconds: Int) -> Int {
        let target = LocalDateTime(epochSeconds: seconds)
        let units: Int
        switch rule.frequency {
        case .yearly: units = target.year - start.year
        case .monthly: units = (target.year * 12 + target.month) - (start.year * 12 + start.month)
        case .weekly: units = (target.epochDays - firstWeekDay) / 7
        case .daily: units = target.epochDays - start.epochDays
        case .hourly: units = seconds / 3600 - startSeconds / 3600
        case .minutely: units = seconds / 60 - startSeconds / 60
        case .secondly: units = seconds - startSeconds
        }
        return units / rule.interval
    }

    /// Appends day × time instances for the days in `range` that pass the day filters.
    private mutating func addDays(_ range: Range<Int>) {
        for day in range where dayMatches(day) {
            for time in times {
                buffer.append(day * 86_400 + time)
            }
        }
    }

    /// Appends the instances of one hour, minute or second period that pass every filter.
    private mutating func addSubDay(_ periodStart: Int, unit: Int) {
        let day = periodStart >= 0 ? periodStart / 86_400 : -((-periodStart + 86_399) / 86_400)
        let secondOfDay = periodStart - day * 86_400
        let hour = secondOfDay / 3600
        let minute = secondOfDay / 60 % 60
        guard dayMatches(day), rule.byHour.isEmpty || rule.byHour.contains(hour) else { return }
        if unit <= 60 && !rule.byMinute.isEmpty && !rule.byMinute.contains(minute) {
            return
        }
        if unit == 1 {
            if rule.bySecond.isEmpty || rule.bySecond.contains(secondOfDay % 60) {
                buffer.append(periodStart)
            }
            return
        }
        for time in times {
            buffer.append(periodStart + time)
        }
    }

    /// Whether a day passes BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY and BYDAY.
    private func dayMatches(_ days: Int) -> Bool {
        let (year, month, day) = Civil.date(fromDays: days)
        if monthMask != 0 && monthMask & (1 << UInt16(month)) == 0 {
            return false
        }
        if monthDayMask != 0 || negativeMonthDayMask != 0 {
            let fromEnd = Civil.daysInMonth(year: year, month: month) - day + 1
            if monthDayMask & (1 << UInt32(day)) == 0 && negativeMonthDayMask & (1 << UInt32(fromEnd)) == 0 {
                return false
            }
        }
        if plainWeekdayMask != 0 || !ordinalWeekdays.isEmpty {
            let weekday = Civil.weekday(ofDays: days)
            if plainWeekdayMask & (1 << UInt8(weekday)) == 0 && !ordinalMatches(days, weekday, year, month, day) {
                return false
            }
        }
        if !rule.byYearDay.isEmpty {
            let yearDay = days - Civil.days(year: year, month: 1, day: 1) + 1
            let length = Civil.daysInYear(year)
            if !rule.byYearDay.contains(where: { $0 > 0 ? $0 == yearDay : length + $0 + 1 == yearDay }) {
                return false
            }
        }
        if !rule.byWeekNo.isEmpty && !weekNumberMatches(days, year: year) {
            return false
        }
        return true
    }

    /// Whether the day is the n-th (or n-th from last) of its weekday in its month or year, as a BYDAY entry asks.
    private func ordinalMatches(_ days: Int, _ weekday: Int, _ year: Int, _ month: Int, _ day: Int) -> Bool {
        let position: Int
        let length: Int
        if ordinalsInMonth {
            position = day
            length = Civil.daysInMonth(year: year, month: month)
        } else {
            position = days - Civil.days(year: year, month: 1, day: 1) + 1
            length = Civil.daysInYear(year)
        }
        let forward = (position - 1) / 7 + 1
        let backward = -((length - position) / 7 + 1)
        return ordinalWeekdays.contains {
            $0.weekday.rawValue == weekday && ($0.ordinal == forward || $0.ordinal == backward)
        }
    }

    /// Whether the day's week number (weeks start on WKST; week 1 has at least four days of its year) is in BYWEEKNO.
    private func weekNumberMatches(_ days: Int, year: Int) -> Bool {
        var weekYear = year
        var firstWeek = firstWeekStart(year)
        if days < firstWeek {
            weekYear = year - 1
            firstWeek = firstWeekStart(weekYear)
        } else {
            let nextFirst = firstWeekStart(year + 1)
            if days >= nextFirst {
                weekYear = year + 1
                firstWeek = nextFirst
            }
        }
        let week = (days - firstWeek) / 7 + 1
        let weeks = (firstWeekStart(weekYear + 1) - firstWeek) / 7
        return rule.byWeekNo.contains { $0 > 0 ? $0 == week : weeks + $0 + 1 == week }
    }

    /// The first day of week 1 of `year`.
    private func firstWeekStart(_ year: Int) -> Int {
        let januaryFirst = Civil.days(year: year, month: 1, day: 1)
        let back = (Civil.weekday(ofDays: januaryFirst) - rule.weekStart.rawValue + 7) % 7
        let weekStart = januaryFirst - back
        return 7 - back >= 4 ? weekStart : weekStart + 7
    }
}
