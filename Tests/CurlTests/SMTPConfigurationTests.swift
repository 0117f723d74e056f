import Foundation
import Testing

@testable import Curl

@Suite("SMTPConfiguration validation")
struct SMTPConfigurationTests {
    @Test func plainTextIsRefusedForARemoteHost() {
        #expect(
            throws: SMTPError(
                reason: "starttls 'never' would send mail in plain text to mail.example.org; "
                    + "it is allowed only for 127.0.0.1, ::1 or localhost")
        ) {
            try SMTPConfiguration(url: URL(string: "smtp://mail.example.org:587")!, starttls: .never)
        }
    }

    @Test(arguments: ["smtp://127.0.0.1:25", "smtp://localhost:2525", "smtp://[::1]:25"])
    func plainTextIsAllowedForLoopback(url: String) throws {
        let configuration = try SMTPConfiguration(url: URL(string: url)!, starttls: .never)
        #expect(configuration.starttls == .never)
    }

    @Test func otherSchemesAreRefused() {
        #expect(throws: SMTPError(reason: "SMTP URL http://mail.example.org must start with smtp:// or smtps://")) {
            try SMTPConfiguration(url: URL(string: "http://mail.example.org")!)
        }
    }

    @Test(arguments: ["127.example.org", "127.0.0.1.example.org", "1270.0.0.1", "mail.example.org"])
    func lookalikeHostsAreNotLoopback(host: String) {
        #expect(!SMTPConfiguration.isLoopback(host))
        #expect(throws: SMTPError.self) {
            try SMTPConfiguration(url: URL(string: "smtp://\(host):25")!, starttls: .never)
        }
    }

    @Test func passwordInTheURLIsNotShownInErrors() {
        #expect(
            throws: SMTPError(reason: "SMTP URL imap://user:***@mail.example.org must start with smtp:// or smtps://")
        ) {
            try SMTPConfiguration(url: URL(string: "imap://user:hunter2@mail.example.org")!)
        }
    }

    @Test func zeroConnectionsIsRefused() {
        #expect(throws: SMTPError(reason: "connections must be at least 1, got 0")) {
            try SMTPConfiguration(url: URL(string: "smtps://mail.example.org")!, connections: 0)
        }
    }

    @Test func curlURLCarriesTheEHLONameButNoCredentials() throws {
        let configuration = try SMTPConfiguration(
            url: URL(string: "smtp://user:pw@mail.example.org:587")!, heloName: "news.example.org")
        #expect(configuration.curlURL == "smtp://mail.example.org:587/news.example.org")
    }
}

@Suite("SMTP outcome classification")
struct SMTPClassificationTests {
    private func reply(_ command: String, _ code: Int, _ text: String = "") -> SMTPReply {
        SMTPReply(command: command, code: code, lines: ["\(code) \(text)"])
    }

    @Test func everyRecipientTemporarilyRefusedIsTransient() {
        let replies = [reply("MAIL", 250, "OK"), reply("RCPT", 550, "no"), reply("RCPT", 451, "later")]
        let outcome = SMTPOutcome.classify(curlCode: 55, responseCode: 451, replies: replies, errorText: "RCPT failed")
        #expect(outcome == .transientFailure(code: 451, reply: "451 later"))
    }

    @Test func finalReplyAfterDataDecides() {
        let replies = [reply("MAIL", 250), reply("RCPT", 250), reply("DATA", 354), reply("BODY", 554, "spam")]
        let outcome = SMTPOutcome.classify(curlCode: 8, responseCode: 554, replies: replies, errorText: "")
        #expect(outcome == .permanentFailure(code: 554, reply: "554 spam"))
    }

    @Test func droppedConnectionWithoutReplyIsTransient() {
        let replies = [reply("MAIL", 250), reply("RCPT", 250), reply("DATA", 354)]
        let outcome = SMTPOutcome.classify(curlCode: 56, responseCode: 354, replies: replies, errorText: "reset")
        #expect(outcome == .transientFailure(code: 0, reply: "connection failed: reset"))
    }

    @Test func multiLineRepliesAreJoined() {
        let value = SMTPReply(command: "EHLO", code: 250, lines: ["250-first", "250 last"])
        #expect(value.text == "250-first 250 last")
    }
}

@Suite("CRLF repair")
struct CRLFTests {
    @Test func bareLineFeedsBecomeCRLF() {
        #expect(CRLF.normalized(Array("a\n.\nb\r\nc\n".utf8)) == Array("a\r\n.\r\nb\r\nc\r\n".utf8))
        #expect(CRLF.normalized(Array("\nx".utf8)) == Array("\r\nx".utf8))
        #expect(CRLF.normalized(Array("ok\r\n".utf8)) == Array("ok\r\n".utf8))
    }
}

@Suite("SMTP rate limiter")
struct SMTPRateLimiterTests {
    @Test func perSecondSpacesStarts() throws {
        let limiter = try #require(SMTPRateLimiter(perSecond: 10, perMinute: nil))
        let start = ContinuousClock.now
        let slots = (0..<3).map { _ in limiter.reserve(now: start) }
        #expect(slots == [start, start + .milliseconds(100), start + .milliseconds(200)])
    }

