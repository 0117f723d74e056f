import Foundation
import Synchronization

/// Sends messages over up to `connections` reused SMTP connections, each an easy handle on a dedicated thread.
///
/// STARTTLS (when required) and AUTH happen once per connection; certificates are always verified. Any number of
/// `send` calls may be in flight: each attempt goes to whichever connection is free. Transient failures (4xx replies,
/// dropped connections, timeouts) are retried with exponential backoff and jitter; permanent
/// ones (5xx) are not. A refused recipient does not drop the connection.
///
/// A failure of the session rather than the message (AUTH refused, TLS or the certificate failed, no bearer token:
/// `SMTPOutcome.sessionFailure`) is not retried either, and stops the transport: every later message gets the same
/// outcome without a connection being tried, so that a wrong password is not tried again and again (mail servers lock
/// accounts that fail too often). For the same reason the first message goes alone: the other connections open only
/// once its first attempt has shown that the session can be set up.
public final class SMTPTransport: Sendable {
    /// The configuration the transport was created with.
    public let configuration: SMTPConfiguration
    private let queue = SMTPJobQueue()
    private let counters = SMTPCounters()
    private let limiter: SMTPRateLimiter?
    private let finished: DispatchGroup
    /// The first session failure seen; once set, no message is tried any more.
    private let stopped = Mutex<SMTPOutcome?>(nil)
    /// Holds the other messages back while the first one shows whether the session can be set up.
    private let gate = SMTPSessionGate()

    /// Starts the connection threads; connections are opened on first use. Throws if libcurl cannot initialise.
    public init(configuration: SMTPConfiguration) throws(SMTPError) {
        guard CurlGlobal.ensureInitialized() else { throw SMTPError(reason: "libcurl could not be initialised") }
        self.configuration = configuration
        limiter = SMTPRateLimiter(perSecond: configuration.maxPerSecond, perMinute: configuration.maxPerMinute)
        let finished = DispatchGroup()
        self.finished = finished
        for index in 0..<configuration.connections {
            let connection = SMTPConnection(configuration: configuration, queue: queue, counters: counters)
            finished.enter()
            let thread = Thread {
                connection.run()
                finished.leave()
            }
            thread.name = "digest.smtp.\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit {
        queue.close()
    }

    /// Sends `message` (CRLF line ends; a bare LF is repaired to CRLF) to the envelope's recipients and returns what
    /// became of it; never throws.
    ///
    /// `.delivered` means at least one recipient was accepted; use `sendReporting` to see each recipient's reply.
    public func send(_ message: [UInt8], envelope: SMTPEnvelope) async -> SMTPOutcome {
        await sendReporting(message, envelope: envelope).outcome
    }

    /// Sends like `send`, and also reports each recipient's RCPT reply and the number of attempts.
    public func sendReporting(_ message: [UInt8], envelope: SMTPEnvelope) async -> SMTPReport {
        guard !envelope.recipients.isEmpty else {
            return SMTPReport(
                outcome: .permanentFailure(code: 0, reply: "the envelope has no recipients"), recipients: [])
        }
        let addresses = [envelope.from] + envelope.recipients
        if let bad = addresses.first(where: { $0.contains(where: Self.forbiddenInAddress.contains) }) {
            return SMTPReport(
                outcome: .permanentFailure(
                    code: 0, reply: "invalid envelope address \(bad.debugDescription): no <, >, spaces or line breaks"),
                recipients: envelope.recipients.map { SMTPRecipientResult(address: $0, code: 0, reply: "") })
        }
        let message = CRLF.normalized(message)
        var attempt = 1
        while true {
            let probe = await gate.enter()
            if let stop = stopped.withLock({ $0 }) {
                if probe { gate.open() }
                return notTried(envelope, stop, attempts: attempt - 1)
            }
            await limiter?.wait()
            // The token is asked for after the rate limit's wait, so that it is current when the message goes out.
            var bearer: String?
            if let source = configuration.tokenSource {
                do throws(SMTPError) {
                    bearer = try await source.bearerToken()
                } catch {
                    let stop = latch(.sessionFailure(code: 0, reply: error.reason))
                    if probe { gate.open() }
                    return notTried(envelope, stop, attempts: attempt - 1)
                }
            }
            var report = await withCheckedContinuation { continuation in
                let job = SMTPJob(message: message, envelope: envelope, bearer: bearer, completion: continuation)
                if !queue.submit(job) {
                    continuation.resume(
                        returning: SMTPReport(
                            outcome: .transientFailure(code: 0, reply: "the SMTP transport is closed"),
                            recipients: envelope.recipients.map { SMTPRecipientResult(address: $0, code: 0, reply: "") }
                        ))
                }
            }
            report.attempts = attempt
            if case .sessionFailure = report.outcome { report.outcome = latch(report.outcome) }
            if probe { gate.open() }
            guard case .transientFailure = report.outcome, attempt <= configuration.retries, !queue.isClosed,
                !Task.isCancelled
            else { return report }
            try? await Task.sleep(for: retryDelay(after: attempt))
            // Cancelled while waiting (the run is stopping): report the last attempt rather than make another.
            if Task.isCancelled { return report }
            attempt += 1
        }
    }

    /// Records `failure` as the reason the transport stops, unless one was recorded first; returns the one kept.
    private func latch(_ failure: SMTPOutcome) -> SMTPOutcome {
        stopped.withLock { stopped in
            if stopped == nil { stopped = failure }
            return stopped ?? failure
        }
    }

    /// The report of a message not tried because the session failed (`outcome`).
    private func notTried(_ envelope: SMTPEnvelope, _ outcome: SMTPOutcome, attempts: Int) -> SMTPReport {
        SMTPReport(
            outcome: outcome,
            recipients: envelope.recipients.map { SMTPRecipientResult(address: $0, code: 0, reply: "") },
            attempts: attempts)
    }

    /// Characters that would break out of `MAIL FROM:<…>` / `RCPT TO:<…>` (command injection) if let through.
    private static let forbiddenInAddress: Set<Character> = ["<", ">", " ", "\r", "\n", "\r\n", "\0", "\t"]

    /// The wait after failed attempt `attempt` (1-based): `backoff · 2^(attempt-1)`, scaled by a random 0.5–1.5.
    private func retryDelay(after attempt: Int) -> Duration {
        configuration.backoff * (1 << min(attempt - 1, 16)) * Double.random(in: 0.5...1.5)
    }

    /// Stops taking messages, lets the ones already queued finish, then closes every connection (QUIT).
    public func close() async {
        queue.close()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            finished.notify(queue: .global()) { continuation.resume() }
        }
    }

    /// How many connections have been opened so far (the sum of `CURLINFO_NUM_CONNECTS`), reconnections included.
    public var connectionsOpened: Int { counters.connectionsOpened }
}
