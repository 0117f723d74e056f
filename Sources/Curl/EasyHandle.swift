import CCurl

/// One libcurl easy handle, used from one thread at a time (the thread that performs its transfers).
///
/// The raw `CURL *` is not `Sendable`; the owner guarantees exclusive use, hence `@unchecked`.
final class EasyHandle: @unchecked Sendable {
    /// The underlying handle.
    let raw: UnsafeMutableRawPointer
    /// libcurl's error buffer (`CURLOPT_ERRORBUFFER`), which must outlive the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a handle with `CURLOPT_NOSIGNAL` set, or returns nil when libcurl cannot.
    init?() {
        guard CurlGlobal.ensureInitialized(), let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = dg_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
        set(CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) {
        _ = dg_easy_setopt_long(raw, option, value)
    }

    /// Sets a `curl_off_t` option.
    func set(_ option: CURLoption, offset value: Int) {
        _ = dg_easy_setopt_off(raw, option, value)
    }

    /// Sets a string option (libcurl copies it), or clears it with nil.
    func set(_ option: CURLoption, _ value: String?) {
        if let value {
            _ = dg_easy_setopt_string(raw, option, value)
        } else {
            _ = dg_easy_setopt_string(raw, option, nil)
        }
    }

    /// Sets a pointer option (callback user data).
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) {
        _ = dg_easy_setopt_pointer(raw, option, value)
    }

    /// Runs the transfer on the calling thread, blocking it; clears the error buffer first.
    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(raw)
    }

    /// The error buffer's text for the last transfer, or libcurl's generic text for `code` when it is empty.
    func errorText(for code: CURLcode) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? CurlGlobal.describe(code) : text
    }

    /// A `long` piece of transfer information (0 when unavailable).
    func info(long info: CURLINFO) -> Int {
        var value = 0
        _ = dg_easy_getinfo_long(raw, info, &value)
        return value
    }

    /// A string piece of transfer information.
    func info(string info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard dg_easy_getinfo_string(raw, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}
