import Testing

@testable import MailMessage

@Suite("DKIM relaxed canonicalization (RFC 6376 §3.4.2, §3.4.4)")
struct DKIMCanonicalizationTests {
    private func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    @Test("the RFC 6376 §3.4.6 example gives the published relaxed header and body")
    func rfcExample() {
        let message = bytes("A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n")
        let (fields, bodyStart) = DKIMCanonicalization.split(message)
        #expect(fields.map(\.name) == ["a", "b"])
        let headers = fields.flatMap { DKIMCanonicalization.relaxedHeader($0.raw) }
        #expect(headers == bytes("a:X\r\nb:Y Z\r\n"))
        #expect(DKIMCanonicalization.relaxedBody(message[bodyStart...]) == bytes(" C\r\nD E\r\n"))
    }

    @Test("relaxed header: lowercases the name, unfolds, collapses and trims whitespace, keeps value case")
    func header() {
        #expect(
            DKIMCanonicalization.relaxedHeader(bytes("SUBJECT \t:  Hej \r\n  Åsa\t ")) == bytes("subject:Hej Åsa\r\n"))
        #expect(DKIMCanonicalization.relaxedHeader(bytes("X-Empty:")) == bytes("x-empty:\r\n"))
    }

    @Test("relaxed body: empty stays empty, trailing empty lines go, a final CRLF is added")
    func body() {
        #expect(DKIMCanonicalization.relaxedBody(bytes("")) == [])
        #expect(DKIMCanonicalization.relaxedBody(bytes("\r\n\r\n  \r\n")) == [])
        #expect(DKIMCanonicalization.relaxedBody(bytes("abc")) == bytes("abc\r\n"))
        #expect(DKIMCanonicalization.relaxedBody(bytes("a  b \r\n\r\nc\t\r\n\r\n")) == bytes("a b\r\n\r\nc\r\n"))
    }

    @Test("a message without a body splits into fields only")
    func noBody() {
        let (fields, bodyStart) = DKIMCanonicalization.split(bytes("From: a@b.se\r\nTo: c@d.se"))
        #expect(fields.count == 2)
        #expect(bodyStart == 24)
    }
}
