import Foundation
import Logging
import MailMessage

/// What `digest serve` answers, independent of the web framework: the one-click unsubscribe (RFC 8058), the
/// confirmation page that link scanners may GET without unsubscribing anyone, the preferences form, and the signup
/// with its double opt-in (`SubscriberService+Signup.swift`).
///
/// A token is the HMAC of an address and the list id (the one in every digest's List-Unsubscribe); a wrong, forged
/// or unknown token gets the same 404, so nobody can probe which addresses subscribe.
public struct SubscriberService: Sendable {
    let workspace: Workspace
    let state: StateStore
    let files: (any SubscriberFileUpdating)?
    var tokens: [String: Subscriber]
    /// The secret the tokens are keyed by (also the signup links' and the hashed clients' in consent records).
    let secret: Data
    /// The readers' links (tokens, preferences pages).
    let links: ReaderLinkBuilder
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
        self.secret = secret
        let links = try ReaderLinkBuilder(newsletter: workspace.config.newsletter, secret: secret)
        self.links = links
        var tokens: [String: Subscriber] = [:]
        for subscriber in workspace.subscribers {
            if let token = links.token(for: subscriber.email) { tokens[token] = subscriber }
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

    /// This service without `subscriber` (erased): their tokens find nobody.
    public func removing(_ subscriber: Subscriber) -> SubscriberService {
        var copy = self
        for (token, old) in tokens where old.email.lowercased() == subscriber.email.lowercased() {
            copy.tokens[token] = nil
        }
        return copy
    }

    /// `GET /preferences/<token>/data`: everything kept about the reader, as a JSON download ("Ladda ner mina
    /// uppgifter", GDPR Art. 15 and 20).
    public func personalDataDownload(token: String) -> PageResponse {
        guard let subscriber = tokens[token] else { return notFound() }
        guard let files else { return .text(503, "Your data cannot be read on this server.") }
        do {
            var response = PageResponse.text(200, try files.personalData(of: subscriber, state: state))
            response.contentType = "application/json; charset=utf-8"
            return response
        } catch {
            logFailure("A reader's data could not be gathered", subscriber, error)
            return .text(500, "Your data could not be read; please try again later.")
        }
    }

    /// `GET /preferences/<token>/forget`: a page with one button ("Radera mig"); nothing changes.
    public func forgetPage(token: String) -> PageResponse {
        guard let subscriber = tokens[token] else { return notFound() }
        let strings = self.strings(for: subscriber)
        return page(
            strings,
            title: strings["forgetTitle"],
            body: """
                <p>\(escape(fill(strings["forgetQuestion"], subscriber)))</p>
                <form method="post" action="forget"><input type="hidden" name="confirm" value="yes">
                <button type="submit">\(escape(strings["forgetButton"]))</button></form>
                """
        )
    }

    /// `POST /preferences/<token>/forget`: erases the reader (their file or entry and every state row naming them,
    /// GDPR Art. 17), keeping only the salted hash that stops a later import from mailing them.
    public func forget(token: String, at now: Date) -> PageResponse {
        guard let subscriber = tokens[token] else { return notFound() }
        guard let files else { return .text(503, "Your data cannot be erased on this server.") }
        let strings = self.strings(for: subscriber)
        do {
            try files.forget(subscriber, state: state, at: now)
        } catch {
            logFailure("A reader's erasure could not be made", subscriber, error)
            return .text(500, "Your data could not be erased; please try again later.")
        }
        return page(strings, title: strings["forgetTitle"], body: "<p>\(escape(strings["forgetDone"]))</p>")
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

    private func preferencesPage(
        for subscriber: Subscriber, token: String, saved: Bool, form: SubscriberForm? = nil,
        problems: [SubscriberForm.Problem] = []
    ) -> PageResponse {
        let strings = self.strings(for: subscriber)
        let choices = SubscriberForm.Choices(workspace, language: strings.language)
        let fields = (form ?? SubscriberForm(subscriber)).fieldsHTML(
            page: .preferences, choices: choices, strings: strings, problems: problems)
        let notice = saved ? "<p role=\"status\"><strong>\(escape(strings["preferencesSaved"]))</strong></p>" : ""
        var response = page(
            strings,
            title: strings["preferencesTitle"],
            body: """
                \(notice)<p>\(escape(strings["preferencesIntro"]))</p>
                <form method="post" action="\(escape(token))">
                \(fields)<button type="submit">\(escape(strings["preferencesSave"]))</button></form>
                <p><a href="\(escape(token))/data" download>\(escape(strings["personalDataLink"]))</a> ·
                <a href="\(escape(token))/forget">\(escape(strings["forgetLink"]))</a></p>
                """
        )
        if !problems.isEmpty { response.status = 400 }
        return response
    }

    /// `POST /preferences/<token>`: saves the form into the subscriber's file — every field it covers, what is
    /// unchanged left as written, an emptied name removed. A form with a mistake (a control character, a keyword too
    /// long, a choice the page did not offer) is shown again with its values and the problems, and nothing is written.
    public func savePreferences(token: String, form body: FormBody, at now: Date) -> PageResponse {
        guard let subscriber = tokens[token] else { return notFound() }
        var form = SubscriberForm(body)
        form.email = subscriber.email
        // The page always sends the name field, so an empty one clears the name; a body without the field (a client
        // posting only some fields) leaves it as it was.
        if body["name"] == nil { form.name = subscriber.name ?? "" }
        let updated: Subscriber
        switch form.check(
            taxonomy: workspace.taxonomy, organizers: SubscriberForm.Choices.organizers(workspace), requiresEmail: false
        )
        {
        case .failure(let list):
            return preferencesPage(for: subscriber, token: token, saved: false, form: form, problems: list.problems)
        case .success(var checked):
            checked.email = subscriber.email
            checked.file = subscriber.file
            updated = checked
        }
        guard let files else { return .text(503, "Preferences cannot be saved on this server.") }
        let written: Subscriber
        do {
            written = try files.update(subscriber, to: updated)
            try state.record(FeedbackEvent(address: subscriber.email, kind: "preferences", detail: "web form", at: now))
            // Taking the pause off after an unsubscribe is subscribing again: the reader asked for it on their page.
            if subscriber.paused && !written.paused, try state.suppression(of: subscriber.email) == .unsubscribed {
                try state.unsuppress(subscriber.email, at: now)
            }
        } catch {
            logFailure("A reader's preferences could not be saved", subscriber, error)
            return .text(500, "The preferences could not be saved; please try again later.")
        }
        return preferencesPage(for: written, token: token, saved: true)
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
    func logFailure(_ message: Logger.Message, _ subscriber: Subscriber, _ error: any Error) {
        let text = "\(error)".replacingOccurrences(of: subscriber.email, with: subscriber.logReference)
            .unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }.joined()
        logger?.error(message, metadata: ["subscriber.ref": "\(subscriber.logReference)", "serve.error": "\(text)"])
    }

    func strings(for subscriber: Subscriber) -> Strings {
        workspace.renderer.strings(for: workspace.language(of: subscriber))
    }

    private func fill(_ template: String, _ subscriber: Subscriber) -> String {
        template.replacingOccurrences(of: "{title}", with: workspace.config.newsletter.title)
            .replacingOccurrences(of: "{email}", with: subscriber.email)
    }

    func escape(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }

    func page(_ strings: Strings, title: String, body: String) -> PageResponse {
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
