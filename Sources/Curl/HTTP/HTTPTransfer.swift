import CCurl
import Foundation

/// One blocking fetch attempt on the calling thread (call it from a dedicated thread, never the cooperative pool).
enum HTTPTransfer {
    /// Performs `request` once and classifies the outcome; `attempt` is recorded in the result. A request that fails
    /// `FetchRequest.validate()`, or an option or body libcurl refuses, fails before any connection is made.
    ///
    /// HTTP(S) redirects are followed here, one `curl_easy_perform` per request on the same handle (so connections
    /// are reused), by the rules of `RedirectChain`: the caller's headers reach only the first request's origin. The
    /// total timeout covers the whole chain.
    static func perform(
        _ request: FetchRequest, attempt: Int, deadline fetchDeadline: ContinuousClock.Instant? = nil
    ) -> Result<FetchResponse, FetchError> {
        do throws(FetchError) {
            try request.validate()
        } catch {
            var error = error
            error.attempts = attempt
            return .failure(error)
        }
        guard let handle = EasyHandle() else {
            return .failure(
                FetchError(
                    url: request.url, curlCode: Int(CURLE_FAILED_INIT.rawValue),
                    reason: "libcurl could not be initialised", isTransient: false, attempts: attempt))
        }
        let context = HTTPTransferContext(maxBytes: request.maxBytes)
        return withExtendedLifetime((handle, context)) {
            func failure(_ code: CURLcode, _ reason: String, transient: Bool) -> Result<FetchResponse, FetchError> {
                .failure(
                    FetchError(
                        url: request.url, curlCode: Int(code.rawValue), reason: reason, isTransient: transient,
                        attempts: attempt))
            }
            var headers: UnsafeMutablePointer<curl_slist>?
            var mime: OpaquePointer?
            // The header list and the MIME body must outlive the transfer; both are freed while the handle still lives
            // (curl_mime_free detaches the body from it), before the handle is cleaned up.
            defer {
                curl_mime_free(mime)
                curl_slist_free_all(headers)
            }
            do throws(SetupFailure) {
                try configure(handle, for: request, context: context)
                if !request.isFile { mime = try configureBody(handle, for: request) }
            } catch {
                return failure(error.code, error.reason, transient: false)
            }
            if request.isFile {
                let code = handle.perform()
                return classify(code, handle: handle, context: context, request: request, attempt: attempt)
            }
            // CURLOPT_TIMEOUT_MS 0 means no limit; otherwise each request gets what the fetch has left (its attempts
            // and redirects share request.timeout.total).
            let total = Formatting.milliseconds(request.timeout.total)
            let deadline = total > 0 ? fetchDeadline ?? ContinuousClock.now + request.timeout.total : nil
            var chain = RedirectChain(request)
            while true {
                let left = deadline.map { Formatting.milliseconds($0 - ContinuousClock.now) } ?? 0
                if deadline != nil, left == 0 {
                    return failure(
                        CURLE_OPERATION_TIMEDOUT, "timed out after \(Formatting.duration(request.timeout.total))",
                        transient: true)
                }
                do throws(SetupFailure) {
                    try prepare(handle, for: chain, timeout: left, headers: &headers)
                } catch {
                    return failure(error.code, error.reason, transient: false)
                }
                context.startResponse()
                let code = handle.perform()
                guard code == CURLE_OK else {
                    return classify(
                        code, handle: handle, context: context, request: request, attempt: attempt,
                        host: chain.origin?.host)
                }
                let status = handle.info(long: CURLINFO_RESPONSE_CODE)
                guard RedirectChain.isRedirect(status), let target = handle.info(string: CURLINFO_REDIRECT_URL) else {
                    return classify(code, handle: handle, context: context, request: request, attempt: attempt)
                }
                do throws(RedirectChain.Refusal) {
                    try chain.follow(status, to: target)
                } catch {
                    let (reason, transient) = explain(
                        error.code, detail: error.detail, context: context, request: request, host: nil)
                    return failure(error.code, reason, transient: transient)
                }
            }
        }
    }

