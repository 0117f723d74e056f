/// A template field whose value depends on the reader: the one door through which reader data reaches a digest.
///
/// The context an outline is rendered from has a placeholder at ``templateName`` for every case, always, and
/// ``ReaderValues`` fills them in for each reader; nothing else in that context can see the reader. A new per-reader
/// template field is a new case here (the switch in ``ReaderValues`` then asks for its value).
enum ReaderField: Int, CaseIterable, Sendable {
    case name, email, greeting, unsubscribeURL, preferencesURL, unsubscribeMailto, subject

    /// The object the field is in (`subscriber` or `footer`), or `nil` for a top-level field.
    var object: String? {
        switch self {
        case .name, .email, .greeting: "subscriber"
        case .unsubscribeURL, .preferencesURL, .unsubscribeMailto: "footer"
        case .subject: nil
        }
    }

    /// The field's name in its object.
    var key: String { String(describing: self) }

    /// The name templates use: `subscriber.name`, `footer.unsubscribeURL`, `subject`, …
    var templateName: String { object.map { "\($0).\(key)" } ?? key }

    /// The placeholder that stands for the field in an outline (item partials use the numbers from 0 up).
    var placeholder: Int { -1 - rawValue }

    /// The field placeholder `placeholder` stands for, if it stands for one.
    init?(placeholder: Int) {
        self.init(rawValue: -1 - placeholder)
    }
}
