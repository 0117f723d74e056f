import Feeds
import Foundation
import Testing

/// The small languages source definitions are written in: JSON paths, field templates and filter conditions.
@Suite struct MappingLanguageTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Data(text.utf8))
    }

    static func values(_ path: String, in text: String, limit: Int = 100_000) throws -> [JSONValue] {
        try JSONPath(path).values(in: try json(text), limit: limit)
    }

    /// The description of the error `JSONPath(text)` throws, or nil when it parses.
    static func pathError(_ text: String) -> String? {
        do {
            _ = try JSONPath(text)
            return nil
        } catch {
            return error.description
        }
    }

    /// The description of the error `FieldTemplate(text)` throws, or nil when it parses.
    static func templateError(_ text: String) -> String? {
        do {
            _ = try FieldTemplate(text)
            return nil
        } catch {
            return error.description
        }
    }

    /// The description of the error `FieldFilter(text)` throws, or nil when it parses.
    static func filterError(_ text: String) -> String? {
        do {
            _ = try FieldFilter(text)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: - JSONPath parsing

    @Test func singleName() throws {
        let path = try JSONPath("Titel")
        #expect(path.steps == [.key("Titel")])
        #expect(path.text == "Titel")
        #expect(path.description == "Titel")
    }

    @Test func namesAndIndex() throws {
        #expect(try JSONPath("data.items[0].title").steps == [.key("data"), .key("items"), .index(0), .key("title")])
    }

    @Test func indexAfterName() throws {
        #expect(try JSONPath("metadata.title[0]").steps == [.key("metadata"), .key("title"), .index(0)])
        #expect(try JSONPath("a[12]").steps == [.key("a"), .index(12)])
        #expect(try JSONPath("a[0][1]").steps == [.key("a"), .index(0), .index(1)])
    }

    @Test func wildcard() throws {
        #expect(try JSONPath("records[*].name").steps == [.key("records"), .all, .key("name")])
        #expect(try JSONPath("records.*.name").steps == [.key("records"), .all, .key("name")])
        #expect(try JSONPath("*").steps == [.all])
    }

    @Test func quotedNames() throws {
        #expect(try JSONPath("[\"key.with.dots\"]").steps == [.key("key.with.dots")])
        #expect(try JSONPath("['single quoted']").steps == [.key("single quoted")])
        #expect(try JSONPath("a[\"b c\"].d").steps == [.key("a"), .key("b c"), .key("d")])
        #expect(try JSONPath("[\"say \\\"hi\\\"\"]").steps == [.key("say \"hi\"")])
        #expect(try JSONPath("[\"[*]\"]").steps == [.key("[*]")])
        #expect(try JSONPath("[\"\"]").steps == [.key("")])
    }

    @Test func dollarRoot() throws {
        #expect(try JSONPath("$.a.b").steps == [.key("a"), .key("b")])
        #expect(try JSONPath("$[0]").steps == [.index(0)])
        #expect(try JSONPath("$").steps == [])
        #expect(try JSONPath("$.a.b").text == "$.a.b")
    }

    @Test func emptyPathIsTheValueItself() throws {
        #expect(try JSONPath("").steps == [])
        #expect(try JSONPath("   ").steps == [])
        let root = try Self.json(#"{"a": 1}"#)
        #expect(try JSONPath("").values(in: root) == [root])
    }

    @Test func negativeIndex() throws {
        #expect(try JSONPath("[-1]").steps == [.index(-1)])
        #expect(try JSONPath("a[-3]").steps == [.key("a"), .index(-3)])
    }

    @Test func surroundingWhiteSpaceIsIgnored() throws {
        #expect(try JSONPath("  a.b  ").steps == [.key("a"), .key("b")])
    }

    @Test func nonASCIINames() throws {
        #expect(try JSONPath("Ärende.Sökande").steps == [.key("Ärende"), .key("Sökande")])
    }

    // MARK: - JSONPath errors

    @Test(
        arguments: [
            ("a..b", "invalid path 'a..b' at character 3: empty name between dots"),
            ("a[", "invalid path 'a[' at character 2: '[' is not closed"),
            ("a[x]", "invalid path 'a[x]' at character 3: expected a number, '*' or a quoted name inside [ ]"),
            ("a.", "invalid path 'a.' at character 2: the path ends with '.'"),
            ("a b", "invalid path 'a b' at character 2: ' ' cannot stand in a name; quote it as [\"…\"]"),
            ("a]", "invalid path 'a]' at character 2: ']' without '['"),
            ("[\"open", "invalid path '[\"open' at character 2: the quoted name is not closed"),
            ("a[0", "invalid path 'a[0' at character 4: expected ']'"),
            ("a[*", "invalid path 'a[*' at character 4: expected ']'"),
            ("a[0]b", "invalid path 'a[0]b' at character 5: expected '.' or '[' before a name"),
            ("a[]", "invalid path 'a[]' at character 3: expected a number, '*' or a quoted name inside [ ]"),
            ("a[-]", "invalid path 'a[-]' at character 4: expected a number, '*' or a quoted name inside [ ]"),
            ("a[1.5]", "invalid path 'a[1.5]' at character 4: expected ']'"),
            ("a[\"b\"c]", "invalid path 'a[\"b\"c]' at character 6: expected ']'"),
            ("$..a", "invalid path '$..a' at character 3: empty name between dots"),
            ("{a}", "invalid path '{a}' at character 1: '{' cannot stand in a name; quote it as [\"…\"]"),
            ("a\"b", "invalid path 'a\"b' at character 2: '\"' cannot stand in a name; quote it as [\"…\"]"),
            ("]", "invalid path ']' at character 1: ']' without '['"),
        ])
    func pathErrorsWordForWord(path: String, message: String) {
        #expect(Self.pathError(path) == message)
    }

    @Test func pathErrorCarriesPathPositionAndReason() {
        do {
            _ = try JSONPath("a..b")
            Issue.record("'a..b' parsed")
        } catch {
            #expect(error.path == "a..b")
            #expect(error.position == 3)
            #expect(error.reason == "empty name between dots")
        }
    }

    @Test func leadingDotIsAccepted() throws {
        // A single leading dot, as in jq, names nothing and is skipped.
        #expect(try JSONPath(".a").steps == [.key("a")])
    }

    // MARK: - JSONPath evaluation

    static let record = #"""
        {
          "Titel": "Innovationscheck",
          "data": {"items": [{"title": "first"}, {"title": "second"}, {"title": "third"}]},
          "metadata": {"title": ["Wrapped"], "deadlineDate": "2027-03-01"},
          "LankLista": [
            {"Namn": "Ansök", "URL": "https://a.example/1"},
            {"Namn": "Läs mer"},
            "not an object",
            {"Namn": "Mer", "URL": "https://a.example/3"}
          ],
          "records": [{"name": "x"}, {"name": "y"}],
          "key.with.dots": "dotted",
          "key": {"with": {"dots": "nested"}},
          "members": {"b": 2, "a": 1, "c": 3},
          "text": "plain",
          "count": 3,
          "flag": true,
          "nothing": null
        }
        """#

    static func recordValues(_ path: String) throws -> [JSONValue] {
        try values(path, in: record)
    }

    @Test func memberLookup() throws {
        #expect(try Self.recordValues("Titel") == [.string("Innovationscheck")])
        #expect(try Self.recordValues("metadata.deadlineDate") == [.string("2027-03-01")])
        #expect(try Self.recordValues("$.metadata.deadlineDate") == [.string("2027-03-01")])
        #expect(try Self.recordValues("count") == [.number(3)])
        #expect(try Self.recordValues("flag") == [.bool(true)])
        #expect(try Self.recordValues("nothing") == [.null])
    }

    @Test func quotedNameIsOneKeyNotAPath() throws {
        #expect(try Self.recordValues("[\"key.with.dots\"]") == [.string("dotted")])
        #expect(try Self.recordValues("key.with.dots") == [.string("nested")])
    }

    @Test func indexIntoArray() throws {
        #expect(try Self.recordValues("data.items[0].title") == [.string("first")])
        #expect(try Self.recordValues("data.items[2].title") == [.string("third")])
        #expect(try Self.recordValues("data.items[3].title") == [])
    }

    @Test func negativeIndexCountsFromTheEnd() throws {
        #expect(try Self.recordValues("data.items[-1].title") == [.string("third")])
        #expect(try Self.recordValues("data.items[-3].title") == [.string("first")])
        #expect(try Self.recordValues("data.items[-4].title") == [])
    }

    @Test func indexZeroOnAValueThatIsNotAnArrayKeepsIt() throws {
        // EU SEDIA wraps values in lists, but not always: [0] reads both the same.
        #expect(try Self.recordValues("metadata.title[0]") == [.string("Wrapped")])
        #expect(try Self.recordValues("metadata.deadlineDate[0]") == [.string("2027-03-01")])
        #expect(try Self.recordValues("metadata.deadlineDate[-1]") == [.string("2027-03-01")])
        #expect(try Self.recordValues("count[0]") == [.number(3)])
        #expect(try Self.recordValues("metadata[0].deadlineDate") == [.string("2027-03-01")])
        // Any other index on a single value gives nothing.
        #expect(try Self.recordValues("metadata.deadlineDate[1]") == [])
        #expect(try Self.recordValues("metadata.deadlineDate[-2]") == [])
    }

    @Test func nameStepOnAnArrayFansOutOverItsObjects() throws {
        #expect(
            try Self.recordValues("LankLista.URL") == [.string("https://a.example/1"), .string("https://a.example/3")])
        #expect(
            try Self.recordValues("LankLista.Namn") == [.string("Ansök"), .string("Läs mer"), .string("Mer")])
        #expect(try Self.recordValues("data.items.title") == ["first", "second", "third"].map(JSONValue.string))
    }

    @Test func indexAfterFanOutAppliesToEachValue() throws {
        // After a fan-out each value is a single string, so [0] keeps every one of them.
        let urls: [JSONValue] = [.string("https://a.example/1"), .string("https://a.example/3")]
        #expect(try Self.recordValues("LankLista.URL[0]") == urls)
        #expect(try Self.recordValues("LankLista[0].URL") == [.string("https://a.example/1")])
    }

    @Test func wildcardOnArrayGivesElementsInOrder() throws {
        #expect(try Self.recordValues("records[*].name") == [.string("x"), .string("y")])
        #expect(try Self.recordValues("records.*.name") == [.string("x"), .string("y")])
        #expect(try Self.recordValues("data.items[*]").count == 3)
    }

    @Test func wildcardOnObjectGivesMembersInKeyOrder() throws {
        #expect(try Self.recordValues("members[*]") == [.number(1), .number(2), .number(3)])
        #expect(try Self.recordValues("members.*") == [.number(1), .number(2), .number(3)])
    }

    @Test func pathIntoAScalarGivesNothing() throws {
        #expect(try Self.recordValues("text.length") == [])
        #expect(try Self.recordValues("text[*]") == [])
        #expect(try Self.recordValues("count.value") == [])
        #expect(try Self.recordValues("nothing.value") == [])
        #expect(try Self.recordValues("Titel.x.y.z") == [])
    }

    @Test func missingKeysGiveNothing() throws {
        #expect(try Self.recordValues("Missing") == [])
        #expect(try Self.recordValues("data.missing.title") == [])
        #expect(try Self.recordValues("records[*].missing") == [])
        #expect(try Self.recordValues("titel") == [], "keys are case-sensitive")
    }

    @Test func rootArray() throws {
        let text = #"[{"id": 1}, {"id": 2}, {"id": 3}]"#
        #expect(try Self.values("[0].id", in: text) == [.number(1)])
        #expect(try Self.values("[-1].id", in: text) == [.number(3)])
        #expect(try Self.values("id", in: text) == [.number(1), .number(2), .number(3)])
        #expect(try Self.values("[*].id", in: text) == [.number(1), .number(2), .number(3)])
    }

    @Test func nameStepDoesNotReachIntoNestedArrays() throws {
        #expect(try Self.values("a", in: #"[[{"a": 1}]]"#) == [])
        #expect(try Self.values("[*].a", in: #"[[{"a": 1}]]"#) == [.number(1)])
    }

    @Test func limitCapsTheResult() throws {
        let numbers = (0..<100_000).map(String.init).joined(separator: ",")
        let root = try Self.json(#"{"items": [\#(numbers)]}"#)
        let capped = try JSONPath("items[*]").values(in: root, limit: 10)
        #expect(capped == (0..<10).map { .number(Double($0)) })
        #expect(try JSONPath("items[*]").values(in: root).count == 100_000)
        #expect(try JSONPath("items[*]").values(in: root, limit: 1).count == 1)
    }

    @Test func defaultLimitIsOneHundredThousand() throws {
        let root = JSONValue.array(Array(repeating: .number(1), count: 100_001))
        #expect(try JSONPath("[*]").values(in: root).count == 100_000)
    }

    @Test func limitCapsAFanOutOverObjects() throws {
        let objects = (0..<1_000).map { #"{"n": \#($0)}"# }.joined(separator: ",")
        let root = try Self.json("[\(objects)]")
        #expect(try JSONPath("n").values(in: root, limit: 10) == (0..<10).map { .number(Double($0)) })
    }

    @Test func limitCapsAcrossSeveralArrays() throws {
        let arrays = Array(repeating: "[1, 2, 3, 4, 5]", count: 100).joined(separator: ",")
        let root = try Self.json("[\(arrays)]")
        #expect(try JSONPath("[*][*]").values(in: root).count == 500)
        #expect(try JSONPath("[*][*]").values(in: root, limit: 7) == [1, 2, 3, 4, 5, 1, 2].map(JSONValue.number))
    }

    // MARK: - JSON parsing

    @Test func deeplyNestedDocumentThrowsInsteadOfCrashing() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        do {
            _ = try JSONValue.parse(Data(text.utf8))
            Issue.record("a document nested 10,000 deep parsed")
        } catch {
            #expect(error.description.hasPrefix("not valid JSON:"), "\(error.description)")
        }
    }

    @Test func deeplyNestedObjectsThrowInsteadOfCrashing() {
        let text = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func moderatelyNestedDocumentParsesAndPathsReachTheBottom() throws {
        let text = String(repeating: "[", count: 100) + "42" + String(repeating: "]", count: 100)
        let root = try Self.json(text)
        let path = try JSONPath(String(repeating: "[0]", count: 100))
        #expect(path.values(in: root) == [.number(42)])
    }

    @Test func invalidJSONSaysSo() {
        for text in [#"{"a":"#, "", "nope", #"{"a" 1}"#] {
            do {
                _ = try JSONValue.parse(Data(text.utf8))
                Issue.record("'\(text)' parsed")
            } catch {
                #expect(error.description.hasPrefix("not valid JSON: "), "\(error.description)")
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test func parsedValuesKeepTheirKinds() throws {
        let root = try Self.json(#"{"s": "x", "n": 1.5, "b": false, "z": null, "a": [1], "o": {}}"#)
        #expect(
            root
                == .object([
                    "s": .string("x"), "n": .number(1.5), "b": .bool(false), "z": .null, "a": .array([.number(1)]),
                    "o": .object([:]),
                ]))
    }

    // MARK: - FieldTemplate

    @Test func plainPathIsOneExpression() throws {
        let template = try FieldTemplate("data.items[0].title")
        #expect(template.parts == [.expression("data.items[0].title")])
        #expect(template.expressions == ["data.items[0].title"])
        #expect(template.isSingleExpression)
        #expect(template.text == "data.items[0].title")
    }

    @Test func bracedPathAloneIsOneExpression() throws {
        let template = try FieldTemplate("{Titel}")
        #expect(template.parts == [.expression("Titel")])
        #expect(template.isSingleExpression)
    }

    @Test func literalThenExpression() throws {
        let template = try FieldTemplate("https://www.vinnova.se/e/{Diarienummer}")
        #expect(template.parts == [.literal("https://www.vinnova.se/e/"), .expression("Diarienummer")])
        #expect(template.expressions == ["Diarienummer"])
        #expect(!template.isSingleExpression)
    }

    @Test func twoExpressionsAroundALiteral() throws {
        let template = try FieldTemplate("{a}-{b}")
        #expect(template.parts == [.expression("a"), .literal("-"), .expression("b")])
        #expect(template.expressions == ["a", "b"])
        #expect(!template.isSingleExpression)
    }

    @Test func adjacentExpressions() throws {
        #expect(try FieldTemplate("{a}{b}").parts == [.expression("a"), .expression("b")])
    }

    @Test func whiteSpaceInsideBracesIsTrimmed() throws {
        #expect(try FieldTemplate("x { a.b } y").parts == [.literal("x "), .expression("a.b"), .literal(" y")])
    }

    @Test func doubledBracesAreLiteralBraces() throws {
        let template = try FieldTemplate("{{literal}}")
        #expect(template.parts == [.literal("{literal}")])
        #expect(template.expressions == [])
        #expect(!template.isSingleExpression)
        #expect(try FieldTemplate("x{{y}}z").parts == [.literal("x{y}z")])
        #expect(try FieldTemplate("}}").parts == [.literal("}")])
    }

    @Test func doubledBracesAroundAnExpression() throws {
        #expect(try FieldTemplate("{{{a}}}").parts == [.literal("{"), .expression("a"), .literal("}")])
        #expect(try FieldTemplate("{{ {a} }}").parts == [.literal("{ "), .expression("a"), .literal(" }")])
    }

    @Test func emptyTemplateIsTheEmptyPath() throws {
        let template = try FieldTemplate("")
        #expect(template.parts == [.expression("")])
        #expect(template.isSingleExpression)
    }

    @Test(
        arguments: [
            ("x{y", "invalid template 'x{y' at character 2: '{' is not closed"),
            ("x}y", "invalid template 'x}y' at character 2: '}' without '{'"),
            ("{}", "invalid template '{}' at character 1: '{}' names nothing"),
            ("a{ }b", "invalid template 'a{ }b' at character 2: '{}' names nothing"),
            ("{a{b}}", "invalid template '{a{b}}' at character 1: '{' inside '{…}'"),
            ("{a}}", "invalid template '{a}}' at character 4: '}' without '{'"),
            ("{{a}", "invalid template '{{a}' at character 4: '}' without '{'"),
            ("{a}-{b", "invalid template '{a}-{b' at character 5: '{' is not closed"),
            ("}", "invalid template '}' at character 1: '}' without '{'"),
        ])
    func templateErrorsWordForWord(template: String, message: String) {
        #expect(Self.templateError(template) == message)
    }

    @Test func templateErrorCarriesTemplatePositionAndReason() {
        do {
            _ = try FieldTemplate("x{y")
            Issue.record("'x{y' parsed")
        } catch {
            #expect(error.template == "x{y")
            #expect(error.position == 2)
            #expect(error.reason == "'{' is not closed")
        }
    }

    // MARK: - FieldFilter

    @Test func equalsTrue() throws {
        let filter = try FieldFilter("Publik == true")
        #expect(filter.path == "Publik")
        #expect(filter.test == .equals("true"))
        #expect(filter.description == "Publik == true")
        #expect(filter.holds(for: ["true"]))
        #expect(filter.holds(for: ["1"]))
        #expect(filter.holds(for: ["TRUE"]))
        #expect(filter.holds(for: [" True\n"]))
        #expect(filter.holds(for: ["false", "true"]), "some value equals")
        #expect(!filter.holds(for: ["false"]))
        #expect(!filter.holds(for: ["0"]))
        #expect(!filter.holds(for: ["yes"]))
        #expect(!filter.holds(for: []))
    }

    @Test func equalsOneMatchesTrue() throws {
        let filter = try FieldFilter("Publik == 1")
        #expect(filter.holds(for: ["true"]))
        #expect(!filter.holds(for: ["false"]))
    }

    @Test func equalsFalseMatchesZero() throws {
        let filter = try FieldFilter("Stangd == false")
        #expect(filter.holds(for: ["0"]))
        #expect(filter.holds(for: ["False"]))
        #expect(!filter.holds(for: ["1"]))
        #expect(!filter.holds(for: []))
    }

    @Test func differs() throws {
        let filter = try FieldFilter("status != \"closed\"")
        #expect(filter.path == "status")
        #expect(filter.test == .differs("closed"))
        #expect(filter.holds(for: ["open"]))
        #expect(filter.holds(for: []))
        #expect(!filter.holds(for: ["Closed"]))
        #expect(!filter.holds(for: [" closed "]))
        #expect(!filter.holds(for: ["open", "closed"]), "no value may equal")
    }

    @Test func operatorsWithoutSpaces() throws {
        let equals = try FieldFilter("a==b")
        #expect(equals.path == "a")
        #expect(equals.test == .equals("b"))
        let differs = try FieldFilter("a!=b")
        #expect(differs.path == "a")
        #expect(differs.test == .differs("b"))
    }

    @Test func present() throws {
        let filter = try FieldFilter("Publik")
        #expect(filter.path == "Publik")
        #expect(filter.test == .present)
        #expect(filter.holds(for: ["x"]))
        #expect(filter.holds(for: ["", "x"]))
        #expect(!filter.holds(for: [""]))
        #expect(!filter.holds(for: ["  "]))
        #expect(!filter.holds(for: ["false"]))
        #expect(!filter.holds(for: ["FALSE"]))
        #expect(!filter.holds(for: ["0"]))
        #expect(!filter.holds(for: []))
    }

    @Test func presentPathIsTrimmed() throws {
        let filter = try FieldFilter("  metadata.status[0]  ")
        #expect(filter.path == "metadata.status[0]")
        #expect(filter.test == .present)
        #expect(filter.text == "  metadata.status[0]  ")
    }

    @Test func quotedValueWithSpaces() throws {
        let single = try FieldFilter("name == 'Almi Mitt'")
        #expect(single.path == "name")
        #expect(single.test == .equals("Almi Mitt"))
        #expect(single.holds(for: ["Almi Mitt"]))
        #expect(single.holds(for: ["almi mitt "]))
        #expect(!single.holds(for: ["Almi"]))
        #expect(!single.holds(for: ["Almi  Mitt"]))
        let double = try FieldFilter("name == \"Almi Mitt\"")
        #expect(double.test == .equals("Almi Mitt"))
    }

    @Test func unquotedValueKeepsInnerSpaces() throws {
        #expect(try FieldFilter("name == Almi Mitt").test == .equals("Almi Mitt"))
    }

    @Test func quotedEmptyValue() throws {
        let filter = try FieldFilter("note == \"\"")
        #expect(filter.test == .equals(""))
        #expect(filter.holds(for: [""]))
        #expect(filter.holds(for: [" "]))
        #expect(!filter.holds(for: ["x"]))
    }

    @Test func xpathPathWithEqualsInAPredicate() throws {
        let filter = try FieldFilter(".//span[@class = 'status']")
        #expect(filter.path == ".//span[@class = 'status']")
        #expect(filter.test == .present)
        let compared = try FieldFilter(".//span[@class = 'status'] == Öppen")
        #expect(compared.path == ".//span[@class = 'status']")
        #expect(compared.test == .equals("Öppen"))
    }

    @Test(
        arguments: [
            ("Publik = true", "invalid condition 'Publik = true': write '==' to compare"),
            ("Publik =", "invalid condition 'Publik =': write '==' to compare"),
            ("== x", "invalid condition '== x': no path before '=='"),
            ("!= x", "invalid condition '!= x': no path before '!='"),
            ("a ==", "invalid condition 'a ==': no value after '=='; write \"\" for empty text"),
            ("a !=", "invalid condition 'a !=': no value after '!='; write \"\" for empty text"),
            ("a == \"open", "invalid condition 'a == \"open': the quoted value is not closed"),
            ("a == 'open\"", "invalid condition 'a == 'open\"': the quoted value is not closed"),
            ("a == \"", "invalid condition 'a == \"': the quoted value is not closed"),
            ("", "invalid condition '': the condition is empty"),
            ("   ", "invalid condition '   ': the condition is empty"),
        ])
    func filterErrorsWordForWord(filter: String, message: String) {
        #expect(Self.filterError(filter) == message)
    }

    @Test func filterErrorCarriesFilterAndReason() {
        do {
            _ = try FieldFilter("Publik = true")
            Issue.record("'Publik = true' parsed")
        } catch {
            #expect(error.filter == "Publik = true")
            #expect(error.reason == "write '==' to compare")
        }
    }

    // MARK: - Messages that say where and why

    @Test func positionsCountLeadingWhiteSpace() {
        #expect(Self.pathError("  a..b") == "invalid path '  a..b' at character 5: empty name between dots")
    }

    @Test func tooLargeIndexSaysSo() {
        #expect(
            Self.pathError("a[99999999999999999999]")
                == "invalid path 'a[99999999999999999999]' at character 3: the index 99999999999999999999 is too large")
    }

    @Test func deepNestingSaysWhy() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError(message: "nested more than 512 deep at byte 513")) {
            try JSONValue.parse(Data(text.utf8))
        }
    }

    @Test func comparisonsInsideBracketsOrQuotesBelongToThePath() throws {
        let xpath = try FieldFilter("//li[@class != 'x']")
        #expect(xpath.test == .present)
        #expect(xpath.path == "//li[@class != 'x']")
        let quoted = try FieldFilter(#"a != "x == y""#)
        #expect(quoted.path == "a")
        #expect(quoted.test == .differs("x == y"))
        let both = try FieldFilter(".//span[@class='status'] != Stängd")
        #expect(both.path == ".//span[@class='status']")
        #expect(both.test == .differs("Stängd"))
    }

    @Test func aLoneEqualsSignIsATypo() {
        for text in ["Publik=true", "Publik = true"] {
            #expect(throws: FieldFilterError(filter: text, reason: "write '==' to compare")) { try FieldFilter(text) }
        }
        #expect(throws: FieldFilterError(filter: "a === b", reason: "write '==' or '!=' once")) {
            try FieldFilter("a === b")
        }
    }
}
