import Foundation

extension SubscriberForm {
    /// Which page a form is on: the signup page asks for the address and shows the consent sentence; the preferences
    /// page shows the address and adds the exclusions, `sendEmpty` and pausing.
    public enum Page: Sendable {
        /// `/subscribe`.
        case signup(consent: String)
        /// `/preferences/<token>`.
        case preferences
    }

    /// What a form offers: the taxonomy's topics (labelled in the page's language), the municipalities and the
    /// organisers.
    public struct Choices: Sendable {
        /// Topic ids and labels.
        public var topics: [(id: String, label: String)]
        /// Municipalities, then the whole region.
        public var regions: [String]
        /// Organisers and funders.
        public var organizers: [String]

        /// The choices of `workspace` in `language`.
        public init(_ workspace: Workspace, language: Language) {
            topics = workspace.taxonomy.topics.map { ($0.id, $0.label(language)) }
            regions = Regions.municipalities + [Regions.wholeRegion]
            organizers = Self.organizers(workspace)
        }

        /// The organisers a form offers: the taxonomy's, then those the sources name, each once.
        public static func organizers(_ workspace: Workspace) -> [String] {
            var seen: Set<String> = []
            return (workspace.taxonomy.organizers + workspace.config.sources.compactMap(\.organizer)).filter {
                seen.insert($0).inserted
            }
        }
    }

    /// The form's fields as HTML, every value escaped; `problems` are listed above them and each field with one is
    /// marked `aria-invalid`.
    public func fieldsHTML(page: Page, choices: Choices, strings: Strings, problems: [Problem] = []) -> String {
        // A value is shown again as typed, but a control character (a CR or LF a forged form sent) as a space.
        func escape(_ text: String) -> String {
            HTMLEscaping.escape(
                String(
                    text.unicodeScalars.map {
                        $0.properties.generalCategory == .control || $0.value == 0x2028 || $0.value == 0x2029
                            ? " " : Character($0)
                    }))
        }
        let invalid = Set(problems.map(\.field))
        func mark(_ field: String) -> String { invalid.contains(field) ? " aria-invalid=\"true\"" : "" }
        func box(_ name: String, _ value: String, _ label: String, _ checked: Bool) -> String {
            let state = checked ? " checked" : ""
            return "<label><input type=\"checkbox\" name=\"\(name)\" value=\"\(escape(value))\"\(state)\(mark(name))> "
                + "\(escape(label))</label><br>"
        }
        func group(_ legend: String, _ boxes: [String]) -> String {
            "<fieldset><legend>\(escape(strings[legend]))</legend>\(boxes.joined())</fieldset>\n"
        }
        func text(_ name: String, _ label: String, _ value: String, type: String = "text", extra: String = "") -> String
        {
            "<p><label>\(escape(label))<br><input type=\"\(type)\" name=\"\(name)\" value=\"\(escape(value))\""
                + "\(extra)\(mark(name))></label></p>\n"
        }
        var html = ""
        if !problems.isEmpty {
            html += "<div role=\"alert\"><p><strong>\(escape(strings["signupProblems"]))</strong></p><ul>"
            html += problems.map { "<li>\(escape($0.message(strings)))</li>" }.joined()
            html += "</ul></div>\n"
        }
        switch page {
        case .signup:
            html += text(
                "email", strings["signupEmail"], email, type: "email",
                extra: " required maxlength=\"254\" autocomplete=\"email\"")
        case .preferences:
            html += "<p>\(escape(Strings.filling(strings["preferencesEmail"], "{email}", with: email)))</p>\n"
        }
        html += text("name", strings["preferencesName"], name, extra: " maxlength=\"100\" autocomplete=\"name\"")
        let languages = [("sv", strings["languageSwedish"]), ("en", strings["languageEnglish"])]
        let chosen = language.isEmpty ? strings.language.rawValue : language
        html += "<fieldset><legend>\(escape(strings["preferencesLanguage"]))</legend>"
        html += languages.map { code, label in
            let state = chosen == code ? " checked" : ""
            return "<label><input type=\"radio\" name=\"language\" value=\"\(code)\"\(state)\(mark("language"))> "
                + "<span lang=\"\(code)\">\(escape(label))</span></label><br>"
        }.joined()
        html += "</fieldset>\n"
        html += group("preferencesTopics", choices.topics.map { box("topic", $0.id, $0.label, topics.contains($0.id)) })
        html += group("preferencesRegions", choices.regions.map { box("region", $0, $0, regions.contains($0)) })
        html += group(
            "preferencesOrganizers", choices.organizers.map { box("organizer", $0, $0, organizers.contains($0)) })
        html += group(
            "preferencesKinds",
            [
                box("kind", "event", strings["kindEvent"], kinds.contains("event")),
                box("kind", "funding", strings["kindFunding"], kinds.contains("funding")),
            ])
        html += text("keywords", strings["preferencesKeywords"], keywords)
        switch page {
        case .signup(let consent):
            html += "<p>\(escape(consent))</p>\n"
        case .preferences:
            html += "<fieldset><legend>\(escape(strings["preferencesExclude"]))</legend>"
            html += choices.topics.map { box("excludeTopic", $0.id, $0.label, excludeTopics.contains($0.id)) }.joined()
            html += choices.organizers.map { box("excludeOrganizer", $0, $0, excludeOrganizers.contains($0)) }.joined()
            html += text("excludeKeywords", strings["preferencesExcludeKeywords"], excludeKeywords)
            html += "</fieldset>\n"
            html += "<p>" + box("sendEmpty", "true", strings["preferencesSendEmpty"], sendEmpty) + "\n"
            html += box("paused", "true", strings["preferencesPaused"], paused) + "</p>\n"
        }
        return html
    }
}
