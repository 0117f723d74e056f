import Foundation

/// Fetches feeds and calendars over HTTP(S) or from local files, off the cooperative thread pool.
///
/// Each attempt runs `curl_easy_perform` on a dedicated thread. Transient failures (5xx, 408, 429, timeouts,
/// connection errors) are retried with exponential backoff. Responses are decompressed (`Accept-Encoding` lists
/// every encoding libcurl supports), redirects are followed up to the request's limit and only to http/https (never to
/// `file:`), and the size cap is enforced on the decompressed bytes as they arrive. A request with an ETag or
/// Last-Modified value is conditional: a 304 answer comes back as `notModified`.
///
/// Redirects are followed by this module, not by libcurl (see `RedirectChain`): the request's own `headers`, which may
/// carry an API key, go only to the origin (scheme, host and port) of its URL; once a redirect leads elsewhere they are
/// dropped for the rest of the chain. 303, and 301 or 302 after a POST, continue as a GET without the body; 307 and
/// 308 keep the method and the body.
///
/// A request may also be a POST with a raw, urlencoded or multipart/form-data body and extra headers (see
/// `FetchRequest`); POSTs are retried like GETs, so use them for idempotent requests (searches). A request that fails
/// `FetchRequest.validate()` is refused before any connection, and so is one whose options libcurl refuses
/// ("libcurl refused CURLOPT_…"); neither is retried.
public struct HTTPFetcher: Sendable {
    /// How many extra attempts a transient failure gets.
    public let retries: Int
    /// The wait before the first retry; it doubles for each further one.
    public let backoff: Duration
    private let slots: AsyncSemaphore

    /// Creates a fetcher that runs at most `maxConcurrent` transfers at once (across all its calls).
    public init(maxConcurrent: Int = 4, retries: Int = 2, backoff: Duration = .milliseconds(500)) {
        self.retries = max(0, retries)
        self.backoff = backoff
        slots = AsyncSemaphore(permits: maxConcurrent)
    }

    /// Fetches `request`, retrying transient failures; throws the last failure when every attempt failed, or the
    /// usage error of a request that fails `validate()` (without trying).
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
        try request.validate()
        var attempt = 1
        // The total limit covers every attempt and the waits between them. What counts is the time the transfers
        // and the waits took, measured on the transfer's own thread, not the time a busy process took to resume.
        let total = request.timeout.total > .zero ? request.timeout.total : nil
        var spent = Duration.zero
        while true {
            await slots.acquire()
            let (result, took) = await runOnDedicatedThread(name: "digest.fetch") { [attempt, spent] in
                let started = ContinuousClock.now
                let result = HTTPTransfer.perform(
                    request, attempt: attempt, deadline: total.map { started + $0 - spent })
                return (result, ContinuousClock.now - started)
            }
            slots.release()
            spent += took
            switch result {
            case .success(let response):
                return response
            case .failure(let error):
                guard error.isTransient, attempt <= retries, !Task.isCancelled else { throw error }
                let wait = backoff * (1 << min(attempt - 1, 16))
                if let total, spent + wait >= total { throw error }  // no time left to try again
                try? await Task.sleep(for: wait)  // cancelled: the loop ends at the check above
                spent += wait
                attempt += 1
            }
        }
    }

    /// Fetches every request concurrently (bounded by `maxConcurrent`) and returns the results in request order.
    public func fetchAll(_ requests: [FetchRequest]) async -> [Result<FetchResponse, FetchError>] {
        await withTaskGroup(of: (Int, Result<FetchResponse, FetchError>).self) { group in
            for (index, request) in requests.enumerated() {
                group.addTask {
                    do throws(FetchError) {
                        return (index, .success(try await fetch(request)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<FetchResponse, FetchError>?](repeating: nil, count: requests.count)
            for await (index, result) in group {
                results[index] = result
            }
            return results.compactMap { $0 }
        }
    }
}
