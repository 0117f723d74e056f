import Foundation

/// What the SMTP test server stored in its folder.
struct Maildir {
    let directory: URL

    /// Stored messages, in arrival order.
    func messages() throws -> [Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { try Data(contentsOf: directory.appendingPathComponent($0)) }
    }

    /// One decoded `log.jsonl` record per stored message.
    func log() throws -> [[String: Any]] {
        let url = directory.appendingPathComponent("log.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(decoding: Data(contentsOf: url), as: UTF8.self).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// The server's count of client connections (TLS upgrades not counted again).
    /// What the server noted of each connection (opened, upgraded, idle timeout, lost), one line each.
    func connectionEvents() -> String {
        (try? String(contentsOf: directory.appendingPathComponent("connection-events.txt"), encoding: .utf8)) ?? ""
    }

    func connections() -> Int {
        let url = directory.appendingPathComponent("connections.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? "0"
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}
