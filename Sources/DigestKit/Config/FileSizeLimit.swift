/// The most bytes a hand-written file (config, topics, strings, a subscriber file) may have before it is refused
/// unread, and the config key that sets it, named in the error.
public struct FileSizeLimit: Sendable, Equatable {
    /// The most bytes read.
    public var bytes: Int
    /// The config key that raises the limit, if one does.
    public var key: String?

    /// A limit of `bytes`, set by `key`.
    public init(bytes: Int, key: String? = nil) {
        self.bytes = bytes
        self.key = key
    }

    /// For the config, topics and strings files: 8 MiB, far above any real one.
    public static let `default` = FileSizeLimit(bytes: 8 << 20)

    /// For subscriber files: `subscribers.maxFileBytes`, 1 MiB unless set.
    public static func subscriberFiles(_ bytes: Int = 1 << 20) -> FileSizeLimit {
        FileSizeLimit(bytes: bytes, key: "subscribers.maxFileBytes")
    }
}
