/// One reader's value for every ``ReaderField``: what differs between two readers of the same items.
struct ReaderValues {
    private var values: [String?]

    /// The values of `subscriber`, whose footer links are `links`, in `strings`' language; the subject is filled in
    /// once the outline gives it.
    init(subscriber: Subscriber, links: ReaderLinks, strings: Strings) {
        values = ReaderField.allCases.map { field -> String? in
            switch field {
            case .name:
                subscriber.name ?? ""
            case .email:
                subscriber.email
            case .greeting:
                subscriber.name.map { Strings.filling(strings["greeting"], "{name}", with: $0) }
                    ?? strings["greetingAnonymous"]
            case .unsubscribeURL:
                links.unsubscribeURL?.absoluteString ?? links.unsubscribeMailto
            case .preferencesURL:
                links.preferencesURL?.absoluteString
            case .unsubscribeMailto:
                links.unsubscribeMailto
            case .subject:
                ""
            }
        }
    }

    /// The fields this reader has no value for (no preferences page without a base URL): an outline leaves them out
    /// of its context, so a template's `{{#footer.preferencesURL}}` is false, and depends on which they are.
    var absentFields: [ReaderField] {
        ReaderField.allCases.filter { values[$0.rawValue] == nil }
    }

    /// The value of `field` (empty when absent).
    subscript(_ field: ReaderField) -> String {
        get { values[field.rawValue] ?? "" }
        set { values[field.rawValue] = newValue }
    }
}
