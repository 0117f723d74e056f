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

/// The templates as swift-mustache parses them, or `nil` when it refuses one of them.
func mustacheLibrary(_ templates: [String: String]) -> MustacheLibrary? {
    var library = MustacheLibrary()
    for (name, text) in templates {
        guard (try? library.register(text, named: name)) != nil else { return nil }
    }
    return library
}

/// Renders `name` from `templates` with both renderers. Throws when the compiled renderer refuses a template that
/// swift-mustache accepts, so a refusal can never hide a difference.
func renderBoth(_ templates: [String: String], _ name: String, _ value: TemplateValue, library: MustacheLibrary)
    throws(TemplateCompileError) -> (expected: String, actual: String)
{
    var set = TemplateSet()
    for (templateName, text) in templates {
        set.add(try CompiledTemplate(text), named: templateName)
    }
    let expected = library.render(bridge(value), withTemplate: name) ?? ""
    // A render error is a difference too: swift-mustache rendered something.
    return (expected, (try? set.render(name, value)) ?? "<TemplateRenderError>")
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
        let library = try #require(mustacheLibrary(templates), "swift-mustache refuses \(template.debugDescription)")
        let (expected, actual) = try renderBoth(templates, "main", sampleContext, library: library)
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
            try set.renderPieces("main", value)
                == [
                    .text("a["), .placeholder(1, escaped: true), .text("]["), .placeholder(2, escaped: true),
                    .text("]"),
                    .placeholder(2, escaped: false), .placeholder(2, escaped: false), .text("b\n"),
                    .placeholder(2, escaped: false),
                ])
        #expect(try set.render("main", value) == "a[][]b\n")
        // A placeholder is true as a section and has no fields, like a string.
        set.add(try CompiledTemplate("{{#p}}yes{{.x}}{{/p}}{{^p}}no{{/p}}"), named: "section")
        #expect(try set.render("section", value) == "yes")
        #expect(try set.renderPieces("missing", value) == nil)
    }

    @Test(
        "unsupported constructs are refused where they are, naming the construct",
        arguments: [
            ("a\n  {{uppercased(a)}}", "2:3: transforms ('uppercased(a)') are not supported"),
            ("{{#reversed(list)}}{{/reversed(list)}}", "1:1: transforms ('reversed(list)') are not supported"),
            ("x {{<parent}}{{/parent}}", "1:3: template inheritance ('{{<…}}', parents and blocks) is not supported"),
            ("{{$block}}x{{/block}}", "1:1: template inheritance ('{{$…}}', parents and blocks) is not supported"),
            ("\n\n{{>*dynamic}}", "3:1: dynamic partials are not supported"),
            ("{{%MAGIC: ON}}", "1:1: the pragma 'MAGIC: ON' is not supported"),
        ])
    func refusals(template: String, message: String) {
        #expect(throws: TemplateCompileError.self) { try CompiledTemplate(template) }
        do {
            _ = try CompiledTemplate(template)
        } catch {
            #expect(error.kind == .unsupported)
            #expect(error.description == message)
        }
    }

    @Test(
        "malformed templates are refused where the fault is",
        arguments: [
            ("ok\n{{#a}}\nnever closed\n", "2:1: '{{#a}}' is never closed"),
            ("{{#a}}x{{/b}}", "1:8: '{{/b}}' does not close '{{#a}}'"),
            ("x {{/b}}", "1:3: '{{/b}}' does not close a section"),
            ("{{a", "1:1: the tag 'a' is not closed"),
            ("{{{a}}", "1:1: '{{{a}}' is not closed by '}}}'"),
            ("é {{! note", "1:3: the comment is not closed"),
            ("{{=<% =}}", "1:1: a delimiter tag is written '{{=<% %>=}}'"),
        ])
    func malformed(template: String, message: String) {
        do {
            _ = try CompiledTemplate(template)
            Issue.record("\(template.debugDescription) compiled")
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.description == message)
        }
    }

    @Test("an indented standalone partial is refused when the caller asks")
    func indentedPartials() throws {
        _ = try CompiledTemplate("a\n  {{> part}}\n")
        _ = try CompiledTemplate("a {{> part}}\n", indentedPartials: false)
        do {
            _ = try CompiledTemplate("a\n  {{> part}}\n", indentedPartials: false)
            Issue.record("the indented partial compiled")
        } catch {
            #expect(
                error.description
                    == "2:3: an indented partial ('{{> part}}') is not supported; start its line with the tag"
            )
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
            // Pieces can join into text swift-mustache refuses to parse; only templates it accepts are compared, and
            // the compiled renderer must accept every one of them.
            guard let library = mustacheLibrary(templates) else {
                refused += 1
                continue
            }
            compared += 1
            let described = "\(template.debugDescription) with part \(partial.debugDescription)"
            do {
                let (expected, actual) = try renderBoth(templates, "main", sampleContext, library: library)
                if actual != expected {
                    mismatches.append(
                        "\(described): expected \(expected.debugDescription), got \(actual.debugDescription)")
                }
            } catch {
                mismatches.append("\(described): refused by the compiled renderer (\(error))")
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
