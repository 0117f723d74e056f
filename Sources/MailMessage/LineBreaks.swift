import Foundation

/// Line-break normalisation shared by the body encoders.
enum LineBreaks {
    /// The bytes with every CRLF, lone CR and lone LF turned into CRLF.
    static func normalizedToCRLF(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 40)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == 0x0D {
                output += [0x0D, 0x0A]
                if index + 1 < input.count && input[index + 1] == 0x0A {
                    index += 1
                }
            } else if byte == 0x0A {
                output += [0x0D, 0x0A]
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    /// Base64 of the bytes in lines of 76 characters, each ending in CRLF.
    static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = Array(Data(bytes).base64EncodedString().utf8)
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count + encoded.count / 38 + 2)
        var index = 0
        while index < encoded.count {
            let end = min(index + 76, encoded.count)
            output += encoded[index..<end]
            output += [0x0D, 0x0A]
            index = end
        }
        return output
    }
}