    /// Sets what changes from one request of a redirect chain to the next: the URL, the time left (`timeout` ms, 0
    /// for no limit), the header list (which replaces `headers`, freeing the previous one) and, once a redirect has
    /// turned a POST into a GET, the method (libcurl then ignores the body; a MIME one stays attached until freed).
    private static func prepare(
        _ handle: EasyHandle, for chain: RedirectChain, timeout: Int, headers: inout UnsafeMutablePointer<curl_slist>?
    ) throws(SetupFailure) {
        let list = try headerList(chain.headerLines)
        do throws(SetupFailure) {
            try handle.apply(CURLOPT_HTTPHEADER) { dg_easy_setopt_slist($0, CURLOPT_HTTPHEADER, list) }
        } catch {
            curl_slist_free_all(list)
            throw error
        }
        curl_slist_free_all(headers)
        headers = list
        try handle.apply(CURLOPT_URL, chain.url)
        try handle.apply(CURLOPT_TIMEOUT_MS, timeout)
        if chain.method == .get, chain.request.method != .get { try handle.apply(CURLOPT_HTTPGET, 1) }
    }

    /// The lines of `CURLOPT_HTTPHEADER` for the first request of `request` (see the other `headerLines`); none for a
    /// file.
    static func headerLines(for request: FetchRequest) -> [String] {
        guard !request.isFile else { return [] }
        return headerLines(
            method: request.method, headers: request.headers, body: request.body, etag: request.etag,
            lastModified: request.lastModified)
    }

    /// The lines of `CURLOPT_HTTPHEADER`: the validators (GET only), the caller's headers in order, then what a POST's
    /// body needs (its `Content-Type`, and an empty `Expect:` so that a POST does not wait for `100 Continue`).
    static func headerLines(
        method: HTTPMethod, headers: [HTTPHeader], body: RequestBody?, etag: String?, lastModified: String?
    ) -> [String] {
        var lines = [String]()
        if method == .get {
            if let etag { lines.append("If-None-Match: \(etag)") }
            if let lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        }
        // libcurl sends "Name:" as "remove my header of this name"; an empty value is spelled "Name;".
        lines += headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        guard method == .post else { return lines }
        let names = Set(headers.map { $0.name.lowercased() })
        if !names.contains("content-type") {
            switch body {
            case .raw(_, let contentType?): lines.append("Content-Type: \(contentType)")
            case .raw(_, nil): lines.append("Content-Type: application/octet-stream")
            case nil: lines.append("Content-Type:")  // an empty POST: drop libcurl's urlencoded default
            case .form, .multipart: break
            }
        }
        if !names.contains("expect") { lines.append("Expect:") }
        return lines
    }

