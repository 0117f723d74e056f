import DigestTesting
import Foundation
import Synchronization
import Testing

@testable import Curl

/// Starts the SMTP test server with `arguments` and a maildir of its own.
private func smtpServer(_ arguments: [String] = []) throws -> (TestServer, Maildir) {
    let folder = try TemporaryFolder.make("curl-maildir-").appendingPathComponent("maildir")
    let server = try TestServer(script: "smtp_server.py", arguments: ["--maildir", folder.path] + arguments)
    return (server, Maildir(directory: folder))
}

private func tlsArguments() -> [String] {
    let certificate = TestCertificate.shared
    return ["--tls-cert", certificate.certificate, "--tls-key", certificate.key]
}

/// A small CRLF message with a sequence header.
private func message(_ number: Int, body: String = "Hello from the digest tests.") -> [UInt8] {
    let text =
        "From: digest@example.org\r\nTo: anna@example.org\r\nSubject: Test \(number)\r\nX-Seq: \(number)\r\n\r\n\(body)\r\n"
    return Array(text.utf8)
}

private func configuration(
    port: Int, starttls: StartTLSPolicy = .never, connections: Int = 1, retries: Int = 3,
    username: String? = nil, password: String? = nil, caFile: String? = nil
) throws -> SMTPConfiguration {
    try SMTPConfiguration(
        url: URL(string: "smtp://127.0.0.1:\(port)")!, starttls: starttls, username: username, password: password,
        caFile: caFile, heloName: "digest.test", timeout: .seconds(10), connections: connections, retries: retries,
        backoff: .milliseconds(20))
}

private let envelope = SMTPEnvelope(from: "bounce@example.org", recipients: ["anna@example.org"])

@Suite("SMTPTransport against the aiosmtpd test server", .serialized)
struct SMTPTransportTests {
    @Test func startTLSWithTrustedCertificateAndAuthDelivers() async throws {
        let (server, maildir) = try smtpServer(tlsArguments() + ["--auth", "digest:s3cret"])
        defer { server.stop() }
        let transport = try SMTPTransport(
            configuration: configuration(
                port: server.port, starttls: .required, username: "digest", password: "s3cret",
                caFile: TestCertificate.shared.certificate))
        let outcome = await transport.send(message(1), envelope: envelope)
        let later = await transport.send(message(2), envelope: envelope)
        let last = await transport.send(message(3), envelope: envelope)
        await transport.close()
        #expect(outcome == .delivered(reply: "250 2.0.0 Ok: queued as 000001"))
        #expect(later.isDelivered && last.isDelivered)
        let stored = try maildir.messages()
        #expect(stored.count == 3)
        #expect(String(decoding: stored.first ?? Data(), as: UTF8.self).contains("X-Seq: 1"))
        let log = try maildir.log()
        #expect(log.first?["mail_from"] as? String == "bounce@example.org")
        #expect(log.first?["rcpt_tos"] as? [String] == ["anna@example.org"])
        // STARTTLS and AUTH once: all three messages went over one connection.
        #expect(maildir.connections() == 1, "the server saw: \(maildir.connectionEvents())")
        #expect(transport.connectionsOpened == 1)
    }

