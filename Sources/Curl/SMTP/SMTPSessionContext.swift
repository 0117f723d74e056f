import CCurl

/// The per-connection state libcurl's callbacks read and fill; touched only by the connection's thread.
final class SMTPSessionContext {
    /// The message being sent (CRLF bytes) and how much libcurl has read of it.
    private var message: [UInt8] = []
    private var offset = 0
    /// The replies received during the current transfer, in order.
    private(set) var replies: [SMTPReply] = []
    private var pendingLines: [String] = []
    private var currentCommand = "CONNECT"

    /// Commands whose verb may be recorded; anything else the client sends (AUTH continuations) is not looked at.
    private static let knownVerbs: Set<String> = [
        "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY",
    ]

    /// Starts a new transfer of `message`.
    func begin(_ message: [UInt8]) {
        self.message = message
        offset = 0
        replies = []
        pendingLines = []
        currentCommand = "CONNECT"
    }

    /// Copies up to `capacity` bytes of the message into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, message.count - offset)
        guard count > 0 else { return 0 }
        message.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// Notes the verb of a command the client sent (`CURLINFO_HEADER_OUT`); arguments are never kept.
    func sent(_ bytes: UnsafeRawBufferPointer) {
        let verb = bytes.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        let word = String(decoding: verb, as: UTF8.self).uppercased()
        currentCommand = Self.knownVerbs.contains(word) ? word : "OTHER"
    }

    /// Collects one reply line (`CURLOPT_HEADERFUNCTION`); the last line of a reply (`250 ` rather than `250-`)
    /// completes it.
    func received(_ line: String) {
        var trimmed = Substring(line)
        while trimmed.last?.isNewline == true { trimmed.removeLast() }
        // A hostile server could send continuation lines forever: keep the first 100 lines of a reply, each made
        // printable (control characters escaped) since replies reach the ledger, logs and the terminal.
        if pendingLines.count < 100 { pendingLines.append(PrintableText.escaped(trimmed, limit: 1000)) }
        let characters = Array(trimmed.utf8)
        guard characters.count < 4 || characters[3] != UInt8(ascii: "-") else { return }
        let code = Int(String(decoding: characters.prefix(3), as: UTF8.self)) ?? 0
        if replies.count < 10_000 {
            replies.append(SMTPReply(command: currentCommand, code: code, lines: pendingLines))
        }
        pendingLines = []
        if currentCommand == "DATA" && code == 354 {
            currentCommand = "BODY"
        }
    }
}

/// `CURLOPT_READFUNCTION`: feeds the message to libcurl.
let smtpReadCallback: dg_data_callback = { buffer, size, count, userData in
    guard let buffer, let userData else { return 0 }
    let context = Unmanaged<SMTPSessionContext>.fromOpaque(userData).takeUnretainedValue()
    return context.read(into: buffer, capacity: size * count)
}

/// `CURLOPT_HEADERFUNCTION`: receives every SMTP reply line.
let smtpHeaderCallback: dg_data_callback = { buffer, size, count, userData in
    let length = size * count
    guard let buffer, let userData else { return length }
    let context = Unmanaged<SMTPSessionContext>.fromOpaque(userData).takeUnretainedValue()
    context.received(String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self))
    return length
}

/// `CURLOPT_DEBUGFUNCTION`: used only to learn which command each reply answers.
let smtpDebugCallback: dg_debug_callback = { _, type, data, size, userData in
    guard type == CURLINFO_HEADER_OUT, let data, let userData else { return 0 }
    let context = Unmanaged<SMTPSessionContext>.fromOpaque(userData).takeUnretainedValue()
    context.sent(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
