import CompiledMustache
import DigestTesting
import Foundation
import Mustache
import Testing

/// A value as swift-mustache reads it.
struct MustacheObject: MustacheParent {
    let fields: any TemplateFields
    func child(named name: String) -> Any? { fields.value(named: name).map(bridge) }
}

func bridge(_ value: TemplateValue) -> Any {
    switch value {
    case .string(let text): text
    case .bool(let flag): flag
    case .int(let number): number
    case .list(let elements): elements.map(bridge)
    case .object(let fields): MustacheObject(fields: fields)
    case .placeholder(let number): "<\(number)>"
    }
}

/// Renders `name` from `templates` with both renderers; `nil` from the compiled one when it refuses a template.
func renderBoth(_ templates: [String: String], _ name: String, _ value: TemplateValue) throws -> (
    expected: String, actual: String?
) {
    var library = MustacheLibrary()
    var set = TemplateSet()
    var supported = true
    for (templateName, text) in templates {
        try library.register(text, named: templateName)
        switch Result(catching: { () throws(TemplateCompileError) in try CompiledTemplate(text) }) {
        case .success(let template): set.add(template, named: templateName)
        case .failure(.unsupported): supported = false
        case .failure(let error): throw error
        }
    }
    let expected = library.render(bridge(value), withTemplate: name) ?? ""
    return (expected, supported ? set.render(name, value) : nil)
}

let sampleContext: TemplateValue = .object(
    [
        "a": "x<y>&'\"",
        "b": .object(["c": "deep", "d": 3, "flag": false]),
        "n": 0,
        "e": "",
        "t": true,
        "f": false,
        "list": .list([.object(["a": "one", "i": 1]), .object(["a": "two"]), .object(["x": "three"])]),
        "empty": .list([]),
        "words": .list(["å", "ä & ö"]),
        "multi": "line 1\nline 2\n",
    ] as [String: TemplateValue])

@Suite("Compiled templates render what swift-mustache renders")
struct DifferentialTests {
    static let cases: [String] = [
        "plain text\nand more\n",
        "Hej {{a}}! {{{a}}} {{&a}} {{ a }} {{b.c}} {{b.d}} {{n}} {{e}}|{{missing}}|{{b.missing}}|{{.a}}",
        "{{#t}}yes{{/t}}{{^t}}no{{/t}}{{#f}}yes{{/f}}{{^f}}no{{/f}}{{#missing}}x{{/missing}}{{^missing}}y{{/missing}}",
        "{{#list}}[{{a}}]{{/list}}{{^empty}}none{{/empty}}{{#empty}}x{{/empty}}",
        "{{#list}}\n  * {{a}} {{b.c}} {{x}}\n{{/list}}\n",
        "before\n  {{#t}}\n  inside\n  {{/t}}\nafter\n",
        "  {{#t}}  inline {{/t}}  \n",
        "{{#b}}{{c}} and {{d}} {{#flag}}never{{/flag}}{{^flag}}always{{/flag}}{{/b}}",
        "{{#words}}<{{.}}>{{/words}}",
        "{{#e}}empty string is true{{/e}}{{#n}}zero is true{{/n}}",
        "a\n{{! a comment }}\nb {{! inline }} c\n  {{! indented standalone }}  \nd\n",
        "{{=<% %>=}}\n<% a %> {{a}} <%={{ }}=%>{{a}}\n",
        "{{% CONTENT_TYPE: TEXT}}\n{{a}} {{{a}}}\n",
        "html {{a}}\n{{% CONTENT_TYPE: TEXT}}\ntext {{a}}\n",
        "{{#t}}\n{{% CONTENT_TYPE: TEXT}}\n{{a}}\n{{/t}}\n{{a}}\n",
        "{{> part}}\n",
        "start\n{{> part}}\nend\n",
        "start\n    {{> part}}\nend\n",
        "x {{> part}} y\n",
        "{{#list}}\n  {{> part}}\n{{/list}}\n",
        "  {{> nested}}\n",
        "{{multi}}{{> part}}",
        "\r\n{{#t}}\r\nwindows\r\n{{/t}}\r\n",
        "{{#t}}\n\n{{/t}}\n\n\n",
        "{{#list}}{{#t}}{{a}}{{/t}}{{/list}}",
        "{{#b}}{{#list}}{{c}}{{a}}{{/list}}{{/b}}",
        "last line without newline {{a}}",
        "{{#t}}\n{{/t}}",
        "   ",
        "text\n   ",
        "{{a}}\n  {{#t}}  \nx\n  {{/t}}  \n",
    ]

    static let partials = [
        "part": "P {{a}}\n{{#list}}- {{a}}\n{{/list}}",
        "nested": "N1\n  {{> part}}\nN2\n",
    ]

