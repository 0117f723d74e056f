import CCurl
import Foundation
import Synchronization

/// One SMTP connection: an easy handle that only its own thread uses, sending job after job over the connection
/// libcurl keeps open between transfers (STARTTLS and AUTH happen once per connection).
///
/// `@unchecked` because its session context is mutable state handed to libcurl's callbacks; only the connection's
/// own thread (`run`) touches it.
final class SMTPConnection: @unchecked Sendable {
    private let configuration: SMTPConfiguration
    private let queue: SMTPJobQueue
    private let counters: SMTPCounters
    private let context = SMTPSessionContext()
    /// The bearer token last given to libcurl (XOAUTH2), so that it is set again only when it changes.
    private var currentBearer: String?

    /// Prepares a connection that takes its jobs from `queue`.
    init(configuration: SMTPConfiguration, queue: SMTPJobQueue, counters: SMTPCounters) {
        self.configuration = configuration
        self.queue = queue
        self.counters = counters
    }

    /// The thread's body: performs jobs until the queue closes, then cleans up (libcurl sends QUIT).
    ///
    /// A connection that cannot be set up (no easy handle, or an option libcurl refuses, a security option among
    /// them) sends nothing: each of its jobs fails as temporary, naming the cause, so that the run records it and a
    /// later run retries once the cause is fixed.
    func run() {
        guard let handle = EasyHandle() else {
            failEveryJob("libcurl could not be initialised")
            return
        }
        withExtendedLifetime(context) {
            do throws(SetupFailure) {
                try configure(handle)
            } catch {
                failEveryJob("cannot set up the SMTP connection: \(error.reason)")
                return
            }
            while let job = queue.next() {
                job.completion.resume(returning: send(job, on: handle))
            }
        }
    }

    private func failEveryJob(_ reason: String) {
        while let job = queue.next() { job.completion.resume(returning: Self.notSent(job, reason)) }
    }

    /// The report of a job that was not attempted: a temporary failure with `reason`, for every recipient.
    private static func notSent(_ job: SMTPJob, _ reason: String) -> SMTPReport {
        SMTPReport(
            outcome: .transientFailure(code: 0, reply: reason),
            recipients: job.envelope.recipients.map { SMTPRecipientResult(address: $0, code: 0, reply: "") })
    }

    /// Sets every option of the connection, each checked: one libcurl refuses stops the setup.
    private func configure(_ handle: EasyHandle) throws(SetupFailure) {
        let userData = Unmanaged.passUnretained(context).toOpaque()
        try handle.apply(CURLOPT_URL, configuration.curlURL)
        try handle.apply(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        let scheme = configuration.url.scheme?.lowercased()
        let useSSL = configuration.starttls == .required || scheme == "smtps" ? CURLUSESSL_ALL : CURLUSESSL_NONE
        try handle.apply(CURLOPT_USE_SSL, Int(useSSL.rawValue))
        try handle.apply(CURLOPT_SSL_VERIFYPEER, 1)
        try handle.apply(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = configuration.caFile { try handle.apply(CURLOPT_CAINFO, caFile) }
        if let username = configuration.username, configuration.tokenSource != nil {
            // XOAUTH2 only: the bearer is set for each message (`send`), the token may change during a run.
            try handle.apply(CURLOPT_USERNAME, username)
            try handle.apply(CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2")
            try handle.apply(CURLOPT_SASL_IR, 1)
        } else if let username = configuration.username, let password = configuration.password {
            try handle.apply(CURLOPT_USERNAME, username)
            try handle.apply(CURLOPT_PASSWORD, password)
            try handle.apply(CURLOPT_SASL_IR, 1)
        }
        try handle.apply(CURLOPT_CONNECTTIMEOUT_MS, Formatting.milliseconds(configuration.timeout))
        try handle.apply(CURLOPT_TIMEOUT_MS, Formatting.milliseconds(configuration.timeout))
        try handle.apply(CURLOPT_UPLOAD, 1)
        try handle.apply(CURLoption(rawValue: 290), with: { dg_mail_rcpt_allowfails($0, 1) })  // MAIL_RCPT_ALLOWFAILS
        try handle.apply(CURLOPT_READFUNCTION, with: { dg_easy_setopt_read_callback($0, smtpReadCallback) })
        try handle.apply(CURLOPT_READDATA, pointer: userData)
        try handle.apply(CURLOPT_HEADERFUNCTION, with: { dg_easy_setopt_header_callback($0, smtpHeaderCallback) })
        try handle.apply(CURLOPT_HEADERDATA, pointer: userData)
        // Verbose mode only so that the debug callback sees each command verb; nothing is printed.
        try handle.apply(CURLOPT_DEBUGFUNCTION, with: { dg_easy_setopt_debug_callback($0, smtpDebugCallback) })
        try handle.apply(CURLOPT_DEBUGDATA, pointer: userData)
        try handle.apply(CURLOPT_VERBOSE, 1)
    }

    /// Sends one message (one attempt) and reports the outcome per message and per recipient.
    private func send(_ job: SMTPJob, on handle: EasyHandle) -> SMTPReport {
        var recipients: UnsafeMutablePointer<curl_slist>?
        var listed = 0
        for address in job.envelope.recipients {
            guard let appended = curl_slist_append(recipients, "<\(address)>") else { break }  // out of memory
            recipients = appended
            listed += 1
        }
        defer {
            _ = dg_easy_setopt_slist(handle.raw, CURLOPT_MAIL_RCPT, nil)  // clearing cannot fail
            curl_slist_free_all(recipients)
        }
        do throws(SetupFailure) {
            guard listed == job.envelope.recipients.count else {
                throw SetupFailure(code: CURLE_OUT_OF_MEMORY, reason: "libcurl could not build the recipient list")
            }
            try handle.apply(CURLOPT_MAIL_FROM, "<\(job.envelope.from)>")
            try handle.apply(CURLOPT_MAIL_RCPT, with: { dg_easy_setopt_slist($0, CURLOPT_MAIL_RCPT, recipients) })
            try handle.apply(CURLOPT_INFILESIZE_LARGE, offset: job.message.count)
            if let bearer = job.bearer, bearer != currentBearer {
                // libcurl reuses a connection only for the same bearer: a new token opens a new, freshly
                // authenticated connection.
                try handle.apply(CURLOPT_XOAUTH2_BEARER, bearer)
                currentBearer = bearer
            }
        } catch {
            return Self.notSent(job, "cannot set up the message: \(error.reason)")
        }
        context.begin(job.message)
        let code = handle.perform()

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
final class SMTPCounters: Sendable {
    private let connections = Atomic<Int>(0)

    /// Adds `count` newly opened connections (`CURLINFO_NUM_CONNECTS` of one transfer).
    func addConnections(_ count: Int) {
        connections.add(count, ordering: .relaxed)
    }

    /// Connections opened so far.
    var connectionsOpened: Int {
        connections.load(ordering: .relaxed)
    }
}
