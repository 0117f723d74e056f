import Curl
import Foundation

/// The bytes of a source and where they finally came from.
struct SourceBytes: Sendable {
    var data: Data
    var finalURL: URL
    var charset: String?
    /// Whether the server answered 304 and the cached body was used.
    var notModified = false
}

/// Reads a source's bytes from a local path, `file://`, or HTTP(S).
struct SourceLoader: Sendable {
    let baseFolder: URL
    let fetcher: HTTPFetcher
    let caFile: String?
    let cache: (any SourceCache)?

    /// The bytes of `source`, or an error message fit for a report. HTTP sources are fetched conditionally when the
    /// cache holds a copy; a 304 reuses it.
    func load(_ source: SourceConfig) async -> Result<SourceBytes, SourceFailure> {
        let location = source.url
        if let url = URL(string: location), let scheme = url.scheme?.lowercased(),
            ["http", "https", "file"].contains(scheme)
        {
            var request = FetchRequest(url: url)
            request.maxBytes = source.maxBytes
            request.timeout = FetchTimeout(connect: .seconds(10), total: .seconds(source.timeoutSeconds))
            request.caFile = caFile
            let remote = scheme != "file"
            let cached = remote ? try? cache?.cachedSource(source.name, url: location) : nil
            request.etag = cached?.etag
            request.lastModified = cached?.lastModified
            do {
                let response = try await fetcher.fetch(request)
                if response.notModified, let cached {
                    return .success(
                        SourceBytes(
                            data: cached.body,
                            finalURL: URL(string: cached.finalURL) ?? url,
                            charset: cached.charset,
                            notModified: true
                        )
                    )
                }
                if remote, response.etag != nil || response.lastModified != nil {
                    try? cache?.storeSource(
                        CachedSource(
                            source: source.name,
                            url: location,
                            etag: response.etag,
                            lastModified: response.lastModified,
                            body: response.body,
                            finalURL: response.finalURL.absoluteString,
                            charset: response.charset
                        )
                    )
                }
                return .success(
                    SourceBytes(data: response.body, finalURL: response.finalURL, charset: response.charset)
                )
            } catch {
                return .failure(SourceFailure(message: error.description))
            }
        }
        let file = DigestConfig.resolve(location, against: baseFolder)
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            if let size = attributes[.size] as? Int, size > source.maxBytes {
                return .failure(
                    SourceFailure(message: "\(file.path) is \(size) bytes, over the limit of \(source.maxBytes)"))
            }
            let data = try Data(contentsOf: file)
            return .success(SourceBytes(data: data, finalURL: file, charset: nil))
        } catch {
            return .failure(SourceFailure(message: "cannot read \(file.path): \(YAMLDocument.reason(error))"))
        }
    }
}

/// Why a source gave nothing.
struct SourceFailure: Error {
    var message: String
}
