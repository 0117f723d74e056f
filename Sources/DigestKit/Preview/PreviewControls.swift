/// The forms a preview page shows when it is served (`digest preview --serve`) rather than written to a folder: the
/// "refetch" button on the index and the "send me a test" form on each subscriber's page.
public struct PreviewControls: Sendable {
    /// A message shown at the top of the page after an action.
    public struct Notice: Sendable {
        /// The text (escaped when shown).
        public var text: String
        /// Whether it reports a failure.
        public var isError: Bool

        /// A notice.
        public init(text: String, isError: Bool) {
            self.text = text
            self.isError = isError
        }
    }

    /// The per-session token every form carries, checked on each POST.
    public var token: String
    /// The address typed last, filled into the form again.
    public var address: String
    /// The outcome of the last action, if any.
    public var notice: Notice?

    /// Controls that post `token`.
    public init(token: String, address: String = "", notice: Notice? = nil) {
        self.token = token
        self.address = address
        self.notice = notice
    }
}
