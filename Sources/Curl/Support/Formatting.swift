/// Human renderings of sizes and durations for error messages.
enum Formatting {
    /// `10 MB`, `1.5 MB`, `100 KB`, `512 bytes` (binary units, at most one decimal).
    static func bytes(_ count: Int) -> String {
        func scaled(_ unit: Int, _ name: String) -> String {
            let tenths = (count * 10 + unit / 2) / unit
            let text = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
            return "\(text) \(name)"
        }
        if count >= 1024 * 1024 { return scaled(1024 * 1024, "MB") }
        if count >= 1024 { return scaled(1024, "KB") }
        return count == 1 ? "1 byte" : "\(count) bytes"
    }

    /// `10 s`, `1.5 s`, `250 ms`.
    static func duration(_ duration: Duration) -> String {
        let milliseconds = milliseconds(duration)
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        let tenths = (milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// Whole milliseconds in `duration`, rounded up so that a positive duration never becomes 0; negative gives 0
    /// and absurdly long durations are clamped (about 68 years).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int32.max) else { return Int(Int32.max) * 1000 }
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
