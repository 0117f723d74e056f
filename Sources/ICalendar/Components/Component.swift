/// A calendar component (RFC 5545 section 3.6): `BEGIN:NAME` … `END:NAME` with its properties and sub-components.
struct Component: Sendable {
    /// The component name, upper-cased (`VCALENDAR`, `VEVENT`, `VTIMEZONE`, `STANDARD`, …).
    var name: String
    /// The line of `BEGIN:NAME`.
    var line: Int
    /// The properties in order.
    var properties: [ContentLine] = []
    /// The sub-components in order.
    var children: [Component] = []

    /// The first property named `name` (upper-case).
    func property(_ name: String) -> ContentLine? {
        properties.first { $0.name == name }
    }

    /// Components that only appear directly inside VCALENDAR (RFC 5545 section 3.6).
    static let topLevelNames: Set<String> = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VCALENDAR"]

    /// Builds the component trees of a list of content lines.
    ///
    /// An END that does not match the open component closes the nearest open one with that name; an END with no
    /// such component is reported and ignored. Components still open at the end of the input are reported and
    /// dropped, except that a still-open VCALENDAR keeps what it has.
    static func build(_ lines: [ContentLine]) -> (roots: [Component], problems: [ICalendarProblem]) {
        var roots: [Component] = []
        var problems: [ICalendarProblem] = []
        var stack: [Component] = []
        for line in lines {
            switch line.name {
            case "BEGIN":
                let name = line.value.trimmingSpaces().uppercased()
                // Top-level components never nest: a BEGIN:VEVENT inside an open VEVENT means its END was lost.
                if topLevelNames.contains(name) {
                    while let open = stack.last, open.name != "VCALENDAR" {
                        stack.removeLast()
                        problems.append(
                            ICalendarProblem(
                                line: open.line, message: "\(open.name) not closed before BEGIN:\(name); skipped"))
                    }
                }
                stack.append(Component(name: name, line: line.line))
            case "END":
                let name = line.value.trimmingSpaces().uppercased()
                guard let target = stack.lastIndex(where: { $0.name == name }) else {
                    problems.append(ICalendarProblem(line: line.line, message: "END:\(name) without BEGIN; ignored"))
                    continue
                }
                while stack.count > target + 1 {
                    let unclosed = stack.removeLast()
                    problems.append(
                        ICalendarProblem(
                            line: unclosed.line, message: "\(unclosed.name) not closed before END:\(name); skipped"))
                }
                let closed = stack.removeLast()
                if stack.isEmpty {
                    roots.append(closed)
                } else {
                    stack[stack.count - 1].children.append(closed)
                }
            default:
                if stack.isEmpty {
                    continue
                }
                stack[stack.count - 1].properties.append(line)
            }
        }
        while let unclosed = stack.popLast() {
            if unclosed.name == "VCALENDAR" && stack.isEmpty {
                problems.append(ICalendarProblem(line: unclosed.line, message: "VCALENDAR not closed (truncated?)"))
                roots.append(unclosed)
            } else {
                problems.append(
                    ICalendarProblem(line: unclosed.line, message: "\(unclosed.name) not closed (truncated?); skipped"))
            }
        }
        return (roots, problems)
    }
}
