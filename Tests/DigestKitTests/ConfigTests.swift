import Foundation
import Testing

@testable import DigestKit

@Suite("digest.yaml")
struct ConfigTests {
    let minimal = """
        newsletter:
          title: "Företagsfrämjarna i Dalarna"
          from: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
        sources: []

        """

    @Test("the example config loads, with paths resolved against its folder")
    func exampleLoads() throws {
        let config = try DigestConfig.load(from: TestSupport.root.appendingPathComponent("digest.yaml"))
        #expect(config.newsletter.timeZone.identifier == "Europe/Stockholm")
        #expect(config.newsletter.eventsAhead == TimeSpan(28, .days))
        #expect(config.sources.map(\.name) == ["kalendarium", "utlysningar", "redaktionen"])
        #expect(config.subscribersFolder.path == TestSupport.root.appendingPathComponent("subscribers").path)
        #expect(config.delivery.transport == .maildir(path: "outbox"))
    }

    @Test("defaults fill what a minimal config leaves out")
    func defaults() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = try TestSupport.write(minimal, to: "digest.yaml", in: folder)
        let config = try DigestConfig.load(from: file)
        #expect(config.newsletter.language == .sv)
        #expect(config.newsletter.deadlinesAhead == TimeSpan(14, .days))
        #expect(config.delivery.transport == .maildir(path: "outbox"))
        #expect(config.delivery.starttls == .required)
        #expect(config.stateFile.path == folder.appendingPathComponent(".digest/state.sqlite").standardizedFileURL.path)
    }

    @Test("an unknown key is an error at its line and column, with a suggestion")
    func unknownKey() throws {
        let folder = try TestSupport.temporaryFolder()
        let text = minimal.replacingOccurrences(of: "  from:", with: "  titel: x\n  from:")
        let file = try TestSupport.write(text, to: "digest.yaml", in: folder)
        let error = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.line == 3)
        #expect(diagnostic.column == 3)
        #expect(diagnostic.message == "unknown key 'titel'. Did you mean 'title'?")
    }

    @Test("bad values name the key's line and say what is expected")
    func badValues() throws {
        let folder = try TestSupport.temporaryFolder()
        let cases: [(String, Int, String)] = [
            ("  eventsAhead: 4 weeks\n", 4, "is not a time span"),
            ("  timeZone: Europe/Dalarna\n", 4, "unknown time zone 'Europe/Dalarna'"),
            ("  language: sw\n", 4, "'sw' is not one of sv, en. Did you mean 'sv'?"),
        ]
        for (line, number, message) in cases {
            let text = minimal.replacingOccurrences(of: "sources: []", with: line + "sources: []")
            let file = try TestSupport.write(text, to: "digest.yaml", in: folder)
            let error = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
            let diagnostic = try #require(error?.diagnostics.first)
            #expect(diagnostic.line == number, "\(line)")
            #expect(diagnostic.message.contains(message), "\(diagnostic.message)")
            #expect(diagnostic.description.hasPrefix(file.relativePath + ":\(number):"))
        }
    }

    @Test("plain-text SMTP is refused unless the relay is on this machine")
    func starttlsNeverOnlyForLoopback() throws {
        let folder = try TestSupport.temporaryFolder()
        let remote = minimal + "delivery:\n  transport: smtp://mail.example.se:587\n  starttls: never\n"
        let file = try TestSupport.write(remote, to: "digest.yaml", in: folder)
        let error = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
        #expect(error?.diagnostics.first?.message.contains("only for a loopback host") == true)
        let local = minimal + "delivery:\n  transport: smtp://127.0.0.1:2525\n  starttls: never\n"
        try TestSupport.write(local, to: "digest.yaml", in: folder)
        let config = try DigestConfig.load(from: file)
        #expect(config.delivery.starttls == .never)
    }

    @Test("a password in the transport URL is refused at its place, and never repeated in a message")
    func passwordInTransport() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = try TestSupport.write(
            minimal + "delivery:\n  transport: smtp://digest:hunter2@mail.example.se:587\n", to: "digest.yaml",
            in: folder)
        let error = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.line == 6 && diagnostic.column == 14)
        #expect(
            diagnostic.message
                == "the transport URL holds a password, which would sit in the config and in logs; write the user as "
                + "delivery.username and put the password in the environment variable named by delivery.passwordEnv "
                + "(default DIGEST_SMTP_PASSWORD).")
        try TestSupport.write(
            minimal + "delivery:\n  transport: smtp//digest:hunter2@mail\n", to: "digest.yaml", in: folder)
        let invalid = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
        let message = try #require(invalid?.diagnostics.first?.message)
        #expect(message.hasPrefix("'smtp//digest:***@mail' is not a transport") && !message.contains("hunter2"))
        try TestSupport.write(
            minimal + "delivery:\n  transport: smtp://digest@127.0.0.1:2525\n", to: "digest.yaml", in: folder)
        #expect(try DigestConfig.load(from: file).delivery.transport.description == "smtp://digest@127.0.0.1:2525")
    }

    @Test("delivery.oauth2 is read with its four keys; what is wrong in it is reported at its place, word for word")
    func oauth2Block() throws {
        let folder = try TestSupport.temporaryFolder()
        let head = minimal + "delivery:\n  transport: smtp://smtp.office365.com:587\n  username: news@example.se\n"
        let block =
            "  oauth2:\n    tokenURL: https://login.microsoftonline.com/t/oauth2/v2.0/token\n    clientID: app\n"
            + "    clientSecretEnv: DIGEST_TEST_UNSET_SECRET\n    scope: https://outlook.office365.com/.default\n"
        let file = try TestSupport.write(head + block, to: "digest.yaml", in: folder)
        let config = try DigestConfig.load(from: file)
        let oauth2 = try #require(config.delivery.oauth2)
        #expect(oauth2.tokenURL.absoluteString == "https://login.microsoftonline.com/t/oauth2/v2.0/token")
        #expect(oauth2.clientID == "app" && oauth2.clientSecretEnv == "DIGEST_TEST_UNSET_SECRET")
        #expect(oauth2.scope == "https://outlook.office365.com/.default")
        #expect(
            config.unsetVariables.map(\.description) == [
                "\(file.relativePath):11:22: the environment variable DIGEST_TEST_UNSET_SECRET (clientSecretEnv) is "
                    + "not set; set it to the OAuth2 client secret before digest send."
            ])
        let cases: [(String, String)] = [
            (
                head + block.replacingOccurrences(of: "scope:", with: "scopes:"),
                "unknown key 'scopes'. Did you mean 'scope'?"
            ),
            (
                head + block.replacingOccurrences(of: "https://login", with: "http://login"),
                "the OAuth2 token URL http://login.microsoftonline.com/t/oauth2/v2.0/token would send the client "
                    + "secret in plain text to login.microsoftonline.com; use https:// (http:// is allowed only for "
                    + "127.0.0.1, ::1 or localhost)."
            ),
            (
                head.replacingOccurrences(of: "  username: news@example.se\n", with: "") + block,
                "oauth2 needs delivery.username, the mailbox that sends (the SMTP AUTH user)."
            ),
            (
                head.replacingOccurrences(of: "smtp://smtp.office365.com:587", with: "maildir:outbox") + block,
                "oauth2 is for SMTP AUTH; it needs an smtp:// or smtps:// transport."
            ),
            (
                head + block.replacingOccurrences(of: "    clientID: app\n", with: ""),
                "missing required key 'clientID'."
            ),
        ]
        for (text, message) in cases {
            try TestSupport.write(text, to: "digest.yaml", in: folder)
            let error = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
            #expect(error?.diagnostics.first?.message == message)
        }
    }

    @Test("a look-alike of a loopback name does not allow plain-text SMTP")
    func loopbackLookalike() throws {
        let folder = try TestSupport.temporaryFolder()
        let text = minimal + "delivery:\n  transport: smtp://127.example.org:25\n  starttls: never\n"
        let file = try TestSupport.write(text, to: "digest.yaml", in: folder)
        #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
    }

    @Test("a source name used twice is an error at the second one")
    func duplicateSource() throws {
        let folder = try TestSupport.temporaryFolder()
        let text = minimal.replacingOccurrences(
            of: "sources: []",
            with: "sources:\n  - {name: a, kind: event, url: a.ics}\n  - {name: a, kind: funding, url: b.xml}"
        )
        let file = try TestSupport.write(text, to: "digest.yaml", in: folder)
        let error = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
        #expect(error?.diagnostics.first?.line == 6)
    }

    @Test("broken YAML is reported with its position")
    func brokenYAML() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = try TestSupport.write("newsletter:\n  title: [unclosed\n", to: "digest.yaml", in: folder)
        let error = #expect(throws: DiagnosticList.self) { try DigestConfig.load(from: file) }
        #expect(error?.diagnostics.first?.message.hasPrefix("invalid YAML") == true)
        #expect(error?.diagnostics.first?.line != nil)
    }
}
