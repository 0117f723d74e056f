import Curl
import Foundation

/// The bytes of a source and where they finally came from.
struct SourceBytes: Sendable {
    var data: Data
    var finalURL: URL
    var charset: String?
    /// Whether the server answered 304 and the cached body was used.
    var notModified = false
    /// The HTTP status (0 for a file).
    var status = 0
    /// Problems that did not stop the reading: the state store could not be read or written.
    var problems: [String] = []
}

/// Reads a source's bytes from a local path, `file://`, or HTTP(S).
struct SourceLoader: Sendable {
    let baseFolder: URL
    let fetcher: HTTPFetcher
    let caFile: String?
    let cache: (any SourceCache)?

    /// The bytes at `location` (the source's URL with its placeholders filled) asked as `source.request` says, with
    /// `${NAME}` references filled from `environment`. Only a plain GET is conditional and cached. Failure messages
    /// never hold a variable's value.
    func load(
        _ source: SourceConfig, location: String, environment: [String: String] = [:]
    ) async -> Result<SourceBytes, SourceFailure> {
        var secrets: [(name: String, value: String)] = []
        func fill(_ text: String, _ what: String) throws(SourceFailure) -> String {
            do throws(EnvironmentReference.UnsetVariable) {
                for name in EnvironmentReference.names(in: text) {
                    if let value = environment[name], value.count >= 3 { secrets.append((name, value)) }
                }
                return try EnvironmentReference.expand(text, from: environment)
            } catch {
                throw SourceFailure(message: "\(what) uses ${\(error.name)}, which is not set in the environment")
            }
        }
        func redact(_ message: String) -> String {
            secrets.reduce(message) { text, secret in
                text.replacingOccurrences(of: secret.value, with: "${\(secret.name)}")
            }
        }
        let filled: String
        var request = FetchRequest(url: URL(fileURLWithPath: "/"))
        do throws(SourceFailure) {
            filled = try fill(location, "the url")
            if let spec = source.request, Self.isRemote(filled) {
                request.method = spec.method
                request.headers = try spec.headers.map { header throws(SourceFailure) in
                    HTTPHeader(name: header.name, value: try fill(header.value, "request header '\(header.name)'"))
                }
                switch spec.body {
                case .form(let fields):
                    request.body = .form(
                        try fields.map { field throws(SourceFailure) in
                            FormField(name: field.name, value: try fill(field.value, "form field '\(field.name)'"))
                        })
                case .multipart(let parts):
                    request.body = .multipart(
                        try parts.map { part throws(SourceFailure) in
                            MultipartPart(
                                name: part.name, contentType: part.type, filename: part.filename,
                                content: Data(try fill(part.content, "multipart part '\(part.name)'").utf8))
                        })
                case .text(let text):
                    let type = spec.headers.first { $0.name.lowercased() == "content-type" }?.value
                    request.body = .raw(Data(try fill(text, "the request body").utf8), contentType: type)
                case nil:
                    break
                }
            }
        } catch {
            return .failure(error)
        }
        let result = await fetch(source, location: filled, cacheKey: location, request: request)
        return result.mapError { SourceFailure(message: redact($0.message)) }
    }

    /// An item's own page, asked conditionally when validators are given, with `headers`, through `fetcher` (the
    /// source's own, so that its `follow.concurrency` bounds it).
    func fetchPage(
        _ url: URL, source: SourceConfig, headers: [HTTPHeader], etag: String?, lastModified: String?,
        fetcher: HTTPFetcher
    ) async -> Result<FetchResponse, FetchError> {
        var request = FetchRequest(url: url)
        request.headers = headers
        request.maxBytes = source.maxBytes
        request.timeout = FetchTimeout(connect: .seconds(10), total: .seconds(source.timeoutSeconds))
        request.caFile = caFile
        if !url.isFileURL {
            request.etag = etag
            request.lastModified = lastModified
        }
        do throws(FetchError) {
            return .success(try await fetcher.fetch(request))
        } catch {
            return .failure(error)
        }
    }

    static func isRemote(_ location: String) -> Bool {
        let lowered = location.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }

    private func fetch(
        _ source: SourceConfig, location: String, cacheKey: String, request template: FetchRequest
    ) async -> Result<SourceBytes, SourceFailure> {
        if let url = URL(string: location), let scheme = url.scheme?.lowercased(),
            ["http", "https", "file"].contains(scheme)
        {
            var request = template
            request.url = url
            request.maxBytes = source.maxBytes
            request.timeout = FetchTimeout(connect: .seconds(10), total: .seconds(source.timeoutSeconds))
            request.caFile = caFile
            let remote = scheme != "file"
            let conditional = remote && request.method == .get && request.body == nil && source.paging == nil
            var problems: [String] = []
            var cached: CachedSource?
            if conditional {
                do {
                    cached = try cache?.cachedSource(source.name, url: cacheKey)
                } catch {
                    problems.append(
                        "the state store could not be read (\(error)); fetched without a conditional request")
                }
            }
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
                            notModified: true,
                            status: 304,
                            problems: problems
                        )
                    )
                }
                if conditional, response.etag != nil || response.lastModified != nil {
                    do {
                        try cache?.storeSource(
                            CachedSource(
                                source: source.name,
                                url: cacheKey,
                                etag: response.etag,
                                lastModified: response.lastModified,
                                body: response.body,
                                finalURL: response.finalURL.absoluteString,
                                charset: response.charset
                            )
                        )
                    } catch {
                        problems.append(
                            "the state store could not be written (\(error)); the next run fetches the source in full")
                    }
                }
                return .success(
                    SourceBytes(
                        data: response.body, finalURL: response.finalURL, charset: response.charset,
                        status: response.status, problems: problems)
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
