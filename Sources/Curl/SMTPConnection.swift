import CCurl
import Foundation

/// One SMTP connection: an easy handle that only its own thread uses, sending job after job over the connection
/// libcurl keeps open between transfers (STARTTLS and AUTH happen once per connection).
final class SMTPConnection: @unchecked Sendable {
    private let configuration: SMTPConfiguration
    private let queue: SMTPJobQueue
    private let counters: SMTPCounters
    private let context = SMTPSessionContext()

    /// Prepares a connection that takes its jobs from `queue`.
    init(configuration: SMTPConfiguration, queue: SMTPJobQueue, counters: SMTPCounters) {
        self.configuration = configuration
        self.queue = queue
        self.counters = counters
    }

    /// The thread's body: performs jobs until the queue closes, then cleans up (libcurl sends QUIT).
    func run() {
        guard let handle = EasyHandle() else {
            while let job = queue.next() {
                job.completion.resume(
                    returning: SMTPReport(
                        outcome: .permanentFailure(code: 0, reply: "libcurl could not be initialised"),
                        recipients: job.envelope.recipients.map { SMTPRecipientResult(address: $0, code: 0, reply: "") }
                    ))
            }
            return
        }
        withExtendedLifetime(context) {
            configure(handle)
            while let job = queue.next() {
                job.completion.resume(returning: send(job, on: handle))
            }
        }
    }

    private func configure(_ handle: EasyHandle) {
        let userData = Unmanaged.passUnretained(context).toOpaque()
        handle.set(CURLOPT_URL, configuration.curlURL)
        handle.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        let scheme = configuration.url.scheme?.lowercased()
        let useSSL = configuration.starttls == .required || scheme == "smtps" ? CURLUSESSL_ALL : CURLUSESSL_NONE
        handle.set(CURLOPT_USE_SSL, Int(useSSL.rawValue))
        handle.set(CURLOPT_SSL_VERIFYPEER, 1)
        handle.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = configuration.caFile { handle.set(CURLOPT_CAINFO, caFile) }
        if let username = configuration.username, let password = configuration.password {
            handle.set(CURLOPT_USERNAME, username)
            handle.set(CURLOPT_PASSWORD, password)
            handle.set(CURLOPT_SASL_IR, 1)
        }
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, Formatting.milliseconds(configuration.timeout))
        handle.set(CURLOPT_TIMEOUT_MS, Formatting.milliseconds(configuration.timeout))
        handle.set(CURLOPT_UPLOAD, 1)
        _ = dg_mail_rcpt_allowfails(handle.raw, 1)
        _ = dg_easy_setopt_read_callback(handle.raw, smtpReadCallback)
        handle.set(CURLOPT_READDATA, pointer: userData)
        _ = dg_easy_setopt_header_callback(handle.raw, smtpHeaderCallback)
        handle.set(CURLOPT_HEADERDATA, pointer: userData)
        // Verbose mode only so that the debug callback sees each command verb; nothing is printed.
        _ = dg_easy_setopt_debug_callback(handle.raw, smtpDebugCallback)
        handle.set(CURLOPT_DEBUGDATA, pointer: userData)
        handle.set(CURLOPT_VERBOSE, 1)
    }

    /// Sends one message (one attempt) and reports the outcome per message and per recipient.
    private func send(_ job: SMTPJob, on handle: EasyHandle) -> SMTPReport {
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in job.envelope.recipients {
            recipients = curl_slist_append(recipients, "<\(address)>")
        }
        handle.set(CURLOPT_MAIL_FROM, "<\(job.envelope.from)>")
        _ = dg_easy_setopt_slist(handle.raw, CURLOPT_MAIL_RCPT, recipients)
        handle.set(CURLOPT_INFILESIZE_LARGE, offset: job.message.count)
        context.begin(job.message)
        let code = handle.perform()
        _ = dg_easy_setopt_slist(handle.raw, CURLOPT_MAIL_RCPT, nil)
        curl_slist_free_all(recipients)

        counters.addConnections(handle.info(long: CURLINFO_NUM_CONNECTS))
        let replies = context.replies
        let outcome = SMTPOutcome.classify(
            curlCode: code.rawValue, responseCode: handle.info(long: CURLINFO_RESPONSE_CODE), replies: replies,
            errorText: code == CURLE_OK ? "" : handle.errorText(for: code))
        let perRecipient = SMTPOutcome.recipientReplies(replies, count: job.envelope.recipients.count)
        let results = zip(job.envelope.recipients, perRecipient).map { address, reply in
            SMTPRecipientResult(address: address, code: reply?.code ?? 0, reply: reply?.text ?? "")
        }
        return SMTPReport(outcome: outcome, recipients: results)
    }
}

/// Counters shared by a transport's connection threads.
final class SMTPCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var connections = 0

    /// Adds `count` newly opened connections (`CURLINFO_NUM_CONNECTS` of one transfer).
    func addConnections(_ count: Int) {
        lock.withLock { connections += count }
    }

    /// Connections opened so far.
    var connectionsOpened: Int {
        lock.withLock { connections }
    }
}