    /// `lines` as a libcurl list (nil when empty); the caller frees it with `curl_slist_free_all`.
    private static func headerList(_ lines: [String]) throws(SetupFailure) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let longer = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw SetupFailure(code: CURLE_OUT_OF_MEMORY, reason: "libcurl could not build the header list")
            }
            list = longer
        }
        return list
    }

    /// Sets what every request of the attempt shares; `perform` sets the URL, the time left, the header list and the
    /// method of each HTTP(S) request.
    private static func configure(_ handle: EasyHandle, for request: FetchRequest, context: HTTPTransferContext)
        throws(SetupFailure)
    {
        let userData = Unmanaged.passUnretained(context).toOpaque()
        try handle.apply(CURLOPT_URL, request.curlURL)
        try handle.apply(CURLOPT_WRITEFUNCTION) { dg_easy_setopt_write_callback($0, httpWriteCallback) }
        try handle.apply(CURLOPT_WRITEDATA, pointer: userData)
        try handle.apply(CURLOPT_HEADERFUNCTION) { dg_easy_setopt_header_callback($0, httpHeaderCallback) }
        try handle.apply(CURLOPT_HEADERDATA, pointer: userData)
        try handle.apply(CURLOPT_CONNECTTIMEOUT_MS, Formatting.milliseconds(request.timeout.connect))
        try handle.apply(CURLOPT_TIMEOUT_MS, Formatting.milliseconds(request.timeout.total))
        if request.isFile {
            try handle.apply(CURLOPT_PROTOCOLS_STR, "file")
            return
        }
        try handle.apply(CURLOPT_PROTOCOLS_STR, "http,https")
        try handle.apply(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Redirects are followed by `perform` (see `RedirectChain`): libcurl would send the caller's headers anywhere.
        try handle.apply(CURLOPT_FOLLOWLOCATION, 0)
        try handle.apply(CURLOPT_ACCEPT_ENCODING, "")
        try handle.apply(CURLOPT_USERAGENT, request.userAgent)
        try handle.apply(CURLOPT_MAXFILESIZE_LARGE, offset: request.maxBytes)
        try handle.apply(CURLOPT_SSL_VERIFYPEER, 1)
        try handle.apply(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = request.caFile { try handle.apply(CURLOPT_CAINFO, caFile) }
    }

    /// Sets a POST's body; returns the MIME structure of a multipart body, which the caller frees after the transfer.
    private static func configureBody(_ handle: EasyHandle, for request: FetchRequest) throws(SetupFailure)
        -> OpaquePointer?
    {
        guard request.method == .post else { return nil }
        switch request.body {
        case .multipart(let parts):
            let mime = try makeMIME(parts, for: handle)
            do throws(SetupFailure) {
                try handle.apply(CURLOPT_MIMEPOST) { dg_easy_setopt_mime($0, mime) }
            } catch {
                curl_mime_free(mime)
                throw error
            }
            return mime
        case .raw(let data, _):
            try post(data, on: handle)
        case .form(let fields):
            try post(Data(RequestBody.urlencoded(fields).utf8), on: handle)
        case nil:
            try post(Data(), on: handle)
        }
        return nil
    }

    /// `CURLOPT_POST`, then the size, then `CURLOPT_COPYPOSTFIELDS` (libcurl copies `bytes`, NULs included).
    private static func post(_ bytes: Data, on handle: EasyHandle) throws(SetupFailure) {
        try handle.apply(CURLOPT_POST, 1)
        try handle.apply(CURLOPT_POSTFIELDSIZE_LARGE, offset: bytes.count)
        try handle.apply(CURLOPT_COPYPOSTFIELDS) { raw in
            // A null pointer would clear the body (libcurl would then read one from stdin): an empty body gets "".
            guard !bytes.isEmpty else { return dg_easy_setopt_string(raw, CURLOPT_COPYPOSTFIELDS, "") }
            return bytes.withUnsafeBytes { dg_easy_setopt_bytes(raw, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        }
    }

    /// A `curl_mime` holding `parts` in order, each with its name, data and, when given, type and filename.
    private static func makeMIME(_ parts: [MultipartPart], for handle: EasyHandle) throws(SetupFailure) -> OpaquePointer
    {
        guard let mime = curl_mime_init(handle.raw) else {
            throw SetupFailure(code: CURLE_OUT_OF_MEMORY, reason: "libcurl could not start a multipart body")
        }
        do throws(SetupFailure) {
            for part in parts {
                guard let mimePart = curl_mime_addpart(mime) else {
                    throw SetupFailure(code: CURLE_OUT_OF_MEMORY, reason: "libcurl could not add part '\(part.name)'")
                }
                func check(_ code: CURLcode, _ function: String) throws(SetupFailure) {
                    guard code == CURLE_OK else {
                        throw SetupFailure(
                            code: code,
                            reason: "libcurl refused part '\(part.name)' (\(function)): \(CurlGlobal.describe(code))")
                    }
                }
                try check(curl_mime_name(mimePart, part.name), "curl_mime_name")
                let content = part.content
                let dataCode =
                    content.isEmpty
                    ? curl_mime_data(mimePart, "", 0)
                    : content.withUnsafeBytes {
                        curl_mime_data(mimePart, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count)
                    }
                try check(dataCode, "curl_mime_data")
                if let contentType = part.contentType {
                    try check(curl_mime_type(mimePart, contentType), "curl_mime_type")
                }
                if let filename = part.filename {
                    try check(curl_mime_filename(mimePart, filename), "curl_mime_filename")
                }
            }
        } catch {
            curl_mime_free(mime)
            throw error
        }
        return mime
    }

    /// The outcome of the last request of an attempt; `host` is the host it went to (the first one's when nil).
    private static func classify(
        _ code: CURLcode, handle: EasyHandle, context: HTTPTransferContext, request: FetchRequest, attempt: Int,
        host: String? = nil
    ) -> Result<FetchResponse, FetchError> {
        guard code == CURLE_OK else {
            let (reason, transient) = explain(
                code, detail: handle.errorText(for: code), context: context, request: request, host: host)
            return .failure(
                FetchError(
                    url: request.url, curlCode: Int(code.rawValue), reason: reason, isTransient: transient,
                    attempts: attempt))
        }
        let status = request.isFile ? 0 : handle.info(long: CURLINFO_RESPONSE_CODE)
        let finalURL = handle.info(string: CURLINFO_EFFECTIVE_URL).flatMap { URL(string: $0) } ?? request.url
        let notModified = status == 304
        guard status == 0 || (200..<300).contains(status) || notModified else {
            let transient = status >= 500 || status == 408 || status == 429
            return .failure(
                FetchError(
                    url: request.url, curlCode: 0, status: status, reason: "HTTP \(status)",
                    isTransient: transient, attempts: attempt, responseBody: context.body))
        }
        let media = ContentType(handle.info(string: CURLINFO_CONTENT_TYPE))
        return .success(
            FetchResponse(
                status: status, body: notModified ? Data() : context.body, finalURL: finalURL,
                etag: context.etag ?? (notModified ? request.etag : nil),
                lastModified: context.lastModified ?? (notModified ? request.lastModified : nil),
                contentType: media.mediaType, charset: media.charset, notModified: notModified, attempts: attempt))
    }

    /// A reason for people and whether the failure may pass, for a libcurl error with `detail` (the error buffer's
    /// text) on a request to `host` (the first request's when nil).
    private static func explain(
        _ code: CURLcode, detail: String, context: HTTPTransferContext, request: FetchRequest, host: String?
    ) -> (String, Bool) {
        switch code {
        case CURLE_WRITE_ERROR where context.exceeded, CURLE_FILESIZE_EXCEEDED:
            return ("response larger than \(Formatting.bytes(request.maxBytes))", false)
        case CURLE_OPERATION_TIMEDOUT:
            if detail.hasPrefix("Connection timed out") || detail.hasPrefix("Failed to connect") {
                return ("could not connect within \(Formatting.duration(request.timeout.connect))", true)
            }
            return ("timed out after \(Formatting.duration(request.timeout.total))", true)
        case CURLE_TOO_MANY_REDIRECTS:
            return ("more than \(request.maxRedirects) redirects", false)
        case CURLE_UNSUPPORTED_PROTOCOL:
            return ("unsupported or disallowed protocol (only http, https and file are fetched): \(detail)", false)
        case CURLE_FILE_COULDNT_READ_FILE:
            return ("cannot read file \(request.url.path)", false)
        case CURLE_COULDNT_RESOLVE_HOST:
            return ("cannot resolve host \(host ?? request.url.host ?? "")", true)
        case CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE,
            CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return ("connection failed: \(detail)", true)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CONNECT_ERROR:
            return ("TLS failed: \(detail)", false)
        default:
            return (detail, false)
        }
    }
}

/// State a transfer's callbacks fill in; touched only by the thread running the transfer.
final class HTTPTransferContext {
    /// The largest body accepted.
    let maxBytes: Int
    /// The body received so far (decompressed).
    var body = Data()
    /// Set when the body went over `maxBytes` and the write callback stopped the transfer.
    var exceeded = false
    /// The latest response's `ETag`.
    var etag: String?
    /// The latest response's `Last-Modified`.
    var lastModified: String?
    /// The latest response's status (0 before its status line, and for files).
    var status = 0

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// True while the response is a 3xx: its body is never returned (a redirect is followed or fails the fetch, a
    /// 304 has none), so it is dropped rather than counted against `maxBytes`.
    var discardsBody: Bool {
        (300..<400).contains(status)
    }

    /// Forgets the previous request's response, before the next request of a redirect chain.
    func startResponse() {
        body = Data()
        exceeded = false
        etag = nil
        lastModified = nil
        status = 0
    }

    /// Records one header line; a status line (`HTTP/1.1 302 Found`) starts a new response.
    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            etag = nil
            lastModified = nil
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            status = fields.count > 1 ? Int(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 : 0
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "etag": etag = value
        case "last-modified": lastModified = value
        default: break
        }
    }
}

/// `CURLOPT_WRITEFUNCTION`: appends to the body, or returns 0 (aborting with `CURLE_WRITE_ERROR`) past the cap.
private let httpWriteCallback: dg_data_callback = { buffer, size, count, userData in
    guard let buffer, let userData else { return 0 }
    let context = Unmanaged<HTTPTransferContext>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    guard !context.discardsBody else { return length }
    guard context.body.count + length <= context.maxBytes else {
        context.exceeded = true
        return 0
    }
    buffer.withMemoryRebound(to: UInt8.self, capacity: length) { context.body.append($0, count: length) }
    return length
}

/// `CURLOPT_HEADERFUNCTION`: hands each header line to the context.
private let httpHeaderCallback: dg_data_callback = { buffer, size, count, userData in
    let length = size * count
    guard let buffer, let userData else { return length }
    let context = Unmanaged<HTTPTransferContext>.fromOpaque(userData).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
    context.header(String(decoding: bytes, as: UTF8.self))
    return length
}
