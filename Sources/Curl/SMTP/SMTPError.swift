/// An SMTP configuration that cannot be used, or a transport that could not start.
public struct SMTPError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong and how to fix it; never contains a password.
    public var reason: String

    /// Creates an error with a reason a person can act on.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
