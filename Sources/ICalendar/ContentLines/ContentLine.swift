/// One unfolded content line (RFC 5545 section 3.1): `NAME;PARAM=VALUE:value`.
struct ContentLine: Sendable {
    /// The property name, upper-cased.
    var name: String
    /// Parameters in order, names upper-cased, values with surrounding quotes removed.
    var parameters: [(name: String, values: [String])]
    /// The raw value after the first unquoted colon, not unescaped.
    var value: String
    /// The 1-based physical line number where the content line began.
    var line: Int

    /// The first value of the parameter `name` (upper-case), if present.
    func parameter(_ name: String) -> String? {
        for parameter in parameters where parameter.name == name {
            return parameter.values.first
        }
        return nil
    }
}
