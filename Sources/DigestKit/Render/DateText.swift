import Foundation

/// Dates and times written the way the reader's language writes them ("tisdag 8 december kl. 09.00–11.30",
/// "Tuesday 8 December, 09:00–11:30"), from the strings file, so output does not depend on the machine's locale.
public struct DateText: Sendable {
    /// The words to use.
    public var strings: Strings
    /// The calendar (ISO 8601 weeks) in the newsletter's time zone.
    public var calendar: Calendar

    /// Date text in `strings`' language, in `timeZone`.
    public init(strings: Strings, timeZone: TimeZone) {
        self.strings = strings
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        self.calendar = calendar
    }

    /// "tisdag 8 december" / "Tuesday 8 December".
    public func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.weekday, .day, .month], from: date)
        let weekday = strings.weekdays[((parts.weekday ?? 2) + 5) % 7]
        let month = strings.months[(parts.month ?? 1) - 1]
        return "\(weekday) \(parts.day ?? 1) \(month)"
    }

    /// "8 december 2026" / "8 December 2026".
    public func date(_ date: Date) -> String {
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        return "\(parts.day ?? 1) \(strings.months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
    }

    /// "09.00" / "09:00".
    public func time(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        return (hour < 10 ? "0" : "") + "\(hour)" + strings["timeSeparator"] + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// When an event takes place, from start to end, as compactly as the two allow.
    public func span(start: Date, end: Date?, allDay: Bool) -> String {
        let prefix = strings["timePrefix"]
        if allDay {
            // DTEND is exclusive: the last day is the day before.
            let last = end.flatMap { calendar.date(byAdding: .day, value: -1, to: $0) } ?? start
            if last <= start || calendar.isDate(last, inSameDayAs: start) { return day(start) }
            return "\(day(start)) – \(day(last))"
        }
        guard let end, end > start else { return "\(day(start)) \(prefix)\(time(start))" }
        if calendar.isDate(end, inSameDayAs: start) {
            return "\(day(start)) \(prefix)\(time(start))–\(time(end))"
        }
        return "\(day(start)) \(prefix)\(time(start)) – \(day(end)) \(prefix)\(time(end))"
    }

    /// A deadline: the date, and when the source gave one the time ("20 januari 2027 kl. 14.00", "20 January 2027,
    /// 14:00", from the strings' `deadlineAt`).
    public func deadline(_ date: Date, hasTime: Bool) -> String {
        guard hasTime else { return self.date(date) }
        return Strings.filling(
            Strings.filling(strings["deadlineAt"], "{date}", with: self.date(date)), "{time}", with: time(date))
    }

    /// A deadline remembered without its precision (from what a reader was sent): the time unless it is the end or
    /// the start of the day.
    public func rememberedDeadline(_ date: Date) -> String {
        deadline(date, hasTime: !isBareDay(date))
    }

    /// Whether `date` is the end (23:59) or the start (00:00) of its day, as a deadline without a time is kept.
    private func isBareDay(_ date: Date) -> Bool {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour == 23 && parts.minute == 59) || (parts.hour == 0 && parts.minute == 0)
    }

    /// A deadline's change, as short as the two allow: "10 → 17 december 2026" (two bare days of the same month),
    /// else both in full; `none` stands for a missing one. The earlier deadline is remembered without precision.
    public func deadlineChange(from before: Date?, to after: Date?, afterHasTime: Bool, none: String) -> String {
        guard let before, let after else {
            return
                "\(before.map(rememberedDeadline) ?? none) → \(after.map { deadline($0, hasTime: afterHasTime) } ?? none)"
        }
        let was = calendar.dateComponents([.day, .month, .year], from: before)
        let now = calendar.dateComponents([.day, .month, .year], from: after)
        if isBareDay(before) && !afterHasTime && was.month == now.month && was.year == now.year {
            return "\(was.day ?? 1) → \(date(after))"
        }
        return "\(rememberedDeadline(before)) → \(deadline(after, hasTime: afterHasTime))"
    }

    /// A recurring event's occurrences in one line: "varje torsdag 13.00–15.00: 3, 10 och 17 december", then
    /// the moved and cancelled ones ("även fredag 18 december kl. 14.00–16.00; inställt 24 december").
    public func series(_ series: EventSeries, allDay: Bool) -> String {
        guard let first = series.starts.first else { return "" }
        let sameWeekday = series.starts.allSatisfy {
            calendar.component(.weekday, from: $0) == calendar.component(.weekday, from: first)
        }
        var time = ""
        if !allDay {
            let end = series.duration.map { first.addingTimeInterval($0) }
            time = self.time(first)
            if let end, end > first, calendar.isDate(end, inSameDayAs: first) { time += "–" + self.time(end) }
        }
        let weekday = strings.weekdays[(calendar.component(.weekday, from: first) + 5) % 7]
        var text = Strings.filling(
            Strings.filling(
                Strings.filling(strings[sameWeekday ? "seriesWeekly" : "seriesDays"], "{weekday}", with: weekday),
                "{time}", with: time),
            "{dates}", with: days(series.starts)
        )
        // Without a time (all-day occurrences) the pattern's "{time}" leaves a gap.
        text = text.replacingOccurrences(of: "  ", with: " ").replacingOccurrences(of: " :", with: ":")
        if text.hasPrefix(": ") { text.removeFirst(2) }
        var notes: [String] = []
        for moved in series.moved {
            notes.append(
                Strings.filling(
                    strings["seriesAlso"], "{when}", with: span(start: moved.start, end: moved.end, allDay: allDay)))
        }
        if !series.cancelled.isEmpty {
            notes.append(Strings.filling(strings["seriesCancelled"], "{dates}", with: days(series.cancelled)))
        }
        if !notes.isEmpty { text += " (" + notes.joined(separator: "; ") + ")" }
        return text
    }

    /// Days as a list that names each month once: "26 november, 3 och 10 december".
    func days(_ dates: [Date]) -> String {
        var tokens: [String] = []
        for (index, date) in dates.enumerated() {
            let parts = calendar.dateComponents([.day, .month, .year], from: date)
            let next = index + 1 < dates.count ? calendar.dateComponents([.month, .year], from: dates[index + 1]) : nil
            let month = strings.months[(parts.month ?? 1) - 1]
            let lastOfMonth = next.map { $0.month != parts.month || $0.year != parts.year } ?? true
            tokens.append(lastOfMonth ? "\(parts.day ?? 1) \(month)" : "\(parts.day ?? 1)")
        }
        return list(tokens)
    }

    /// `names` as a sentence lists them: "A", "A och B", "A, B och C".
    public func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + strings["listAnd"] + names[names.count - 1]
    }

    /// Whole calendar days from `now`'s date to `date`'s date (0 on the same day).
    public func daysBetween(_ now: Date, _ date: Date) -> Int {
        let from = calendar.startOfDay(for: now)
        let to = calendar.startOfDay(for: date)
        return calendar.dateComponents([.day], from: from, to: to).day ?? 0
    }

    /// The ISO 8601 week number and its year.
    public func week(_ date: Date) -> (week: Int, year: Int) {
        let parts = calendar.dateComponents([.weekOfYear, .yearForWeekOfYear], from: date)
        return (parts.weekOfYear ?? 1, parts.yearForWeekOfYear ?? 1970)
    }
}
