import Foundation

/// The host names that stay on this machine, where plain text (SMTP without STARTTLS, HTTP without TLS) is allowed.
public enum LoopbackHost {
    /// True for an IPv4 address in 127.0.0.0/8, `::1` (with or without brackets) and `localhost`; false for look-alike
    /// names such as `127.example.org` or `localhost.example.org`.
    public static func contains(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        let values = octets.compactMap { $0.count <= 3 ? UInt8($0) : nil }
        return values.count == 4 && values[0] == 127
    }
}
