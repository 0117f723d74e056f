/// The time limits of one fetch attempt.
public struct FetchTimeout: Sendable, Equatable {
    /// The longest wait for the connection (TCP and TLS) to be set up.
    public var connect: Duration
    /// The longest the whole attempt may take, redirects included.
    public var total: Duration

    /// Creates limits; by default 10 s to connect and 30 s in all.
    public init(connect: Duration = .seconds(10), total: Duration = .seconds(30)) {
        self.connect = connect
        self.total = total
    }
}
