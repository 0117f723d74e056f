import CCurl
import Foundation

extension FetchRequest {
    /// Checks what `HTTPFetcher.fetch` checks before any connection is made, and throws the same error: not
    /// transient, `curlCode` 43 (`CURLE_BAD_FUNCTION_ARGUMENT`), one attempt. Refused are a GET with a body, a POST or
    /// a body on a `file:` URL, a header name that is not a token, a header value holding CR, LF or NUL,
    /// `Content-Length` or `Transfer-Encoding` headers, a `Content-Type` header next to a multipart body or a raw body
    /// with a different type, and line breaks or NULs in the user agent, a GET's validators or multipart fields.
    /// Reasons name a header but never quote its value.
    public func validate() throws(FetchError) {
        if let problem = usageProblem() {
            throw FetchError(
                url: url, curlCode: Int(CURLE_BAD_FUNCTION_ARGUMENT.rawValue), reason: problem, isTransient: false)
        }
    }

    /// The first usage error in the request, worded for people, or nil when it may be sent.
    private func usageProblem() -> String? {
        if isFile, method != .get { return "a \(method.rawValue) needs an http or https URL, not a file" }
        if isFile, body != nil { return "a request body needs an http or https URL, not a file" }
        if method == .get, body != nil { return "a GET request cannot have a body (use POST)" }
        for header in headers {
            if let problem = HeaderCheck.problem(with: header) { return problem }
        }
        if let problem = HeaderCheck.textProblem(userAgent, "the user agent") { return problem }
        if method == .get, let etag, let problem = HeaderCheck.textProblem(etag, "the ETag") { return problem }
        if method == .get, let lastModified,
            let problem = HeaderCheck.textProblem(lastModified, "the Last-Modified value")
        {
            return problem
        }
        return body.flatMap(bodyProblem)
    }

    private func bodyProblem(_ body: RequestBody) -> String? {
        let typeHeader = headers.last { $0.name.lowercased() == "content-type" }
        switch body {
        case .raw(_, let contentType):
            guard let contentType else { return nil }
            if let problem = HeaderCheck.textProblem(contentType, "the body's Content-Type") { return problem }
            if let typeHeader, typeHeader.value.lowercased() != contentType.lowercased() {
                return "header '\(typeHeader.name)' differs from the body's Content-Type (give it once)"
            }
            return nil
        case .form:
            return nil
        case .multipart(let parts):
            if let typeHeader {
                return
                    "header '\(typeHeader.name)' cannot be set for a multipart body (libcurl sets it, with the boundary)"
            }
            for part in parts {
                if let problem = partProblem(part) { return problem }
            }
            return nil
        }
    }

    private func partProblem(_ part: MultipartPart) -> String? {
        if part.name.isEmpty { return "a multipart part has an empty name" }
        if part.name.utf8.contains(0) { return "a multipart part name holds a NUL byte" }
        if let contentType = part.contentType,
            let problem = HeaderCheck.textProblem(contentType, "the Content-Type of part '\(part.name)'")
        {
            return problem
        }
        if let filename = part.filename, filename.utf8.contains(0) {
            return "the filename of part '\(part.name)' holds a NUL byte"
        }
        return nil
    }
}

/// Header syntax checks (RFC 9110 §5.1, §5.5) whose messages never quote a header value.
enum HeaderCheck {
    /// Header names the body determines; a caller may not set them.
    static let bodyFramingNames: Set<String> = ["content-length", "transfer-encoding"]

    /// Why `header` cannot be sent, or nil when it can.
    static func problem(with header: HTTPHeader) -> String? {
        if header.name.isEmpty { return "a header has an empty name" }
        if let bad = header.name.unicodeScalars.firstIndex(where: { !isTokenCharacter($0) }) {
            // Only the part before the offending character is shown: a value pasted into the name stays unprinted.
            let prefix = String(header.name.unicodeScalars[..<bad])
            let what = describe(header.name.unicodeScalars[bad])
            if prefix.isEmpty { return "a header name starts with \(what), which a header name cannot hold" }
            return "header name '\(prefix)…' holds \(what), which a header name cannot hold"
        }
        if bodyFramingNames.contains(header.name.lowercased()) {
            return "header '\(header.name)' cannot be set: libcurl sets it from the body"
        }
        return textProblem(header.value, "header '\(header.name)'")
    }

    /// "<subject> holds a line break" (or a NUL byte) when `text` holds CR, LF or NUL; nil otherwise.
    static func textProblem(_ text: String, _ subject: String) -> String? {
        for byte in text.utf8 {
            switch byte {
            case 0x0D, 0x0A: return "\(subject) holds a line break"
            case 0x00: return "\(subject) holds a NUL byte"
            default: continue
            }
        }
        return nil
    }

    /// RFC 9110 `tchar`: ASCII letters, digits and ``!#$%&'*+-.^_`|~``.
    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\r", "\n": return "a line break"
        case "\0": return "a NUL byte"
        case " ": return "a space"
        case "\t": return "a tab"
        default:
            guard scalar.isASCII, scalar.value >= 0x21, scalar.value < 0x7F else {
                return "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
            }
            return "'\(scalar)'"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
