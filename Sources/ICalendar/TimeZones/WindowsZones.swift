/// Windows time zone names as Outlook and Exchange write them in TZID, mapped to IANA identifiers.
///
/// The entries follow the "001" (default territory) rows of CLDR's `common/supplemental/windowsZones.xml`, plus a few
/// names seen in real feeds (Teams writes "W. European Standard Time").
enum WindowsZones {
    /// Windows name (lower-cased) to IANA identifier.
    static let ianaByName: [String: String] = {
        var table: [String: String] = [:]
        for (windows, iana) in entries {
            table[windows.lowercased()] = iana
        }
        return table
    }()

    /// The IANA identifier for a Windows zone name, ignoring case and a trailing " 1"-style suffix.
    static func iana(for name: String) -> String? {
        let key = name.lowercased().trimmingSpaces()
        if let iana = ianaByName[key] {
            return iana
        }
        var trimmed = Substring(key)
        while let last = trimmed.last, last.isNumber {
            trimmed.removeLast()
        }
        guard trimmed.count < key.count else { return nil }
        return ianaByName[String(trimmed).trimmingSpaces()]
    }

    private static let entries: [(String, String)] = [
        ("Dateline Standard Time", "Etc/GMT+12"),
        ("UTC-11", "Etc/GMT+11"),
        ("Hawaiian Standard Time", "Pacific/Honolulu"),
        ("Alaskan Standard Time", "America/Anchorage"),
        ("Pacific Standard Time (Mexico)", "America/Tijuana"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("US Mountain Standard Time", "America/Phoenix"),
        ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
        ("Mountain Standard Time", "America/Denver"),
        ("Central America Standard Time", "America/Guatemala"),
        ("Central Standard Time", "America/Chicago"),
        ("Central Standard Time (Mexico)", "America/Mexico_City"),
        ("Canada Central Standard Time", "America/Regina"),
        ("SA Pacific Standard Time", "America/Bogota"),
        ("Eastern Standard Time", "America/New_York"),
        ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
        ("Venezuela Standard Time", "America/Caracas"),
        ("Atlantic Standard Time", "America/Halifax"),
        ("SA Western Standard Time", "America/La_Paz"),
        ("Pacific SA Standard Time", "America/Santiago"),
        ("Newfoundland Standard Time", "America/St_Johns"),
        ("E. South America Standard Time", "America/Sao_Paulo"),
        ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
        ("SA Eastern Standard Time", "America/Cayenne"),
        ("Greenland Standard Time", "America/Godthab"),
        ("UTC-02", "Etc/GMT+2"),
        ("Azores Standard Time", "Atlantic/Azores"),
        ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
        ("UTC", "Etc/UTC"),
        ("Coordinated Universal Time", "Etc/UTC"),
        ("GMT Standard Time", "Europe/London"),
        ("Greenwich Standard Time", "Atlantic/Reykjavik"),
        ("Morocco Standard Time", "Africa/Casablanca"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("W. European Standard Time", "Europe/Berlin"),
        ("Central Europe Standard Time", "Europe/Budapest"),
        ("Romance Standard Time", "Europe/Paris"),
        ("Central European Standard Time", "Europe/Warsaw"),
        ("W. Central Africa Standard Time", "Africa/Lagos"),
        ("GTB Standard Time", "Europe/Bucharest"),
        ("E. Europe Standard Time", "Europe/Chisinau"),
        ("FLE Standard Time", "Europe/Kiev"),
        ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
        ("Egypt Standard Time", "Africa/Cairo"),
        ("South Africa Standard Time", "Africa/Johannesburg"),
        ("Israel Standard Time", "Asia/Jerusalem"),
        ("Jordan Standard Time", "Asia/Amman"),
        ("Middle East Standard Time", "Asia/Beirut"),
        ("Turkey Standard Time", "Europe/Istanbul"),
        ("Arabic Standard Time", "Asia/Baghdad"),
        ("Arab Standard Time", "Asia/Riyadh"),
        ("Russian Standard Time", "Europe/Moscow"),
        ("E. Africa Standard Time", "Africa/Nairobi"),
        ("Iran Standard Time", "Asia/Tehran"),
        ("Arabian Standard Time", "Asia/Dubai"),
        ("Azerbaijan Standard Time", "Asia/Baku"),
        ("Georgian Standard Time", "Asia/Tbilisi"),
        ("Caucasus Standard Time", "Asia/Yerevan"),
        ("Afghanistan Standard Time", "Asia/Kabul"),
        ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
        ("West Asia Standard Time", "Asia/Tashkent"),
        ("Pakistan Standard Time", "Asia/Karachi"),
        ("India Standard Time", "Asia/Kolkata"),
        ("Sri Lanka Standard Time", "Asia/Colombo"),
        ("Nepal Standard Time", "Asia/Kathmandu"),
        ("Central Asia Standard Time", "Asia/Almaty"),
        ("Bangladesh Standard Time", "Asia/Dhaka"),
        ("Myanmar Standard Time", "Asia/Yangon"),
        ("SE Asia Standard Time", "Asia/Bangkok"),
        ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
        ("North Asia Standard Time", "Asia/Krasnoyarsk"),
        ("China Standard Time", "Asia/Shanghai"),
        ("North Asia East Standard Time", "Asia/Irkutsk"),
        ("Singapore Standard Time", "Asia/Singapore"),
        ("W. Australia Standard Time", "Australia/Perth"),
        ("Taipei Standard Time", "Asia/Taipei"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("Korea Standard Time", "Asia/Seoul"),
        ("Yakutsk Standard Time", "Asia/Yakutsk"),
        ("Cen. Australia Standard Time", "Australia/Adelaide"),
        ("AUS Central Standard Time", "Australia/Darwin"),
        ("E. Australia Standard Time", "Australia/Brisbane"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("West Pacific Standard Time", "Pacific/Port_Moresby"),
        ("Tasmania Standard Time", "Australia/Hobart"),
        ("Vladivostok Standard Time", "Asia/Vladivostok"),
        ("New Zealand Standard Time", "Pacific/Auckland"),
        ("Fiji Standard Time", "Pacific/Fiji"),
        ("Tonga Standard Time", "Pacific/Tongatapu"),
        ("Samoa Standard Time", "Pacific/Apia"),
    ]
}
