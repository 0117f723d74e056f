extension CustomTimeZone {
    /// Builds a zone from a VTIMEZONE's STANDARD and DAYLIGHT observances (RFC 5545 section 3.6.5).
    ///
    /// Each observance starts at its DTSTART (local time in TZOFFSETFROM) and recurs by its RRULE and RDATEs;
    /// transitions are computed up to the year 2100. Returns nil, with a reason, when no observance is usable.
    static func build(from component: Component) -> Result<CustomTimeZone, ObservanceError> {
        var transitions: [(epoch: Int, offset: Int)] = []
        var earliest: (epoch: Int, offsetFrom: Int)?
        let horizon = Civil.days(year: 2100, month: 1, day: 1) * 86_400
        // Observances often start in 1601 or 1970; transitions before 1900 matter to no event, so skip them.
        let skipTo = Civil.days(year: 1900, month: 1, day: 1) * 86_400
        for observance in component.children where observance.name == "STANDARD" || observance.name == "DAYLIGHT" {
            guard let fromText = observance.property("TZOFFSETFROM")?.value,
                let toText = observance.property("TZOFFSETTO")?.value,
                let offsetFrom = DateParsing.parseOffset(fromText), let offsetTo = DateParsing.parseOffset(toText),
                let startText = observance.property("DTSTART")?.value,
                let start = DateParsing.parse(Substring(startText))
            else { continue }
            var onsets: [Int] = []
            if let ruleText = observance.property("RRULE")?.value,
                case .success(let rule) = RecurrenceRule.parse(ruleText, zone: .fixed(offsetFrom))
            {
                var iterator = RecurrenceIterator(
                    rule: rule, start: start.local, allDay: false, horizon: horizon, skipTo: skipTo, maxIterations: 5000
                )
                while onsets.count < 1000, let local = iterator.next() {
                    if let until = rule.until, local - offsetFrom > Int(until.date.timeIntervalSince1970) {
                        break
                    }
                    onsets.append(local)
                }
            } else {
                onsets.append(start.local.epochSeconds)
            }
            for rdate in observance.properties where rdate.name == "RDATE" {
                for item in rdate.value.split(separator: ",") {
                    if let parsed = DateParsing.parse(item) {
                        onsets.append(parsed.local.epochSeconds)
                    }
                }
            }
            for local in onsets {
                let epoch = local - offsetFrom
                transitions.append((epoch, offsetTo))
                if earliest.map({ epoch < $0.epoch }) ?? true {
                    earliest = (epoch, offsetFrom)
                }
            }
        }
        guard let earliest else {
            return .failure(ObservanceError(message: "VTIMEZONE has no usable STANDARD or DAYLIGHT observance"))
        }
        transitions.sort { $0.epoch < $1.epoch }
        return .success(
            CustomTimeZone(
                initialOffset: earliest.offsetFrom, transitionEpochs: transitions.map(\.epoch),
                offsets: transitions.map(\.offset)))
    }

    /// Why a VTIMEZONE could not be used.
    struct ObservanceError: Error {
        /// What is missing.
        var message: String
    }
}
