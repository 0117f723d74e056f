/// The `signup:` section: how often `digest serve`'s signup form may send a confirmation mail. Read when
/// `digest serve` starts; a change takes a restart.
public struct SignupConfig: Sendable, Decodable, Equatable {
    /// Seconds that must pass before one address is sent another confirmation (or "already subscribed") mail.
    public var addressIntervalSeconds = 3_600
    /// Seconds that must pass before one client (``ClientIdentity``) makes another signup mail be sent.
    public var clientIntervalSeconds = 60

    enum CodingKeys: String, CodingKey, CaseIterable {
        case addressIntervalSeconds, clientIntervalSeconds
    }

    /// The defaults: one mail per address an hour, one per client a minute.
    public init() {}

    /// Decodes the section, rejecting unknown keys and numbers out of range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        func seconds(_ key: CodingKeys, _ value: inout Int) throws {
            value = try container.decodeIfPresent(Int.self, forKey: key) ?? value
            guard (0...604_800).contains(value) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "\(key.rawValue) must be between 0 and 604800.")
            }
        }
        try seconds(.addressIntervalSeconds, &addressIntervalSeconds)
        try seconds(.clientIntervalSeconds, &clientIntervalSeconds)
    }
}
