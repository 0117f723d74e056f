import CCurl
import Foundation

/// One blocking fetch attempt on the calling thread (call it from a dedicated thread, never the cooperative pool).
enum HTTPTransfer {
    /// Performs `request` once and classifies the outcome; `attempt` is recorded in the result.
    static func perform(_ request: FetchRequest, attempt: Int) -> Result<FetchResponse, FetchError> {
        guard let handle = EasyHandle() else {
            return .failure(
                FetchError(
                    url: request.url, curlCode: Int(CURLE_FAILED_INIT.rawValue),
                    reason: "libcurl could not be initialised", isTransient: false, attempts: attempt))
        }
        let context = HTTPTransferContext(maxBytes: request.maxBytes)
        var headers: UnsafeMutablePointer<curl_slist>?
        if let etag = request.etag { headers = curl_slist_append(headers, "If-None-Match: \(etag)") }
        if let lastModified = request.lastModified {
            headers = curl_slist_append(headers, "If-Modified-Since: \(lastModified)")
        }
        defer { curl_slist_free_all(headers) }

        configure(handle, for: request, context: context, headers: headers)
        let code = withExtendedLifetime(context) { handle.perform() }
        return classify(code, handle: handle, context: context, request: request, attempt: attempt)
    }

    private static func configure(
        _ handle: EasyHandle, for request: FetchRequest, context: HTTPTransferContext,
        headers: UnsafeMutablePointer<curl_slist>?
    ) {
        let userData = Unmanaged.passUnretained(context).toOpaque()
        handle.set(CURLOPT_URL, request.curlURL)
        _ = dg_easy_setopt_write_callback(handle.raw, httpWriteCallback)
        handle.set(CURLOPT_WRITEDATA, pointer: userData)
        _ = dg_easy_setopt_header_callback(handle.raw, httpHeaderCallback)
        handle.set(CURLOPT_HEADERDATA, pointer: userData)
        handle.set(CURLOPT_CONNECTTIMEOUT_MS, Formatting.milliseconds(request.timeout.connect))
        handle.set(CURLOPT_TIMEOUT_MS, Formatting.milliseconds(request.timeout.total))
        if request.isFile {
            handle.set(CURLOPT_PROTOCOLS_STR, "file")
            return
        }
        handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        handle.set(CURLOPT_FOLLOWLOCATION, 1)
        handle.set(CURLOPT_MAXREDIRS, max(0, request.maxRedirects))
        handle.set(CURLOPT_ACCEPT_ENCODING, "")
        handle.set(CURLOPT_USERAGENT, request.userAgent)
        handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: request.maxBytes)
        handle.set(CURLOPT_SSL_VERIFYPEER, 1)
        handle.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = request.caFile { handle.set(CURLOPT_CAINFO, caFile) }
        _ = dg_easy_setopt_slist(handle.raw, CURLOPT_HTTPHEADER, headers)
    }

    private static func classify(
        _ code: CURLcode, handle: EasyHandle, context: HTTPTransferContext, request: FetchRequest, attempt: Int
    ) -> Result<FetchResponse, FetchError> {
        guard code == CURLE_OK else {
            let (reason, transient) = explain(code, handle: handle, context: context, request: request)
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
                    isTransient: transient, attempts: attempt))
        }
        let media = ContentType(handle.info(string: CURLINFO_CONTENT_TYPE))
        return .success(
            FetchResponse(
                status: status, body: notModified ? Data() : context.body, finalURL: finalURL,
                etag: context.etag ?? (notModified ? request.etag : nil),
                lastModified: context.lastModified ?? (notModified ? request.lastModified : nil),
                contentType: media.mediaType, charset: media.charset, notModified: notModified, attempts: attempt))
    }

    /// A reason for people and whether the failure may pass, for a libcurl error.
    private static func explain(
        _ code: CURLcode, handle: EasyHandle, context: HTTPTransferContext, request: FetchRequest
    ) -> (String, Bool) {
        let detail = handle.errorText(for: code)
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
            return ("cannot resolve host \(request.url.host ?? "")", true)
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

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Records one header line; a status line starts a new response (after a redirect).
    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            etag = nil
            lastModified = nil
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
