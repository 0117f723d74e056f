import Foundation
import Logging
import MailMessage

/// What `digest serve` answers, independent of the web framework: the one-click unsubscribe (RFC 8058), the
/// confirmation page that link scanners may GET without unsubscribing anyone, and the preferences form.
///
/// A token is the HMAC of an address and the list id (the one in every digest's List-Unsubscribe); a wrong, forged
/// or unknown token gets the same 404, so nobody can probe which addresses subscribe.
public struct SubscriberService: Sendable {
    let workspace: Workspace
    let state: StateStore
    let files: (any SubscriberFileUpdating)?
    var tokens: [String: Subscriber]
    /// Where a failure to save a reader's request is logged (``ServedWorkspace`` sets it); nil: nowhere.
    var logger: Logger?

    /// A service over `workspace`'s subscribers; `files` writes their files (nil: the state's suppression only).
    public init(
        workspace: Workspace,
        state: StateStore,
        secret: Data,
        files: (any SubscriberFileUpdating)?
    ) throws(DiagnosticList) {
        self.workspace = workspace
        self.state = state
        self.files = files
        let composer = try MessageComposer(newsletter: workspace.config.newsletter, secret: secret)
        var tokens: [String: Subscriber] = [:]
        for subscriber in workspace.subscribers {
            if let token = composer.token(for: subscriber.email) { tokens[token] = subscriber }
        }
        self.tokens = tokens
    }

    /// Whether `token` belongs to a subscriber (a dictionary look-up, no HMAC).
    public func knows(token: String) -> Bool {
        tokens[token] != nil
    }

    /// The same service with `subscriber` (matched by address) as given: how an edit the service wrote itself is
    /// seen by the next request without reading every file again.
    public func replacing(_ subscriber: Subscriber) -> SubscriberService {
        var copy = self
        for (token, old) in tokens where old.email == subscriber.email { copy.tokens[token] = subscriber }
        return copy
    }

    /// `GET /unsubscribe/<token>`: a page with a button; nothing changes.
    public func unsubscribePage(token: String) -> PageResponse {
        guard let subscriber = tokens[token] else { return notFound() }
        let strings = self.strings(for: subscriber)
        let question = fill(strings["unsubscribeQuestion"], subscriber)
        return page(
            strings,
            title: strings["unsubscribeTitle"],
            body: """
                <p>\(escape(question))</p>
                <form method="post" action="\(escape(token))"><input type="hidden" name="confirm" value="yes">
                <button type="submit">\(escape(strings["unsubscribeButton"]))</button></form>
                """
        )
    }

    /// `POST /unsubscribe/<token>`: unsubscribes at once, both for the RFC 8058 one-click body
    /// (`List-Unsubscribe=One-Click`, answered in plain text) and for the confirmation button; never redirects.
    public func unsubscribe(token: String, form: FormBody, at now: Date) -> PageResponse {
        guard let subscriber = tokens[token] else { return notFound() }
        let oneClick = form["List-Unsubscribe"] == "One-Click"
        do {
            try state.suppress(subscriber.email, reason: .unsubscribed, at: now)
            try state.record(
                FeedbackEvent(
                    address: subscriber.email,
                    kind: "unsubscribed",
                    detail: oneClick ? "one-click" : "web page",
                    at: now
                )
            )
            try files?.pause(subscriber)
        } catch {
            logFailure("A reader's unsubscribe could not be saved", subscriber, error)
            return .text(500, "The request could not be saved; please try again later.")
        }
        let strings = self.strings(for: subscriber)
        let done = fill(strings["unsubscribeDone"], subscriber)
        if oneClick { return .text(200, done) }
        return page(strings, title: strings["unsubscribeTitle"], body: "<p>\(escape(done))</p>")
    }

    /// `GET /preferences/<token>`: the subscriber's interests as a form.
    public func preferencesPage(token: String) -> PageResponse {
        guard let subscriber = tokens[token] else { return notFound() }
        return preferencesPage(for: subscriber, token: token, saved: false)
    }

    private func preferencesPage(for subscriber: Subscriber, token: String, saved: Bool) -> PageResponse {
        let strings = self.strings(for: subscriber)
        let language = workspace.language(of: subscriber)
        let interests = subscriber.interests
        func box(_ name: String, _ value: String, _ label: String, _ checked: Bool) -> String {
            let mark = checked ? " checked" : ""
            return
                "<label><input type=\"checkbox\" name=\"\(name)\" value=\"\(escape(value))\"\(mark)> \(escape(label))</label><br>"
        }
        let topics = workspace.taxonomy.topics.map {
            box("topic", $0.id, $0.label(language), interests.topics.contains($0.id))
        }
        let regions = (Regions.municipalities + [Regions.wholeRegion]).map {
            box("region", $0, $0, interests.regions.contains($0))
        }
        let kinds = [
            box("kind", "event", strings["kindEvent"], interests.kinds.contains(.event)),
            box("kind", "funding", strings["kindFunding"], interests.kinds.contains(.funding)),
        ]
        let notice = saved ? "<p role=\"status\"><strong>\(escape(strings["preferencesSaved"]))</strong></p>" : ""
        return page(
            strings,
            title: strings["preferencesTitle"],
            body: """
                \(notice)<p>\(escape(strings["preferencesIntro"]))</p>
                <form method="post" action="\(escape(token))">
                <fieldset><legend>\(escape(strings["preferencesTopics"]))</legend>\(topics.joined())</fieldset>
                <fieldset><legend>\(escape(strings["preferencesRegions"]))</legend>\(regions.joined())</fieldset>
                <fieldset><legend>\(escape(strings["preferencesKinds"]))</legend>\(kinds.joined())</fieldset>
                <p><label>\(escape(strings["preferencesKeywords"]))<br>
                <input type="text" name="keywords" value="\(escape(interests.keywords.joined(separator: ", ")))"></label></p>
                <button type="submit">\(escape(strings["preferencesSave"]))</button></form>
                """
        )
    }

