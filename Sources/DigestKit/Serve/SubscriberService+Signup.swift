import Foundation
import MailMessage

/// What a signup or a confirmation asks of the server besides its page: a mail to send, a welcome to send.
public struct SignupAnswer: Sendable {
    /// The page.
    public var page: PageResponse
    /// A confirmation or "already subscribed" mail to send, when the rate limits allow one.
    public var mail: OutgoingMessage?
    /// The new subscriber, as written, who is to be sent the welcome message.
    public var welcome: Subscriber?

    /// An answer of `page`, asking for `mail` to be sent and `welcome` to be welcomed.
    public init(page: PageResponse, mail: OutgoingMessage? = nil, welcome: Subscriber? = nil) {
        self.page = page
        self.mail = mail
        self.welcome = welcome
    }
}

extension SubscriberService {
    /// How long a confirmation link works.
    public static let confirmationLifetime: TimeInterval = 7 * 24 * 3600

    /// Whether this server takes signups: only with `newsletter.baseURL`, which the confirmation link needs.
    public var acceptsSignups: Bool {
        workspace.config.newsletter.baseURL != nil
    }

    /// The consent sentence the signup form shows in `strings`' language, and its version (a hash of it).
    func consent(_ strings: Strings) -> (sentence: String, version: String) {
        let sentence = Strings.filling(strings["signupConsent"], "{title}", with: workspace.config.newsletter.title)
        return (sentence, SignupToken.textVersion(sentence))
    }

    /// `GET /subscribe`: the empty form in `language`.
    public func signupPage(language: Language) -> PageResponse {
        guard acceptsSignups else { return notFound() }
        return signupPage(form: SubscriberForm(), strings: workspace.renderer.strings(for: language))
    }

    private func signupPage(form: SubscriberForm, strings: Strings, problems: [SubscriberForm.Problem] = [])
        -> PageResponse
    {
        let choices = SubscriberForm.Choices(workspace, language: strings.language)
        let fields = form.fieldsHTML(
            page: .signup(consent: consent(strings).sentence), choices: choices, strings: strings, problems: problems)
        var response = page(
            strings, title: strings["signupTitle"],
            body: """
                <p>\(escape(strings["signupIntro"]))</p>
                <form method="post">
                \(fields)<button type="submit">\(escape(strings["signupButton"]))</button></form>
                """)
        if !problems.isEmpty { response.status = 400 }
        return response
    }

    /// `POST /subscribe` from `client` (``ClientIdentity``): a form with mistakes comes back with them and its
    /// values; a valid one gets the same page whether the address is new, pending or subscribed, and — when neither
    /// the address nor the client had a signup mail within `signup.addressIntervalSeconds` /
    /// `signup.clientIntervalSeconds` — a mail: the confirmation link for a new signup (recorded as pending, no file
    /// yet), or the preferences link for an address already subscribed.
    public func signup(form body: FormBody, language pageLanguage: Language, client: String, at now: Date)
        -> SignupAnswer
    {
        guard acceptsSignups else { return SignupAnswer(page: notFound()) }
        let form = SubscriberForm(body)
        let language = Language(rawValue: form.language) ?? pageLanguage
        let strings = workspace.renderer.strings(for: language)
        let subscriber: Subscriber
        switch form.check(taxonomy: workspace.taxonomy, organizers: SubscriberForm.Choices.organizers(workspace)) {
        case .failure(let list):
            return SignupAnswer(page: signupPage(form: form, strings: strings, problems: list.problems))
        case .success(let checked):
            subscriber = checked
        }
        let sent = page(
            strings, title: strings["signupTitle"],
            body: "<p>\(escape(Strings.filling(strings["signupSent"], "{email}", with: subscriber.email)))</p>")
        let limits = workspace.config.signup
        do {
            let allowed = try state.reserveSignupMail(
                addressKey: SignupToken.keyedHash(
                    subscriber.email.lowercased(), purpose: "signup-address", secret: secret),
                clientKey: SignupToken.keyedHash(client, purpose: "signup-client", secret: secret),
                at: now, addressInterval: TimeInterval(limits.addressIntervalSeconds),
                clientInterval: TimeInterval(limits.clientIntervalSeconds))
            guard allowed else {
                logger?.info(
                    "A signup mail was held back by the rate limits",
                    metadata: ["subscriber.ref": "\(subscriber.logReference)"])
                return SignupAnswer(page: sent)
            }
            if let token = links.token(for: subscriber.email), let existing = tokens[token] {
                let mailStrings = self.strings(for: existing)
                let link = links.links(for: existing).preferencesURL?.absoluteString ?? ""
                let mail = try signupMail(
                    to: existing, strings: mailStrings, subject: "subscribedMailSubject", body: "subscribedMailBody",
                    link: link, at: now)
                return SignupAnswer(page: sent, mail: mail)
            }
            let token = SignupToken.issue(secret: secret)
            var kept = form
            kept.email = subscriber.email
            try state.addPendingSignup(
                PendingSignup(
                    id: token.id, address: subscriber.email, form: kept.encoded, textVersion: consent(strings).version,
                    createdAt: now, expiresAt: now.addingTimeInterval(Self.confirmationLifetime)))
            let mail = try signupMail(
                to: subscriber, strings: strings, subject: "confirmMailSubject", body: "confirmMailBody",
                link: confirmationURL(token.text), at: now)
            return SignupAnswer(page: sent, mail: mail)
        } catch {
            logFailure("A signup could not be recorded", subscriber, error)
            return SignupAnswer(page: problemPage(500))
        }
    }