    @Test func perMinuteWaitsForTheWindow() throws {
        let limiter = try #require(SMTPRateLimiter(perSecond: nil, perMinute: 2))
        let start = ContinuousClock.now
        let slots = (0..<3).map { _ in limiter.reserve(now: start) }
        #expect(slots == [start, start, start + .seconds(60)])
        #expect(SMTPRateLimiter(perSecond: nil, perMinute: nil) == nil)
    }
}

@Suite("Session failures, printable replies and OAuth2 token responses")
struct SessionAndTokenTests {
    private func reply(_ command: String, _ code: Int, _ text: String = "") -> SMTPReply {
        SMTPReply(command: command, code: code, lines: ["\(code) \(text)"])
    }

    @Test func aRefusedLoginIsTheSessionsNotTheMessages() {
        let replies = [reply("EHLO", 250), reply("AUTH", 535, "5.7.8 Authentication credentials invalid")]
        let outcome = SMTPOutcome.classify(curlCode: 67, responseCode: 535, replies: replies, errorText: "")
        #expect(
            outcome
                == .sessionFailure(
                    code: 535, reply: "authentication failed: 535 5.7.8 Authentication credentials invalid"))
    }

    @Test func authenticationRequiredBeforeMailIsTheSessions() {
        let replies = [reply("EHLO", 250), reply("MAIL", 530, "5.7.0 Authentication required")]
        let outcome = SMTPOutcome.classify(curlCode: 55, responseCode: 530, replies: replies, errorText: "MAIL failed")
        #expect(
            outcome
                == .sessionFailure(
                    code: 530, reply: "the server wants authentication or TLS first: 530 5.7.0 Authentication required"
                ))
    }

    @Test func controlCharactersInAReplyAreEscaped() {
        #expect(PrintableText.escaped("535 no\u{1B}[2J\u{7}\u{2028}x") == #"535 no\u{1B}[2J\u{7}\u{2028}x"#)
        #expect(PrintableText.escaped("plain text") == "plain text")
        #expect(PrintableText.escaped("abcdef", limit: 3) == "abc…")
        let context = SMTPSessionContext()
        context.received("535 5.7.8 bad\u{1B}]0;owned\u{7}\r\n")
        #expect(context.replies.first?.text == #"535 5.7.8 bad\u{1B}]0;owned\u{7}"#)
    }

    @Test(arguments: ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LOCALHOST"])
    func loopbackHosts(host: String) {
        #expect(LoopbackHost.contains(host))
    }

    @Test(arguments: ["127.example.org", "localhost.example.org", "128.0.0.1", "::2", "example.org"])
    func hostsThatAreNotLoopback(host: String) {
        #expect(!LoopbackHost.contains(host))
    }

    @Test func aTokenResponseIsRead() throws {
        let body = Data(#"{"access_token":"abc","token_type":"Bearer","expires_in":3599}"#.utf8)
        let token = try OAuth2Token.parse(body).get()
        #expect(token == OAuth2Token(value: "abc", lifetime: .seconds(3599)))
        #expect(token.useFor == .seconds(3539))
        let short = try OAuth2Token.parse(Data(#"{"access_token":"x","expires_in":"2"}"#.utf8)).get()
        #expect(short.useFor == .milliseconds(1800))
    }

    @Test func aResponseThatIsNoTokenSaysWhat() {
        let cases: [(String, String)] = [
            (#"{"token_type":"Bearer"}"#, "answered without an access_token"),
            (#"{"access_token":"x","token_type":"mac"}"#, #"answered a token of type "mac", not Bearer"#),
            ("<html>", "answered something that is not a JSON object"),
        ]
        for (body, reason) in cases {
            #expect(throws: OAuth2Error(reason: reason)) { try OAuth2Token.parse(Data(body.utf8)).get() }
        }
    }

    @Test func theEndpointsErrorIsEscapedAndNeverShowsTheSecret() {
        let body = Data(
            #"{"error":"invalid_client","error_description":"secret 'hunter2' is wrong\u001b[2J"}"#.utf8)
        let (code, description) = OAuth2ClientCredentials.endpointError(body, hiding: "hunter2")
        #expect(code == "invalid_client")
        #expect(description == #"secret '***' is wrong\u{1B}[2J"#)
    }

    @Test func aPlainHTTPTokenURLIsOnlyForLoopback() throws {
        try OAuth2ClientCredentials.validate(URL(string: "http://127.0.0.1:8080/token")!)
        try OAuth2ClientCredentials.validate(URL(string: "https://login.microsoftonline.com/t/oauth2/v2.0/token")!)
        #expect(
            throws: OAuth2Error(
                reason: "the OAuth2 token URL http://login.example.org/token would send the client secret in plain "
                    + "text to login.example.org; use https:// (http:// is allowed only for 127.0.0.1, ::1 or "
                    + "localhost)")
        ) {
            try OAuth2ClientCredentials.validate(URL(string: "http://login.example.org/token")!)
        }
        #expect(throws: OAuth2Error(reason: "the OAuth2 token URL ftp://x/token must be an https:// URL with a host")) {
            try OAuth2ClientCredentials.validate(URL(string: "ftp://x/token")!)
        }
    }
}
