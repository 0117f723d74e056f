import Foundation

/// Why the state file cannot be used. The file is never overwritten in any of these cases.
public struct StateError: Error, CustomStringConvertible, Sendable {
    /// The state file.
    public var path: String
    /// What is wrong and what to do.
    public var message: String

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
