import Foundation

/// One message attempt waiting for a free connection thread.
struct SMTPJob: Sendable {
    /// The message bytes (CRLF line ends).
    var message: [UInt8]
    /// Its envelope.
    var envelope: SMTPEnvelope
    /// The OAuth 2.0 bearer token to authenticate with, when the transport uses XOAUTH2.
    var bearer: String?
    /// Resumed by the connection thread with the attempt's report.
    var completion: CheckedContinuation<SMTPReport, Never>
}

/// The queue the connection threads take jobs from: whichever thread is free takes the next job.
///
/// `@unchecked` because the connection threads block in `next()` until a job comes, which needs a condition variable
/// (`NSCondition`); `Mutex` has none. Every stored property is read and written with the condition locked.
final class SMTPJobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [SMTPJob] = []
    private var closed = false

    /// Adds a job; returns false (and keeps nothing) once the queue is closed.
    func submit(_ job: SMTPJob) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Blocks until a job is available; returns nil once the queue is closed and empty.
    func next() -> SMTPJob? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !closed { condition.wait() }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }

    /// Refuses new jobs and wakes every waiting thread; jobs already queued are still handed out.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// True once `close` was called.
    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }
}
