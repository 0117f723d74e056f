import DigestTesting
import Testing

@testable import Feeds

/// A path followed one value at a time against the general walk over lists it stands in front of.
@Suite struct JSONPathFastPathTests {
    @Test("the same values as the general walk, for 20,000 random paths into random documents")
    func agreesWithTheGeneralWalk() {
        var generator = SplitMix64(seed: 512)
        func value(depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth < 4 ? 6 : 3), using: &generator) {
            case 0: return .string(["x", "", "Löpande"].randomElement(using: &generator)!)
            case 1: return .number(Double(Int.random(in: -2...2, using: &generator)))
            case 2: return Bool.random(using: &generator) ? .null : .bool(true)
            case 3, 4:
                var members: [String: JSONValue] = [:]
                for key in ["a", "b", "c"] where Bool.random(using: &generator) {
                    members[key] = value(depth: depth + 1)
                }
                return .object(members)
            default:
                return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in value(depth: depth + 1) })
            }
        }
        let steps: [JSONPath.Step] = [
            .key("a"), .key("b"), .key("c"), .index(0), .index(1), .index(-1), .index(-2), .all,
        ]
        var found = 0
        for _ in 0..<20_000 {
            let document = value(depth: 0)
            let path = (0..<Int.random(in: 1...4, using: &generator)).map { _ in steps.randomElement(using: &generator)!
            }
            let text = path.map { step -> String in
                switch step {
                case .key(let name): "." + name
                case .index(let position): "[\(position)]"
                case .all: "[*]"
                }
            }.joined()
            guard let parsed = try? JSONPath(String(text.drop { $0 == "." })), parsed.steps == path else { continue }
            let general = parsed.values(from: [document], steps: parsed.steps[...], limit: 100_000)
            #expect(parsed.values(in: document) == general, "\(text) in \(document)")
            for limit in [0, 1, 2] {
                #expect(
                    parsed.values(in: document, limit: limit)
                        == parsed.values(from: [document], steps: parsed.steps[...], limit: limit))
            }
            if !general.isEmpty { found += 1 }
        }
        #expect(found > 2_000)
    }
}
