/// Whether an `smtp://` connection must be upgraded with STARTTLS before anything else is sent.
public enum StartTLSPolicy: Sendable, Equatable {
    /// STARTTLS is required; a server that does not offer it fails the send (certificates are always verified).
    case required
    /// Plain text, with no upgrade: allowed only for a loopback host (a local relay or a test server).
    case never
}
