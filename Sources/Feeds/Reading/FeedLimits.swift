/// Bounds that keep a hostile or broken document from exhausting memory.
public struct FeedLimits: Sendable, Equatable {
    /// The largest document accepted, in bytes (default 64 MiB).
    public var maximumBytes: Int
    /// The most items kept; later ones are dropped with a problem report (default 20,000).
    public var maximumItems: Int
    /// The longest text kept for one element, in UTF-8 bytes; longer text is cut with a problem report (default 4 MiB).
    public var maximumFieldBytes: Int

    /// Creates limits; the defaults suit any real feed.
    public init(maximumBytes: Int = 64 << 20, maximumItems: Int = 20_000, maximumFieldBytes: Int = 4 << 20) {
        self.maximumBytes = maximumBytes
        self.maximumItems = maximumItems
        self.maximumFieldBytes = maximumFieldBytes
    }
}