    @Test("fixed cases", arguments: cases)
    func fixedCase(_ template: String) throws {
        var templates = Self.partials
        templates["main"] = template
        let (expected, actual) = try renderBoth(templates, "main", sampleContext)
        #expect(actual == expected, "template: \(template.debugDescription)")
    }

    @Test("placeholders cut the output into pieces and render as nothing in plain output")
    func placeholders() throws {
        var set = TemplateSet()
        set.add(
            try CompiledTemplate("a{{#list}}[{{p}}]{{/list}}{{{p}}}{{&p}}b\n{{% CONTENT_TYPE: TEXT}}{{p}}"),
            named: "main")
        let value: TemplateValue = .object(
            [
                "list": .list([
                    .object(["p": .placeholder(1)] as [String: TemplateValue]), .object([String: TemplateValue]()),
                ]),
                "p": .placeholder(2),
            ] as [String: TemplateValue])
        #expect(
            set.renderPieces("main", value)
                == [
                    .text("a["), .placeholder(1, escaped: true), .text("]["), .placeholder(2, escaped: true),
                    .text("]"),
                    .placeholder(2, escaped: false), .placeholder(2, escaped: false), .text("b\n"),
                    .placeholder(2, escaped: false),
                ])
        #expect(set.render("main", value) == "a[][]b\n")
        // A placeholder is true as a section and has no fields, like a string.
        set.add(try CompiledTemplate("{{#p}}yes{{.x}}{{/p}}{{^p}}no{{/p}}"), named: "section")
        #expect(set.render("section", value) == "yes")
        #expect(set.renderPieces("missing", value) == nil)
    }

    @Test("unsupported constructs are refused, not rendered differently")
    func refusals() {
        for template in ["{{uppercased(a)}}", "{{<parent}}{{/parent}}", "{{$block}}x{{/block}}", "{{>*dynamic}}"] {
            #expect(throws: TemplateCompileError.self) { try CompiledTemplate(template) }
        }
    }

    @Test("random templates from the same pieces render the same")
    func randomTemplates() throws {
        var generator = SplitMix64(seed: 49)
        var mismatches: [String] = []
        var compared = 0
        var refused = 0
        for _ in 0..<5_000 {
            let template = Self.randomTemplate(&generator, depth: 0)
            // The partial includes no partials, so nothing recurses for ever.
            let partial = Self.randomTemplate(&generator, depth: 1).replacingOccurrences(of: "{{> ", with: "{{! ")
            let templates = ["main": template, "part": partial, "nested": "N\n {{> part}}\n"]
            // Pieces can join into text swift-mustache refuses to parse; only templates it accepts are compared.
            guard let (expected, actual) = try? renderBoth(templates, "main", sampleContext) else {
                refused += 1
                continue
            }
            compared += 1
            if let actual, actual != expected {
                mismatches.append(
                    "\(template.debugDescription) with part \(partial.debugDescription): expected "
                        + "\(expected.debugDescription), got \(actual.debugDescription)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(compared) differ, first: \(mismatches.prefix(3))")
        #expect(compared > 3_000, "only \(compared) templates compared (\(refused) refused)")
    }

    static let leaves = [
        "x", " ", "  ", "\n", "\n", "\r\n", "\t", "<&>", "{{a}}", "{{{a}}}", "{{&b.c}}", "{{n}}", "{{e}}",
        "{{missing}}", "{{! note }}", "{{> part}}", "{{> nested}}", "{{% CONTENT_TYPE: TEXT}}", "{{multi}}",
        "{{b.d}}", "{{.a}}", "{ {", "}}", "{{#words}}<{{.}}>{{/words}}", "{{#b}}{{.c}}{{/b}}",
    ]
    static let sections = ["t", "f", "list", "empty", "b", "missing", "words", "e", "n", "a"]

    static func randomTemplate(_ generator: inout SplitMix64, depth: Int) -> String {
        var text = ""
        for _ in 0..<Int(generator.next() % 8) {
            if depth < 3 && generator.next() % 4 == 0 {
                let name = sections[Int(generator.next() % UInt64(sections.count))]
                let sigil = generator.next() % 3 == 0 ? "^" : "#"
                let before = generator.next() % 2 == 0 ? "\n" : ""
                let after = generator.next() % 2 == 0 ? "\n" : ""
                text += "\(before){{\(sigil)\(name)}}\(after)" + randomTemplate(&generator, depth: depth + 1)
                text += "\(before){{/\(name)}}\(after)"
            } else {
                text += leaves[Int(generator.next() % UInt64(leaves.count))]
            }
        }
        return text
    }
}
