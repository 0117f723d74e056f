import Foundation

/// `application/x-www-form-urlencoded` bodies, as browsers and RFC 8058 one-click clients send them.
public enum FormBody {
    /// The fields of `body` in order; `+` is a space, percent escapes are decoded, malformed ones kept as written.
    public static func parse(_ body: String) -> [(name: String, value: String)] {
        body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
