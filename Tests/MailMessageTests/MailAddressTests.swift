import Testing

@testable import MailMessage

@Suite("MailAddress")
struct MailAddressTests {
    @Test("parses the usual mailbox forms")
    func parsing() throws {
        let named = try MailAddress(parsing: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>")
        #expect(named.displayName == "Företagsfrämjarna Dalarna")
        #expect(named.address == "nyhetsbrev@example.se")
        #expect(named.domain == "example.se")
        #expect(try MailAddress(parsing: "  anna@example.se ").address == "anna@example.se")
        #expect(try MailAddress(parsing: "<anna@example.se>").displayName == nil)
        let quoted = try MailAddress(parsing: "\"Svensson, Anna \\\"AS\\\"\" <anna@example.se>")
        #expect(quoted.displayName == "Svensson, Anna \"AS\"")
        #expect(
            try MailAddress(parsing: "o'brien+news@mail.example.co.uk").address == "o'brien+news@mail.example.co.uk")
    }

    @Test(
        "rejects invalid addresses with a reason",
        arguments: [
            ("", MailAddressError.Reason.empty),
            ("anna.example.se", .missingAt),
            ("@example.se", .missingAt),
            ("anna@", .missingAt),
            ("anna@exa mple.se", .forbiddenCharacter),
            ("anna@example.se\r\nBcc: evil@example.com", .forbiddenCharacter),
            ("an<na@example.se", .unbalancedAngleBrackets),
            ("Anna <anna@example.se", .unbalancedAngleBrackets),
            ("Anna <anna@example.se> extra", .unbalancedAngleBrackets),
            ("A > B <anna@example.se>", .unbalancedAngleBrackets),
            ("\"Anna <anna@example.se>", .unterminatedQuote),
            ("\"Anna\" anna@example.se", .unbalancedAngleBrackets),
            ("anna..b@example.se", .invalidLocalPart),
            (".anna@example.se", .invalidLocalPart),
            ("anna@-example.se", .invalidDomain),
            ("anna@example..se", .invalidDomain),
            ("anna@exam_ple.se", .invalidDomain),
            ("åsa@example.se", .nonASCII),
            ("anna@räksmörgås.se", .nonASCII),
            (String(repeating: "a", count: 65) + "@example.se", .tooLong),
        ])
    func rejects(input: String, reason: MailAddressError.Reason) {
        #expect {
            try MailAddress(parsing: input)
        } throws: { error in
            (error as? MailAddressError)?.reason == reason
        }
    }

    @Test("error messages name the input and say what is expected")
    func errorMessages() {
        let error = MailAddressError(.missingAt, input: "anna.example.se")
        #expect(error.description == "invalid email address \"anna.example.se\": expected local-part@domain")
        let injected = MailAddressError(.forbiddenCharacter, input: "a@b.se\r\nBcc: x")
        #expect(!injected.description.contains("\r") && !injected.description.contains("\n"))
    }

    @Test("the designated initializer validates the address too")
    func designatedInit() throws {
        #expect(throws: MailAddressError.self) { try MailAddress(displayName: "X", address: "not an address") }
        let address = try MailAddress(displayName: "Efternamn, Förnamn", address: "f.e@example.se")
        #expect(address.description == "Efternamn, Förnamn <f.e@example.se>")
    }
}
