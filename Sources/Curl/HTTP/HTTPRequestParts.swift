import Foundation

/// The HTTP method of a request.
public enum HTTPMethod: String, Sendable, CaseIterable {
    /// `GET`: no body; the only method that sends the conditional headers (`If-None-Match`, `If-Modified-Since`).
    case get = "GET"
    /// `POST`: sends the request's body (an empty one when it has none).
    case post = "POST"
}

/// One request header. Names are tokens (RFC 9110 §5.1); values may not hold CR, LF or NUL.
///
/// A value may carry a secret (an API key), so `description`, `debugDescription` and the mirror (`dump`) show the
/// name only; errors about a header name it and never quote its value.
public struct HTTPHeader: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The field name, as sent (`X-Api-Key`); compared case-insensitively where libcurl and servers compare it.
    public var name: String
    /// The field value, sent verbatim; an empty value is sent as an empty field.
    public var value: String

    /// Creates a header; it is checked when the request is fetched, not here.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `X-Api-Key: <redacted>`: the name, never the value.
    public var description: String {
        "\(name): <redacted>"
    }

    /// The same as `description`: the value stays out of debug output too.
    public var debugDescription: String {
        "HTTPHeader(\(description))"
    }

    /// A mirror with the name and a redacted value, so `dump` and reflection do not print the value.
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "value": "<redacted>"])
    }
}

/// One part of a multipart/form-data body (RFC 7578).
public struct MultipartPart: Sendable, Hashable {
    /// The form field name (`Content-Disposition: form-data; name="…"`).
    public var name: String
    /// The part's own `Content-Type`, such as `application/json`; nil sends none (the receiver assumes text/plain).
    public var contentType: String?
    /// The `filename` parameter of `Content-Disposition`, for file uploads; nil sends none.
    public var filename: String?
    /// The part's bytes, sent as they are.
    public var content: Data

    /// Creates a part; its text fields are checked when the request is fetched.
    public init(name: String, contentType: String? = nil, filename: String? = nil, content: Data) {
        self.name = name
        self.contentType = contentType
        self.filename = filename
        self.content = content
    }
}

/// One field of an application/x-www-form-urlencoded body.
public struct FormField: Sendable, Hashable {
    /// The field name, sent percent-encoded.
    public var name: String
    /// The field value, sent percent-encoded; may be empty.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What a request sends as its body.
public enum RequestBody: Sendable, Hashable {
    /// Bytes as they are, with this Content-Type (nil: the caller's headers say it, else application/octet-stream).
    case raw(Data, contentType: String?)
    /// application/x-www-form-urlencoded, fields in order, encoded with curl_easy_escape-style percent-encoding.
    case form([FormField])
    /// multipart/form-data built with libcurl's MIME API (curl_mime_init/addpart/name/data/type/filename,
    /// CURLOPT_MIMEPOST); parts in order, each with its own Content-Type when it has one.
    case multipart([MultipartPart])

    /// The same as `.form` with `FormField`s, written as `(name:, value:)` pairs: `.form([("a", "1"), ("b", "2")])`.
    /// (Disfavoured, so that `.form([])` means the case.)
    @_disfavoredOverload
    public static func form(_ fields: [(name: String, value: String)]) -> RequestBody {
        .form(fields.map { FormField(name: $0.name, value: $0.value) })
    }

    /// The urlencoded text of `fields`: `name=value` pairs joined by `&`, each side percent-encoded as
    /// `curl_easy_escape` does (every byte of the UTF-8 but `A–Z a–z 0–9 - . _ ~` becomes `%XX`; a space is `%20`).
    static func urlencoded(_ fields: [FormField]) -> String {
        fields.map { "\(percentEncoded($0.name))=\(percentEncoded($0.value))" }.joined(separator: "&")
    }

    /// `text` with every byte outside RFC 3986's unreserved set percent-encoded (upper-case hex), as
    /// `curl_easy_escape` does.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
