/// Who a request to `digest serve` counts against in the rate limits: never a value the client alone chose.
///
/// The socket's peer address, unless that peer is one of the trusted proxies; then the right-most
/// `X-Forwarded-For` hop that is not a trusted proxy (each proxy appends the address it was connected from, so
/// hops left of the first untrusted one were written by the client). IPv6 clients count by their /64, the block
/// one subscriber line gets, so a client cannot become a new client by changing the last 64 bits.
public enum ClientIdentity {
    /// The key for a request from `peer` (nil when the socket has no IP peer) with the `X-Forwarded-For` header
    /// values `forwardedFor`, in the order received.
    public static func key(peer: IPAddress?, forwardedFor: [String], trustedProxies: [AddressRange]) -> String {
        guard let peer else { return "unknown" }
        return key(for: client(peer: peer, forwardedFor: forwardedFor, trustedProxies: trustedProxies))
    }

    /// The client's address: `peer`, or the right-most hop that is not a trusted proxy. A hop that is not an
    /// address stops the walk at the last trusted address, as does a header of only trusted hops.
    public static func client(peer: IPAddress, forwardedFor: [String], trustedProxies: [AddressRange]) -> IPAddress {
        func trusted(_ address: IPAddress) -> Bool { trustedProxies.contains { $0.contains(address) } }
        guard trusted(peer) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { break }
            client = address
            if !trusted(address) { break }
        }
        return client
    }

    /// The rate-limit key of `address`: the address for IPv4, its /64 for IPv6.
    public static func key(for address: IPAddress) -> String {
        address.isIPv4 ? address.description : "\(address.masked(to: 64))/64"
    }
}
