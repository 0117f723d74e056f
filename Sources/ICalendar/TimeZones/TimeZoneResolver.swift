import Foundation

/// Turns TZID parameter values into zone rules for one calendar, remembering what it found.
///
/// Order: UTC names; an IANA identifier Foundation knows; a Windows name (CLDR windowsZones); the IANA suffix of a
/// prefixed identifier such as `/mozilla.org/20050126_1/Europe/Stockholm`; the calendar's own VTIMEZONE; and last the
/// default zone, which is reported once per TZID.
struct TimeZoneResolver {
    /// The zone for floating times, DATE values and unknown TZIDs.
    let defaultZone: ZoneRules
    /// Zones built from the calendar's VTIMEZONE components, by TZID.
    var customZones: [String: CustomTimeZone] = [:]
    private var cache: [String: ZoneRules] = [:]
    /// Problems met, for the document.
    var problems: [ICalendarProblem] = []

    /// Creates a resolver with `defaultZone` as the fallback.
    init(defaultZone: TimeZone) {
        self.defaultZone = .foundation(defaultZone)
    }

    /// The zone for `tzid`, reporting an unknown TZID at `line` the first time it is seen.
    mutating func zone(for tzid: String, line: Int) -> ZoneRules {
        if let cached = cache[tzid] {
            return cached
        }
        let zone: ZoneRules
        if let known = Self.knownZone(tzid) {
            zone = known
        } else if let custom = customZones[tzid] {
            zone = .custom(custom)
        } else {
            problems.append(
                ICalendarProblem(
                    line: line,
                    message:
                        "unknown TZID \"\(tzid)\" (no IANA or Windows name, no VTIMEZONE); read in the default zone"))
            zone = defaultZone
        }
        cache[tzid] = zone
        return zone
    }

    /// The zone for a TZID that names a zone without help from the calendar, or nil.
    static func knownZone(_ tzid: String) -> ZoneRules? {
        let name = tzid.trimmingSpaces().trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        switch name.uppercased() {
        case "UTC", "Z", "GMT", "ETC/UTC", "ETC/GMT", "UNIVERSAL", "ZULU":
            return .utc
        default:
            break
        }
        if name.contains("/"), let zone = TimeZone(identifier: name) {
            return .foundation(zone)
        }
        if let iana = WindowsZones.iana(for: name), let zone = TimeZone(identifier: iana) {
            return .foundation(zone)
        }
        if !name.isEmpty, let zone = TimeZone(identifier: name) {
            return .foundation(zone)
        }
        let parts = name.split(separator: "/")
        if parts.count > 2 {
            for length in [3, 2] where parts.count > length {
                let suffix = parts.suffix(length).joined(separator: "/")
                if let zone = TimeZone(identifier: suffix) {
                    return .foundation(zone)
                }
            }
        }
        return nil
    }
}
