import Testing

@testable import DigestKit

@Suite("Who a request to digest serve counts against")
struct ClientIdentityTests {
    func ranges(_ texts: String...) throws -> [AddressRange] {
        try texts.map { text throws(AddressRangeError) in try AddressRange(parsing: text) }
    }

    func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(text))
    }

    @Test("addresses parse as sockets and X-Forwarded-For write them; anything else is no address")
    func parsing() throws {
        #expect(try address("192.0.2.1").description == "192.0.2.1")
        #expect(try address(" 192.0.2.1:4711 ") == address("192.0.2.1"))
        #expect(try address("::ffff:192.0.2.1") == address("192.0.2.1"), "IPv4-mapped is the IPv4 client")
        #expect(try address("[2001:DB8::1]:443").description == "2001:db8::1")
        #expect(try address("2001:db8:0:0:0:0:0:1") == address("2001:db8::1"))
        for text in ["", "unknown", "example.com", "192.0.2.256", "1.2.3", "[::1", "fe80::1%eth0", "::1::2"] {
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }

    @Test("CIDR ranges contain what they should, IPv4 and IPv6")
    func ranges() throws {
        let private10 = try AddressRange(parsing: "10.0.0.0/8")
        #expect(private10.contains(try address("10.255.0.1")))
        #expect(!private10.contains(try address("11.0.0.1")))
        #expect(private10.contains(try address("::ffff:10.1.2.3")))
        #expect(private10.description == "10.0.0.0/8")
        let host = try AddressRange(parsing: "192.0.2.10")
        #expect(host.contains(try address("192.0.2.10")))
        #expect(!host.contains(try address("192.0.2.11")))
        let documentation = try AddressRange(parsing: "2001:db8::/32")
        #expect(documentation.contains(try address("2001:db8:ffff::1")))
        #expect(!documentation.contains(try address("2001:db9::1")))
        #expect(!documentation.contains(try address("10.0.0.1")))
        #expect(try AddressRange(parsing: "0.0.0.0/0").contains(try address("203.0.113.9")))
        #expect(!(try AddressRange(parsing: "0.0.0.0/0")).contains(try address("2001:db8::1")))
        #expect(try AddressRange(parsing: "::/0").contains(try address("2001:db8::1")))
        #expect(try AddressRange(parsing: "::1").contains(try address("::1")))
    }

    @Test("a range that is not one is refused with a message that says what to write")
    func rangeErrors() {
        func message(_ text: String) -> String {
            do {
                _ = try AddressRange(parsing: text)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message("10.0.0.1/8") == "'10.0.0.1/8' has bits set after its prefix; did you mean 10.0.0.0/8?")
        #expect(message("10.0.0.0/33") == "'10.0.0.0/33' has a prefix length that is not a number from 0 to 32.")
        #expect(message("2001:db8::/129") == "'2001:db8::/129' has a prefix length that is not a number from 0 to 128.")
        #expect(
            message("proxy.example.se")
                == "'proxy.example.se' is not an IP address or range; write one like 10.0.0.0/8, 192.0.2.10 or "
                + "2001:db8::/32.")
        #expect(
            message("10.0.0.1:80").hasSuffix(
                "is not an IP address or range; write one like 10.0.0.0/8, "
                    + "192.0.2.10 or 2001:db8::/32."))
        #expect(message("10.0.0.0/+8").contains("prefix length"))
    }

    @Test("without trusted proxies the peer is the client, whatever X-Forwarded-For says")
    func peer() throws {
        let key = ClientIdentity.key(
            peer: try address("203.0.113.5"), forwardedFor: ["192.0.2.1"], trustedProxies: [])
        #expect(key == "203.0.113.5")
        #expect(ClientIdentity.key(peer: nil, forwardedFor: ["192.0.2.1"], trustedProxies: []) == "unknown")
    }

    @Test("behind trusted proxies the right-most untrusted hop is the client")
    func rightMostUntrusted() throws {
        let trusted = try ranges("127.0.0.1", "10.0.0.0/8")
        let peer = try address("127.0.0.1")
        func client(_ headers: [String]) -> String {
            ClientIdentity.key(peer: peer, forwardedFor: headers, trustedProxies: trusted)
        }
        #expect(client(["192.0.2.50, 198.51.100.7, 10.0.0.2"]) == "198.51.100.7")
        #expect(client(["192.0.2.50", "198.51.100.7,10.0.0.2"]) == "198.51.100.7", "repeated headers are one list")
        #expect(client(["10.0.0.3, 10.0.0.2"]) == "10.0.0.3", "only proxies: the left-most")
        #expect(client([]) == "127.0.0.1", "no header: the proxy itself")
        #expect(client(["garbage, 10.0.0.2"]) == "10.0.0.2", "a hop that is not an address is not believed")
        #expect(client(["[2001:db8:1:2:3:4:5:6]:443"]) == "2001:db8:1:2::/64", "IPv6 counts by its /64")
        #expect(
            ClientIdentity.key(peer: try address("203.0.113.5"), forwardedFor: ["192.0.2.1"], trustedProxies: trusted)
                == "203.0.113.5", "an untrusted peer's header is ignored")
    }
}
