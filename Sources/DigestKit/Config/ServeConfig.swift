/// The `serve:` section: who may speak for a client, and how long and how many connections `digest serve` keeps.
/// Read when `digest serve` starts; a change takes a restart.
public struct ServeConfig: Sendable, Decodable, Equatable {
    /// The reverse proxies whose `X-Forwarded-For` is believed (CIDRs, IPv4 or IPv6); none by default, so the
    /// socket's peer is the client.
    public var trustedProxies: [AddressRange] = []
    /// Seconds a client has to send a request's line and headers, from its first byte.
    public var headerTimeoutSeconds = 10
    /// Seconds a client has to send a request's body, from the end of its headers.
    public var bodyTimeoutSeconds = 20
    /// Seconds a connection may stay open without a request before it is closed.
    public var idleTimeoutSeconds = 60
    /// The most connections open at once; more wait in the listen queue until one closes.
    public var maxConnections = 512

    enum CodingKeys: String, CodingKey, CaseIterable {
        case trustedProxies, headerTimeoutSeconds, bodyTimeoutSeconds, idleTimeoutSeconds, maxConnections
    }

    /// The defaults: no trusted proxy, 10 s for headers, 20 s for a body, 60 s idle, 512 connections.
    public init() {}

    /// Decodes the section, rejecting unknown keys, ranges that are not CIDRs and numbers out of range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        for (index, text) in (try container.decodeList(.trustedProxies)).enumerated() {
            do {
                trustedProxies.append(try AddressRange(parsing: text))
            } catch {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: container.codingPath + [CodingKeys.trustedProxies, AnyCodingKey(intValue: index)],
                        debugDescription: error.description))
            }
        }
        func seconds(_ key: CodingKeys, _ value: inout Int) throws {
            value = try container.decodeIfPresent(Int.self, forKey: key) ?? value
            guard (1...3_600).contains(value) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "\(key.rawValue) must be between 1 and 3600.")
            }
        }
        try seconds(.headerTimeoutSeconds, &headerTimeoutSeconds)
        try seconds(.bodyTimeoutSeconds, &bodyTimeoutSeconds)
        try seconds(.idleTimeoutSeconds, &idleTimeoutSeconds)
        maxConnections = try container.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        guard (1...100_000).contains(maxConnections) else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxConnections, in: container, debugDescription: "maxConnections must be between 1 and 100000."
            )
        }
    }
}
