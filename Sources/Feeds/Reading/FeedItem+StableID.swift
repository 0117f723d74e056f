extension FeedItem {
    /// A stable identifier for deduplication across runs and platforms.
    ///
    /// The item's `id` when it has a non-blank one, else its link, else `"fnv1a:"` followed by the 16-hex-digit
    /// FNV-1a 64 hash of `source`, a U+001F separator and the title (UTF-8); an item without title adds a second
    /// separator and its summary (or content), so that untitled items are not taken for one another.
    public func stableID(source: String) -> String {
        if let id, !id.trimmedWhitespace.isEmpty { return id }
        if let link { return link.absoluteString }
        guard title.isEmpty else { return "fnv1a:" + Self.fnv1a64Hex(source + "\u{1F}" + title) }
        return "fnv1a:" + Self.fnv1a64Hex(source + "\u{1F}\u{1F}" + (summaryHTML ?? contentHTML ?? ""))
    }

    /// The FNV-1a 64-bit hash of the UTF-8 bytes of `text`, as 16 lower-case hex digits.
    public static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// A stable identifier for `item` from `source` (see `FeedItem.stableID(source:)`).
public func stableID(for item: FeedItem, source: String) -> String {
    item.stableID(source: source)
}