    @Test func untrustedCertificateIsTheSessionsFailure() async throws {
        let (server, maildir) = try smtpServer(tlsArguments())
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port, starttls: .required))
        let report = await transport.sendReporting(message(1), envelope: envelope)
        await transport.close()
        guard case .sessionFailure(let code, let reply) = report.outcome else {
            Issue.record("expected a session failure, got \(report.outcome)")
            return
        }
        #expect(code == 0)
        #expect(reply.hasPrefix("TLS failed: SSL certificate problem"))
        #expect(report.attempts == 1)
        #expect(try maildir.messages().isEmpty)
    }

    @Test func anOptionLibcurlRefusesSendsNothingAndFailsTemporarilyNamingIt() async throws {
        let (server, maildir) = try smtpServer()
        defer { server.stop() }
        // libcurl refuses strings over 8,000,000 bytes: the CA file option cannot apply, so nothing may be sent.
        let hugePath = "/" + String(repeating: "a", count: 8_000_001)
        let transport = try SMTPTransport(configuration: configuration(port: server.port, retries: 0, caFile: hugePath))
        let report = await transport.sendReporting(message(1), envelope: envelope)
        let refusedMessage = try SMTPTransport(configuration: configuration(port: server.port, retries: 0))
        let hugeSender = SMTPEnvelope(from: String(repeating: "b", count: 8_000_001), recipients: ["anna@example.org"])
        let messageReport = await refusedMessage.sendReporting(message(2), envelope: hugeSender)
        await transport.close()
        await refusedMessage.close()
        #expect(
            report.outcome
                == .transientFailure(
                    code: 0,
                    reply: "cannot set up the SMTP connection: libcurl refused CURLOPT_CAINFO: "
                        + "A libcurl function was given a bad argument"))
        #expect(
            messageReport.outcome
                == .transientFailure(
                    code: 0,
                    reply: "cannot set up the message: libcurl refused CURLOPT_MAIL_FROM: "
                        + "A libcurl function was given a bad argument"))
        #expect(try maildir.messages().isEmpty)
    }

    @Test func wrongPasswordStopsTheTransportWithoutLeakingIt() async throws {
        let (server, maildir) = try smtpServer(tlsArguments() + ["--auth", "digest:s3cret"])
        defer { server.stop() }
        let transport = try SMTPTransport(
            configuration: configuration(
                port: server.port, starttls: .required, username: "digest", password: "wrong-Pa55",
                caFile: TestCertificate.shared.certificate))
        let report = await transport.sendReporting(message(1), envelope: envelope)
        let next = await transport.sendReporting(message(2), envelope: envelope)
        await transport.close()
        let refused = SMTPOutcome.sessionFailure(
            code: 535, reply: "authentication failed: 535 5.7.8 Authentication credentials invalid")
        #expect(report.outcome == refused)
        #expect(!"\(report)".contains("wrong-Pa55"))
        #expect(report.attempts == 1)
        // The next message is not tried: the same outcome, no attempt, no second login.
        #expect(next.outcome == refused)
        #expect(next.attempts == 0)
        #expect(maildir.connections() == 1)
        #expect(try maildir.messages().isEmpty)
    }

    @Test func aWrongPasswordCostsOneLoginWhateverTheConnections() async throws {
        let (server, maildir) = try smtpServer(tlsArguments() + ["--auth", "digest:s3cret"])
        defer { server.stop() }
        let transport = try SMTPTransport(
            configuration: configuration(
                port: server.port, starttls: .required, connections: 4, username: "digest", password: "wrong",
                caFile: TestCertificate.shared.certificate))
        let outcomes = await withTaskGroup(of: SMTPOutcome.self) { group in
            for number in 1...8 { group.addTask { await transport.send(message(number), envelope: envelope) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await transport.close()
        let refused = SMTPOutcome.sessionFailure(
            code: 535, reply: "authentication failed: 535 5.7.8 Authentication credentials invalid")
        #expect(outcomes.count == 8)
        #expect(outcomes.filter { $0 != refused }.isEmpty, "\(outcomes)")
        #expect(maildir.connections() == 1)
    }

    @Test func xoauth2SendsTheBearerTokenOfTheSource() async throws {
        let (server, maildir) = try smtpServer(tlsArguments() + ["--xoauth2", "sender@example.org:tok-"])
        defer { server.stop() }
        let tokens = ScriptedTokens(["tok-1", "tok-1", "tok-2"])
        let transport = try SMTPTransport(
            configuration: SMTPConfiguration(
                url: URL(string: "smtp://127.0.0.1:\(server.port)")!, starttls: .required,
                username: "sender@example.org", tokenSource: tokens, caFile: TestCertificate.shared.certificate,
                timeout: .seconds(10), connections: 1))
        var outcomes: [SMTPOutcome] = []
        for number in 1...3 { outcomes.append(await transport.send(message(number), envelope: envelope)) }
        await transport.close()
        #expect(outcomes.filter { !$0.isDelivered }.isEmpty, "\(outcomes)")
        let logins = try String(contentsOf: maildir.directory.appendingPathComponent("xoauth2.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        // A new token, a new (freshly authenticated) connection: libcurl reuses a connection only for the same bearer.
        #expect(logins.count == 2)
        #expect(logins.allSatisfy { $0.contains(#""user": "sender@example.org""#) && $0.contains(#""ok": true"#) })
        #expect(logins.last?.contains(#""token": "tok-2""#) == true)
    }

    @Test func aTokenSourceThatFailsStopsTheTransportBeforeAnyConnection() async throws {
        let (server, maildir) = try smtpServer(tlsArguments() + ["--xoauth2", "sender@example.org:tok-"])
        defer { server.stop() }
        let transport = try SMTPTransport(
            configuration: SMTPConfiguration(
                url: URL(string: "smtp://127.0.0.1:\(server.port)")!, starttls: .required,
                username: "sender@example.org", tokenSource: ScriptedTokens([]),
                caFile: TestCertificate.shared.certificate, timeout: .seconds(10), connections: 1))
        let report = await transport.sendReporting(message(1), envelope: envelope)
        await transport.close()
        #expect(report.outcome == .sessionFailure(code: 0, reply: "no token left in the script"))
        #expect(report.attempts == 0)
        #expect(maildir.connections() == 0)
    }

    @Test func refusedRecipientIsPermanentWithTheServersReply() async throws {
        let (server, maildir) = try smtpServer(["--fail-rcpt", "bad=550"])
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port))
        let mixed = await transport.sendReporting(
            message(1),
            envelope: SMTPEnvelope(from: "bounce@example.org", recipients: ["good@example.org", "bad2@example.org"]))
        let next = await transport.send(message(2), envelope: envelope)
        // A partly refused envelope keeps the connection open (CURLOPT_MAIL_RCPT_ALLLOWFAILS).
        #expect(transport.connectionsOpened == 1)
        let refused = await transport.sendReporting(
            message(3), envelope: SMTPEnvelope(from: "bounce@example.org", recipients: ["bad@example.org"]))
        await transport.close()
        #expect(mixed.outcome.isDelivered)
        #expect(mixed.recipients.map(\.accepted) == [true, false])
        #expect(mixed.recipients.map(\.code) == [250, 550])
        #expect(next.isDelivered)
        #expect(
            refused.outcome
                == .permanentFailure(code: 550, reply: "550 5.1.1 <bad@example.org>: Recipient address rejected"))
        #expect(refused.attempts == 1)
        #expect(
            try maildir.log().map { $0["rcpt_tos"] as? [String] } == [["good@example.org"], ["anna@example.org"]])
    }

    @Test func temporaryRecipientRefusalIsRetriedThenReported() async throws {
        let (server, _) = try smtpServer(["--fail-rcpt", "busy=451"])
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port, retries: 2))
        let report = await transport.sendReporting(
            message(1), envelope: SMTPEnvelope(from: "bounce@example.org", recipients: ["busy@example.org"]))
        await transport.close()
        #expect(report.attempts == 3)
        #expect(
            report.outcome
                == .transientFailure(code: 451, reply: "451 4.2.1 <busy@example.org>: Mailbox busy, try again later"))
    }

    @Test func temporaryDataFailureIsRetriedAndDelivered() async throws {
        let (server, maildir) = try smtpServer(["--fail-data-every", "2=451"])
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port))
        var attempts: [Int] = []
        for number in 1...3 {
            let report = await transport.sendReporting(message(number), envelope: envelope)
            #expect(report.outcome.isDelivered)
            attempts.append(report.attempts)
        }
        await transport.close()
        // The server refuses every second DATA command: the 2nd, 4th, … across retries.
        #expect(attempts == [1, 2, 2])
        #expect(try maildir.messages().count == 3)
        #expect(transport.connectionsOpened == 1)
    }

    @Test func droppedConnectionDeliversEveryMessageExactlyOnce() async throws {
        let (server, maildir) = try smtpServer(["--drop-after", "3"])
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port, connections: 2))
        let outcomes = await withTaskGroup(of: SMTPOutcome.self) { group in
            for number in 1...12 {
                group.addTask { await transport.send(message(number), envelope: envelope) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        await transport.close()
        #expect(outcomes.filter { !$0.isDelivered }.isEmpty)
        let sequence = try maildir.messages().compactMap { data -> Int? in
            let text = String(decoding: data, as: UTF8.self)
            guard let line = text.split(separator: "\r\n").first(where: { $0.hasPrefix("X-Seq: ") }) else { return nil }
            return Int(line.dropFirst(7))
        }
        #expect(sequence.sorted() == Array(1...12))
        #expect(maildir.connections() > 2)
        #expect(transport.connectionsOpened == maildir.connections())
    }

    @Test func twoHundredMessagesReuseOneConnection() async throws {
        let (server, maildir) = try smtpServer()
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port, connections: 1))
        let delivered = await withTaskGroup(of: Bool.self) { group in
            for number in 1...200 {
                group.addTask { await transport.send(message(number), envelope: envelope).isDelivered }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        await transport.close()
        #expect(delivered == 200)
        #expect(try maildir.messages().count == 200)
        #expect(maildir.connections() == 1)
        #expect(transport.connectionsOpened == 1)
    }

    @Test func fourConnectionsAtMost() async throws {
        let (server, maildir) = try smtpServer()
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port, connections: 4))
        let delivered = await withTaskGroup(of: Bool.self) { group in
            for number in 1...80 {
                group.addTask { await transport.send(message(number), envelope: envelope).isDelivered }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        await transport.close()
        #expect(delivered == 80)
        #expect((1...4).contains(maildir.connections()))
        #expect(transport.connectionsOpened == maildir.connections())
    }

    @Test func linesStartingWithADotArriveIntact() async throws {
        let (server, maildir) = try smtpServer()
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port))
        let body = ".hidden line\r\n.\r\n..two dots\r\nend"
        let outcome = await transport.send(message(1, body: body), envelope: envelope)
        await transport.close()
        #expect(outcome.isDelivered)
        let stored = String(decoding: try maildir.messages().first ?? Data(), as: UTF8.self)
        #expect(stored.hasSuffix("\r\n\r\n" + body + "\r\n"))
    }

    @Test func bareLineFeedMessageIsRepairedBeforeDotStuffing() async throws {
        let (server, maildir) = try smtpServer()
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port))
        let outcome = await transport.send(Array("Subject: LF\n\nfirst\n.\nafter the dot\n".utf8), envelope: envelope)
        await transport.close()
        #expect(outcome.isDelivered)
        let stored = String(decoding: try maildir.messages().first ?? Data(), as: UTF8.self)
        #expect(stored == "Subject: LF\r\n\r\nfirst\r\n.\r\nafter the dot\r\n")
    }

    @Test func addressWithALineBreakIsRefusedBeforeSending() async throws {
        let (server, maildir) = try smtpServer()
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port))
        let injected = SMTPEnvelope(
            from: "bounce@example.org", recipients: ["a@example.org>\r\nRCPT TO:<b@example.org"])
        let outcome = await transport.send(message(1), envelope: injected)
        await transport.close()
        #expect(
            outcome
                == .permanentFailure(
                    code: 0,
                    reply: #"invalid envelope address "a@example.org>\r\nRCPT TO:<b@example.org": "#
                        + "no <, >, spaces or line breaks"))
        #expect(try maildir.messages().isEmpty)
        #expect(transport.connectionsOpened == 0)
    }

    @Test func sendAfterCloseIsReportedNotHung() async throws {
        let (server, _) = try smtpServer()
        defer { server.stop() }
        let transport = try SMTPTransport(configuration: configuration(port: server.port))
        await transport.close()
        let outcome = await transport.send(message(1), envelope: envelope)
        #expect(outcome == .transientFailure(code: 0, reply: "the SMTP transport is closed"))
    }

    @Test func connectionRefusedIsTransient() async throws {
        let (server, _) = try smtpServer()
        let port = server.port
        server.stop()
        let transport = try SMTPTransport(configuration: configuration(port: port, retries: 1))
        let report = await transport.sendReporting(message(1), envelope: envelope)
        await transport.close()
        #expect(report.attempts == 2)
        guard case .transientFailure(let code, let reply) = report.outcome else {
            Issue.record("expected a transient failure, got \(report.outcome)")
            return
        }
        #expect(code == 0)
        #expect(reply.hasPrefix("connection failed: "))
    }
}

/// Hands out the scripted tokens in order, then fails.
private final class ScriptedTokens: SMTPTokenSource {
    private let tokens: Mutex<[String]>

    init(_ tokens: [String]) {
        self.tokens = Mutex(tokens)
    }

    func bearerToken() async throws(SMTPError) -> String {
        guard let token = tokens.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
            throw SMTPError(reason: "no token left in the script")
        }
        return token
    }
}