    /// `POST /preferences/<token>`: saves the form into the subscriber's file; unknown values are ignored.
    public func savePreferences(token: String, form: FormBody, at now: Date) -> PageResponse {
        guard var subscriber = tokens[token] else { return notFound() }
        let topicIDs = Set(workspace.taxonomy.topics.map(\.id))
        var interests = subscriber.interests
        interests.topics = form.values("topic").filter(topicIDs.contains)
        interests.regions = form.values("region").compactMap(Regions.canonical)
        interests.kinds = form.values("kind").compactMap(ItemKind.init(rawValue:))
        interests.keywords = form.values("keywords").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0.count <= 60 }
            .prefix(20).map { String($0) }
        if let found = interests.keywords.lazy.compactMap({ SubscriberChecker.controlCharacter(in: $0) }).first {
            // Refused before anything is written: a CR or LF would end a line of the file, a log or a header.
            return .text(400, "A keyword holds \(found); write each keyword on one line. Nothing was saved.")
        }
        guard let files else { return .text(503, "Preferences cannot be saved on this server.") }
        do {
            try files.updateInterests(of: subscriber, to: interests)
            try state.record(FeedbackEvent(address: subscriber.email, kind: "preferences", detail: "web form", at: now))
        } catch {
            logFailure("A reader's preferences could not be saved", subscriber, error)
            return .text(500, "The preferences could not be saved; please try again later.")
        }
        subscriber.interests = interests
        return preferencesPage(for: subscriber, token: token, saved: true)
    }

    /// `GET /event/<id>.ics`: the event's own calendar, as the last `digest send` published it (while the event is
    /// still to come), or nil when there is none by that name; throws when the state cannot be read.
    public func eventCalendar(file: String) throws -> PageResponse? {
        guard file.hasSuffix(".ics") else { return nil }
        let id = String(file.dropLast(4))
        guard !id.isEmpty, id.utf8.count <= 64,
            id.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) || (97...122).contains($0) }),
            let calendar = try state.publishedEvent(id)
        else { return nil }
        return PageResponse(status: 200, body: calendar, contentType: "text/calendar; charset=utf-8")
    }

    /// The answer to an unknown or forged token, the same for every such token.
    public func notFound() -> PageResponse {
        let strings = workspace.renderer.strings(for: workspace.config.newsletter.language)
        var response = page(
            strings, title: workspace.config.newsletter.title, body: "<p>\(escape(strings["pageNotFound"]))</p>")
        response.status = 404
        return response
    }

    /// The page for a failure of the server's own (`status` 500 or 503, or a refused request such as 413): short, in
    /// the newsletter's language, never empty.
    public func problemPage(_ status: Int) -> PageResponse {
        let strings = workspace.renderer.strings(for: workspace.config.newsletter.language)
        var response = page(
            strings, title: workspace.config.newsletter.title,
            body: "<p>\(escape(Self.problemText(status, strings)))</p>")
        response.status = status
        return response
    }

    /// The text of ``problemPage(_:)``: the strings' `serverError` (or `requestRefused` for a 4xx), else a built-in one.
    static func problemText(_ status: Int, _ strings: Strings) -> String {
        let key = status < 500 ? "requestRefused" : "serverError"
        if let text = strings.values[key] { return text }
        return ServePages.problemText(status, strings.language)
    }

    /// The answer when a client has made too many requests.
    public func tooManyRequests() -> PageResponse {
        let strings = workspace.renderer.strings(for: workspace.config.newsletter.language)
        return .text(429, strings["tooManyRequests"])
    }

    /// Logs `error` under `message`, the reader named by their log reference only (also inside the error's text) and
    /// every control character written as a space.
    private func logFailure(_ message: Logger.Message, _ subscriber: Subscriber, _ error: any Error) {
        let text = "\(error)".replacingOccurrences(of: subscriber.email, with: subscriber.logReference)
            .unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }.joined()
        logger?.error(message, metadata: ["subscriber.ref": "\(subscriber.logReference)", "serve.error": "\(text)"])
    }

    private func strings(for subscriber: Subscriber) -> Strings {
        workspace.renderer.strings(for: workspace.language(of: subscriber))
    }

    private func fill(_ template: String, _ subscriber: Subscriber) -> String {
        template.replacingOccurrences(of: "{title}", with: workspace.config.newsletter.title)
            .replacingOccurrences(of: "{email}", with: subscriber.email)
    }

    private func escape(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }

    private func page(_ strings: Strings, title: String, body: String) -> PageResponse {
        .html(
            200,
            """
            <!DOCTYPE html>
            <html lang="\(strings.language.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(escape(title)) – \(escape(workspace.config.newsletter.title))</title>
            <style>body{font-family:Arial,Helvetica,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;\
            line-height:1.5;color:#1f2933}button{font-size:1rem;padding:.6rem 1.2rem}fieldset{margin:1rem 0}</style>
            </head><body><h1>\(escape(title))</h1>
            \(body)
            </body></html>

            """
        )
    }
}
