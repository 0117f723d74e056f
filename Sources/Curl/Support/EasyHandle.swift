import CCurl

/// One libcurl easy handle, used from one thread at a time (the thread that performs its transfers).
///
/// The raw `CURL *` is not `Sendable`; the owner guarantees exclusive use, hence `@unchecked`.
///
/// Every option is set through `apply`, which throws a `SetupFailure` naming the option when libcurl refuses it: a
/// transfer never runs with an option (a security option among them) silently missing.
final class EasyHandle: @unchecked Sendable {
    /// The underlying handle.
    let raw: UnsafeMutableRawPointer
    /// libcurl's error buffer (`CURLOPT_ERRORBUFFER`), which must outlive the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a handle with `CURLOPT_ERRORBUFFER` and `CURLOPT_NOSIGNAL` set, or returns nil when libcurl cannot
    /// create it or refuses either option.
    init?() {
        guard CurlGlobal.ensureInitialized(), let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        guard dg_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer) == CURLE_OK,
            dg_easy_setopt_long(raw, CURLOPT_NOSIGNAL, 1) == CURLE_OK
        else {
            curl_easy_cleanup(raw)
            errorBuffer.deallocate()
            return nil
        }
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Sets a `long` option and returns libcurl's result.
    @discardableResult
    private func set(_ option: CURLoption, _ value: Int) -> CURLcode {
        dg_easy_setopt_long(raw, option, value)
    }

    /// Sets a `curl_off_t` option and returns libcurl's result.
    @discardableResult
    private func set(_ option: CURLoption, offset value: Int) -> CURLcode {
        dg_easy_setopt_off(raw, option, value)
    }

    /// Sets a string option (libcurl copies it), or clears it with nil, and returns libcurl's result.
    @discardableResult
    private func set(_ option: CURLoption, _ value: String?) -> CURLcode {
        if let value {
            return dg_easy_setopt_string(raw, option, value)
        }
        return dg_easy_setopt_string(raw, option, nil)
    }

    /// Sets a pointer option (callback user data) and returns libcurl's result.
    @discardableResult
    private func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) -> CURLcode {
        dg_easy_setopt_pointer(raw, option, value)
    }

    /// Sets a `long` option; throws when libcurl refuses it.
    func apply(_ option: CURLoption, _ value: Int) throws(SetupFailure) {
        try SetupFailure.check(set(option, value), option)
    }

    /// Sets a `curl_off_t` option; throws when libcurl refuses it.
    func apply(_ option: CURLoption, offset value: Int) throws(SetupFailure) {
        try SetupFailure.check(set(option, offset: value), option)
    }

    /// Sets a string option (libcurl copies it); throws when libcurl refuses it (for one, a string over 8 MB).
    func apply(_ option: CURLoption, _ value: String) throws(SetupFailure) {
        try SetupFailure.check(set(option, value), option)
    }

    /// Sets a pointer option (callback user data); throws when libcurl refuses it.
    func apply(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(SetupFailure) {
        try SetupFailure.check(set(option, pointer: value), option)
    }

    /// Sets `option` through a typed shim call (`setter` gets the raw handle); throws when libcurl refuses it.
    func apply(_ option: CURLoption, with setter: (UnsafeMutableRawPointer) -> CURLcode) throws(SetupFailure) {
        try SetupFailure.check(setter(raw), option)
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

/// A transfer that could not be set up: an option `curl_easy_setopt` refused, or a body or header list libcurl could
/// not build. The attempt stops there instead of running with the option missing.
struct SetupFailure: Error, Equatable {
    /// What libcurl returned.
    var code: CURLcode
    /// For people: `libcurl refused CURLOPT_MIMEPOST: <curl_easy_strerror>`.
    var reason: String

    /// A failure with its own wording.
    init(code: CURLcode, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// libcurl answered `code` when `option` was set: `libcurl refused CURLOPT_…: <curl_easy_strerror>`.
    static func refused(_ option: CURLoption, _ code: CURLcode) -> SetupFailure {
        SetupFailure(code: code, reason: "libcurl refused \(optionName(option)): \(CurlGlobal.describe(code))")
    }

    /// Throws when `code`, libcurl's answer to setting `option`, is not `CURLE_OK`.
    static func check(_ code: CURLcode, _ option: CURLoption) throws(SetupFailure) {
        guard code == CURLE_OK else { throw refused(option, code) }
    }

    /// libcurl's own name for `option` (`curl_easy_option_by_id`) with the `CURLOPT_` prefix, or its number.
    static func optionName(_ option: CURLoption) -> String {
        guard let entry = curl_easy_option_by_id(option), let name = entry.pointee.name else {
            return "option \(option.rawValue)"
        }
        return "CURLOPT_" + String(cString: name)
    }
}
