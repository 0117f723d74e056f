import CompiledMustache
import Testing

@Suite("Partials that include themselves are found before rendering, and rendering never exhausts the stack")
struct PartialCycleTests {
    func set(_ templates: [String: String]) throws -> TemplateSet {
        var set = TemplateSet()
        for (name, text) in templates { set.add(try CompiledTemplate(text), named: name) }
        return set
    }

    @Test("a partial that includes itself is one cycle, at its tag")
    func selfInclusion() throws {
        let cycles = try set([
            "digest.txt": "{{> partials/footer.txt}}\n",
            "partials/footer.txt": "--\n\n{{> partials/footer.txt}}\n",
        ]).partialCycles()
        #expect(
            cycles.map(\.description) == [
                "3:1: partial 'partials/footer.txt' includes itself (footer.txt → footer.txt)"
            ])
        #expect(cycles.first?.names == ["partials/footer.txt", "partials/footer.txt"])
    }

    @Test("two partials that include each other are one cycle, reported at the least name, even inside a section")
    func mutualInclusion() throws {
        let cycles = try set([
            "main": "{{> b}}{{> a}}",
            "a": "x {{#list}}{{> b}}{{/list}}",
            "b": "{{> a}}",
        ]).partialCycles()
        #expect(cycles.map(\.description) == ["1:12: partial 'a' includes itself (a → b → a)"])
    }

    @Test("every distinct cycle is reported once; shared partials and missing ones close no cycle")
    func severalCycles() throws {
        let cycles = try set([
            "main": "{{> shared}}{{> shared}}{{> missing}}{{> x}}",
            "shared": "{{> leaf}}",
            "leaf": "text",
            "x": "{{> y}}{{> x}}",
            "y": "{{> z}}",
            "z": "{{> x}}",
        ]).partialCycles()
        #expect(
            cycles.map(\.description) == [
                "1:1: partial 'x' includes itself (x → y → z → x)", "1:8: partial 'x' includes itself (x → x)",
            ])
        #expect(try set(["main": "{{> a}}{{> a}}", "a": "{{> b}}", "b": "b"]).partialCycles().isEmpty)
    }

    @Test("rendering a cycle stops at the depth limit with an error naming the chain, instead of crashing")
    func depthLimit() throws {
        let templates = try set(["main": "{{> loop}}", "loop": "{{#more}}{{> loop}}{{/more}}."])
        let value: TemplateValue = .object(["more": .bool(true)] as [String: TemplateValue])
        #expect(throws: TemplateRenderError.self) { try templates.render("main", value) }
        #expect(throws: TemplateRenderError.self) { try templates.renderPieces("main", value) }
        do {
            _ = try templates.render("main", value)
        } catch {
            #expect(error.chain.count == TemplateSet.maximumPartialDepth + 2)
            #expect(
                error.description
                    == "template 'main' nests partials more than 32 deep (main → loop → loop → loop → …); a partial "
                    + "probably includes itself")
        }
        // The same recursion ending within the limit renders.
        let shallow: TemplateValue = .object(["more": .bool(false)] as [String: TemplateValue])
        #expect(try templates.render("main", shallow) == ".")
    }

    @Test("partials nested as deep as the limit render; one more is refused")
    func exactLimit() throws {
        func chain(_ depth: Int) throws -> TemplateSet {
            var templates = ["main": "{{> p1}}"]
            for level in 1...depth { templates["p\(level)"] = level == depth ? "end" : "{{> p\(level + 1)}}" }
            return try set(templates)
        }
        let value: TemplateValue = .object([String: TemplateValue]())
        #expect(try chain(TemplateSet.maximumPartialDepth).render("main", value) == "end")
        #expect(throws: TemplateRenderError.self) {
            try chain(TemplateSet.maximumPartialDepth + 1).render("main", value)
        }
    }

    @Test("sections nested past the limit are refused where the limit is crossed")
    func sectionDepth() throws {
        let deep = String(repeating: "{{#a}}", count: 101) + String(repeating: "{{/a}}", count: 101)
        #expect(throws: TemplateCompileError.self) { try CompiledTemplate(deep) }
        do {
            _ = try CompiledTemplate(deep)
        } catch {
            #expect(error.description == "1:601: sections nest more than 100 deep at '{{#a}}'")
        }
        let fine = String(repeating: "{{#a}}", count: 100) + "x" + String(repeating: "{{/a}}", count: 100)
        #expect(throws: Never.self) { try CompiledTemplate(fine) }
    }
}
