/// The time limits of a fetch.
public struct FetchTimeout: Sendable, Equatable {
    /// The longest wait for a connection (TCP and TLS) to be set up.
    public var connect: Duration
    /// The longest the whole fetch may take: every attempt, the waits between them and every redirect. A retry that
    /// could not start before it runs out is not made.
    public var total: Duration

    /// Creates limits; by default 10 s to connect and 30 s in all.
    public init(connect: Duration = .seconds(10), total: Duration = .seconds(30)) {
        self.connect = connect
        self.total = total
    }
}