    /// The confirmation link of `token`: `baseURL/confirm/<token>`.
    func confirmationURL(_ token: String) -> String {
        guard let base = workspace.config.newsletter.baseURL else { return "" }
        return base.appendingPathComponent("confirm").appendingPathComponent(token).absoluteString
    }

    /// The signup `token` names, with its form and the strings of its language; a page instead when it is forged,
    /// unknown (404), used or expired (410).
    private func pending(_ token: String, at now: Date) -> Result<(PendingSignup, SubscriberForm, Strings), Refusal> {
        guard acceptsSignups, let verified = SignupToken.verify(token, secret: secret) else {
            return .failure(Refusal(page: notFound()))
        }
        let signup: PendingSignup?
        do {
            signup = try state.pendingSignup(id: verified.id)
        } catch {
            logger?.error("A pending signup could not be read", metadata: ["serve.error": "\(Self.printable(error))"])
            return .failure(Refusal(page: problemPage(503)))
        }
        guard let signup else { return .failure(Refusal(page: notFound())) }
        let form = SubscriberForm(FormBody(signup.form))
        let strings = workspace.renderer.strings(
            for: Language(rawValue: form.language) ?? workspace.config.newsletter.language)
        if signup.usedAt != nil { return .failure(Refusal(page: refusal(strings, "confirmUsed", status: 410))) }
        if signup.expiresAt <= now { return .failure(Refusal(page: refusal(strings, "confirmExpired", status: 410))) }
        return .success((signup, form, strings))
    }

    /// A page that refuses a confirmation link, as a `Failure`.
    struct Refusal: Error {
        var page: PageResponse
    }

    private func refusal(_ strings: Strings, _ key: String, status: Int) -> PageResponse {
        var response = page(strings, title: strings["confirmTitle"], body: "<p>\(escape(strings[key]))</p>")
        response.status = status
        return response
    }

    /// `GET /confirm/<token>`: a page with one button that confirms; nothing changes (link scanners GET).
    public func confirmPage(token: String, at now: Date) -> PageResponse {
        switch pending(token, at: now) {
        case .failure(let refusal):
            return refusal.page
        case .success(let (_, form, strings)):
            let question = Strings.filling(
                Strings.filling(strings["confirmQuestion"], "{title}", with: workspace.config.newsletter.title),
                "{email}", with: form.email)
            return page(
                strings, title: strings["confirmTitle"],
                body: """
                    <p>\(escape(question))</p>
                    <form method="post"><button type="submit">\(escape(strings["confirmButton"]))</button></form>
                    """)
        }
    }

