/// Partials that include themselves, directly or through others: such a set would render forever, so
/// ``TemplateSet/partialCycles()`` finds them before anything is rendered.
public struct PartialCycle: Sendable, Equatable, CustomStringConvertible {
    /// The templates of the cycle in include order, starting with the least name and ending with it again
    /// (`["partials/a.txt", "partials/b.txt", "partials/a.txt"]`).
    public let names: [String]
    /// The partial tag of the first template that includes the next one, where the cycle is reported.
    public let tag: CompiledTemplate.PartialReference

    /// The template the cycle is reported in (its first name).
    public var template: String { names[0] }

    /// `partial 'partials/a.txt' includes itself (a.txt → b.txt → a.txt)`, the chain by each file's last path part.
    public var message: String {
        let chain = names.map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: " → ")
        return "partial '\(template)' includes itself (\(chain))"
    }

    /// `line:column: message`.
    public var description: String { "\(tag.line):\(tag.column): \(message)" }
}

extension TemplateSet {
    /// Every cycle of partials in the set, each once, ordered by the template it is reported in. A partial that is
    /// not in the set renders as nothing and so closes no cycle.
    public func partialCycles() -> [PartialCycle] {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        var found: [[String]: PartialCycle] = [:]

        func visit(_ name: String) {
            marks[name] = .visiting
            path.append(name)
            for reference in template(named: name)?.partials ?? [] where template(named: reference.name) != nil {
                switch marks[reference.name] {
                case .visiting?:
                    let start = path.lastIndex(of: reference.name)!
                    let members = Array(path[start...])
                    let first = members.indices.min { members[$0] < members[$1] }!
                    let rotated = Array(members[first...] + members[..<first])
                    guard found[rotated] == nil else { continue }
                    let next = rotated.count > 1 ? rotated[1] : rotated[0]
                    let tag = template(named: rotated[0])!.partials.first { $0.name == next }!
                    found[rotated] = PartialCycle(names: rotated + [rotated[0]], tag: tag)
                case .done?:
                    continue
                case nil:
                    visit(reference.name)
                }
            }
            path.removeLast()
            marks[name] = .done
        }

        for name in names.sorted() where marks[name] == nil { visit(name) }
        return found.values.sorted {
            ($0.template, $0.tag.line, $0.tag.column) < ($1.template, $1.tag.line, $1.tag.column)
        }
    }
}
