import Foundation

/// Why a subscriber file was not changed. The file is then exactly as it was.
public struct SubscriberEditError: Error, CustomStringConvertible, Sendable {
    /// The file concerned, as displayed (relative to the config's folder where possible).
    public var path: String
    /// What went wrong and what to do about it.
    public var message: String
    /// The problems the edited file would have had, or the problems the file already has; each located.
    public var diagnostics: [Diagnostic]

    /// An error about `path`, with the problems behind it if any.
    public init(path: String, message: String, diagnostics: [Diagnostic] = []) {
        self.path = path
        self.message = message
        self.diagnostics = diagnostics
    }

    /// `path: message`, then one diagnostic a line.
    public var description: String {
        ([path + ": " + message] + diagnostics.map(\.description)).joined(separator: "\n")
    }
}