    /// `POST /confirm/<token>` from `client`: uses the link (once), writes `subscribers/<slug>.yaml` with the consent
    /// record (when, `web-form`, the version of the sentence the form showed, the client hashed with the secret),
    /// lifts an earlier unsubscribe of the address, and names the subscriber to welcome.
    public func confirm(token: String, client: String, at now: Date) -> SignupAnswer {
        let signup: PendingSignup
        let form: SubscriberForm
        let strings: Strings
        switch pending(token, at: now) {
        case .failure(let refusal):
            return SignupAnswer(page: refusal.page)
        case .success(let found):
            (signup, form, strings) = found
        }
        guard
            case .success(var subscriber) = form.check(
                taxonomy: workspace.taxonomy, organizers: SubscriberForm.Choices.organizers(workspace))
        else {
            // The topics or organisers changed since the form was sent: it is shown again, to send anew.
            return SignupAnswer(page: signupPage(form: form, strings: strings))
        }
        subscriber.consent = Consent(
            at: now, how: .webForm, textVersion: signup.textVersion,
            client: SignupToken.keyedHash(client, purpose: "consent-client", secret: secret))
        guard let files else { return SignupAnswer(page: .text(503, "Signups cannot be saved on this server.")) }
        let done = page(
            strings, title: strings["confirmTitle"],
            body: """
                <p>\(escape(
                    Strings.filling(
                        Strings.filling(strings["confirmDone"], "{title}", with: workspace.config.newsletter.title),
                        "{email}", with: subscriber.email)))</p>
                """)
        do {
            guard try state.usePendingSignup(id: signup.id, at: now) else {
                return SignupAnswer(page: refusal(strings, "confirmUsed", status: 410))
            }
            if let token = links.token(for: subscriber.email), tokens[token] != nil {
                return SignupAnswer(page: done)  // subscribed meanwhile (an editor, another link): nothing to add
            }
            let written = try files.add(subscriber)
            if try state.suppression(of: subscriber.email) == .unsubscribed {
                try state.unsuppress(subscriber.email, at: now)
            }
            try state.record(FeedbackEvent(address: subscriber.email, kind: "subscribed", detail: "web form", at: now))
            return SignupAnswer(page: done, welcome: written)
        } catch let error as SubscriberEditError where error.message.contains("is already subscribed") {
            return SignupAnswer(page: done)
        } catch {
            logFailure("A confirmed signup could not be saved", subscriber, error)
            return SignupAnswer(page: problemPage(500))
        }
    }

    /// A short plain-text mail from the newsletter to `subscriber`, its subject and body from `strings` with the
    /// title, the address and `link` filled in.
    private func signupMail(
        to subscriber: Subscriber, strings: Strings, subject: String, body: String, link: String, at now: Date
    ) throws -> OutgoingMessage {
        let newsletter = workspace.config.newsletter
        let from = try MailAddress(parsing: newsletter.from)
        func fill(_ text: String) -> String {
            let titled = Strings.filling(text, "{title}", with: newsletter.title)
            return Strings.filling(Strings.filling(titled, "{email}", with: subscriber.email), "{link}", with: link)
        }
        let nonce = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var message = MailMessage(
            from: from,
            to: [try MailAddress(displayName: nil, address: subscriber.email)],
            replyTo: try newsletter.replyTo.map { try MailAddress(parsing: $0) },
            subject: fill(strings[subject]),
            date: now,
            timeZone: newsletter.timeZone,
            messageID: "signup.\(nonce)@\(newsletter.messageIDDomain ?? from.domain)",
            textBody: fill(strings[body]) + "\n",
            extraHeaders: [MailHeader(name: "Auto-Submitted", value: "auto-generated")]
        )
        message.listHeaders = nil
        return OutgoingMessage(
            recipient: subscriber.email, envelopeFrom: newsletter.bounceAddress ?? from.address,
            messageID: message.messageID, bytes: message.rendered())
    }

    /// Delivers `mail` (from ``signup(form:language:client:at:)``) through `mailer`.
    public func send(_ mail: OutgoingMessage, through mailer: SignupMailer) async {
        await mailer.send(mail, config: workspace.config)
    }

    /// Sends `subscriber` (from ``confirm(token:client:at:)``) their welcome message through `mailer`.
    public func welcome(_ subscriber: Subscriber, through mailer: SignupMailer, at now: Date) async {
        await mailer.welcome(subscriber, workspace: workspace, state: state, at: now)
    }

    /// `error` with every control character written as a space, for a log line.
    static func printable(_ error: any Error) -> String {
        String("\(error)".unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }
}
