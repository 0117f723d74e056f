#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Conversion to UTF-8 through the C library's iconv (see `TextEncoding` for why iconv).
enum Iconv {
    /// The converted text, and how many invalid byte sequences became U+FFFD (and the line of the first).
    struct Converted {
        var bytes: [UInt8]
        var invalid: Int
        var firstInvalidLine: Int?
    }

    /// `bytes` in `charset` (an IANA name as feeds write it) converted to UTF-8; nil when iconv does not know the
    /// charset. A byte iconv cannot read becomes U+FFFD and conversion goes on after it; so does a sequence cut off
    /// at the end.
    static func toUTF8(_ bytes: [UInt8], from charset: String) -> Converted? {
        let descriptor = iconv_open("UTF-8", charset)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        var input = bytes
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2 + 16)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var invalid = 0
        var firstInvalidLine: Int?
        var lines = 1  // newlines written so far, to name the line of the first invalid sequence
        input.withUnsafeMutableBytes { inputBuffer in
            guard let base = inputBuffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
            var inPointer: UnsafeMutablePointer<CChar>? = base
            var inLeft = inputBuffer.count
            chunk.withUnsafeMutableBytes { chunkBuffer in
                guard let chunkBase = chunkBuffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
                while inLeft > 0 {
                    var outPointer: UnsafeMutablePointer<CChar>? = chunkBase
                    var outLeft = chunkBuffer.count
                    let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    let written = chunkBuffer.count - outLeft
                    let produced = UnsafeRawBufferPointer(rebasing: chunkBuffer[0..<written])
                    lines += produced.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                    output.append(contentsOf: produced)
                    guard result == -1 else { continue }
                    switch errno {
                    case E2BIG:
                        continue  // the chunk is full: go on with an empty one
                    case EILSEQ, EINVAL:
                        // Not valid in the charset, or cut off at the end: U+FFFD for one byte, then on.
                        invalid += 1
                        if firstInvalidLine == nil { firstInvalidLine = lines }
                        output += [0xEF, 0xBF, 0xBD]
                        inPointer = inPointer.map { $0 + 1 }
                        inLeft -= 1
                    default:
                        inLeft = 0
                    }
                }
            }
        }
        return Converted(bytes: output, invalid: invalid, firstInvalidLine: firstInvalidLine)
    }
}
