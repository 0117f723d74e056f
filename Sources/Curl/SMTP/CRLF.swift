/// Line-ending repair for outgoing message bytes.
enum CRLF {
    /// `bytes` with every bare LF turned into CRLF (CRLF pairs are left alone).
    ///
    /// libcurl dot-stuffs only lines that follow a CRLF, so a lone `.` after a bare LF would end the message early.
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        var needsRepair = false
        for index in bytes.indices where bytes[index] == lf && (index == 0 || bytes[index - 1] != cr) {
            needsRepair = true
            break
        }
        guard needsRepair else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 40)
        for index in bytes.indices {
            if bytes[index] == lf && (index == 0 || bytes[index - 1] != cr) { result.append(cr) }
            result.append(bytes[index])
        }
        return result
    }
}
