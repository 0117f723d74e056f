import CCurl

extension SMTPOutcome {
    /// libcurl results that mean the connection failed or dropped: worth another try.
    private static let networkCodes: Set<UInt32> = [
        CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR,
        CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    /// libcurl results that mean TLS could not be set up or the certificate was not trusted: the session's failure.
    private static let tlsCodes: Set<UInt32> = [
        CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_USE_SSL_FAILED, CURLE_SSL_CACERT_BADFILE,
        CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    /// Classifies one transaction from libcurl's result, the last reply code and the replies collected, in order.
    /// AUTH and TLS failures, and a 530 to MAIL, are the session's (`.sessionFailure`), not the message's.
    ///
    /// With `CURLOPT_MAIL_RCPT_ALLLOWFAILS`, success means at least one recipient was accepted. `errorText` is
    /// libcurl's error buffer (it never contains credentials).
    static func classify(curlCode: UInt32, responseCode: Int, replies: [SMTPReply], errorText: String) -> SMTPOutcome {
        // libcurl's text can quote what the peer sent (a certificate's names): escaped like the replies.
        let errorText = PrintableText.escaped(errorText)
        if curlCode == CURLE_OK.rawValue {
            let final = replies.last { $0.command == "BODY" }
            return .delivered(reply: final?.text ?? "\(responseCode)")
        }
        if curlCode == CURLE_LOGIN_DENIED.rawValue {
            let reply = replies.last { $0.code >= 400 }
            return .sessionFailure(
                code: reply?.code ?? responseCode, reply: "authentication failed: \(reply?.text ?? errorText)")
        }
        if tlsCodes.contains(curlCode) {
            return .sessionFailure(code: 0, reply: "TLS failed: \(errorText)")
        }
        // RFC 4954 §6: 530 "authentication required" (also "must issue STARTTLS first") before MAIL is the session's.
        if let mail = replies.last(where: { $0.command == "MAIL" }), mail.code == 530 {
            return .sessionFailure(code: 530, reply: "the server wants authentication or TLS first: \(mail.text)")
        }
        if let refusal = refusal(in: replies) {
            return refusal.code < 500
                ? .transientFailure(code: refusal.code, reply: refusal.text)
                : .permanentFailure(code: refusal.code, reply: refusal.text)
        }
        if networkCodes.contains(curlCode) {
            return .transientFailure(code: 0, reply: "connection failed: \(errorText)")
        }
        return .permanentFailure(code: responseCode, reply: errorText)
    }

    /// The reply that refused the message, if one did: the final reply after the data, the DATA or MAIL reply, the
    /// RCPT replies when every recipient was refused (a temporary refusal wins, since retrying may then help), or a
    /// greeting/closing 4xx/5xx.
    private static func refusal(in replies: [SMTPReply]) -> SMTPReply? {
        for command in ["BODY", "DATA", "MAIL"] {
            if let reply = replies.last(where: { $0.command == command }), reply.code >= 400 { return reply }
        }
        let recipients = replies.filter { $0.command == "RCPT" }
        if !recipients.isEmpty, recipients.allSatisfy({ $0.code >= 400 }) {
            return recipients.first { $0.code < 500 } ?? recipients[0]
        }
        if let last = replies.last, last.code >= 400 { return last }
        return nil
    }

    /// The outcome for each recipient, by position of the RCPT replies; nil when no RCPT reply was seen for it.
    static func recipientReplies(_ replies: [SMTPReply], count: Int) -> [SMTPReply?] {
        let recipients = replies.filter { $0.command == "RCPT" }
        return (0..<count).map { $0 < recipients.count ? recipients[$0] : nil }
    }
}
