extension String {
    /// The string without leading and trailing whitespace (Unicode White_Space, so newlines and no-break spaces too).
    ///
    /// Works on Unicode scalars: Foundation's `trimmingCharacters(in:)` walks UTF-16 on Linux and is far slower on
    /// long feed fields.
    public var trimmedWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }
}
