import CCurl

/// Process-wide libcurl setup, done once before the first handle is created.
enum CurlGlobal {
    /// `curl_global_init` runs exactly once, on first use (Swift initialises static properties atomically).
    private static let status: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Makes sure libcurl is initialised; returns false if `curl_global_init` failed.
    @discardableResult
    static func ensureInitialized() -> Bool {
        status == CURLE_OK
    }

    /// libcurl's own text for a result code.
    static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
