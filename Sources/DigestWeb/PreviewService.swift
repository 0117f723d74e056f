import DigestKit
import Foundation
import Logging
import MailMessage

/// The preview server's session and its answers, independent of the HTTP library.
///
/// Every page is rendered afresh from the config, subscribers and templates on disk, so an edited template shows on
/// reload; the sources are fetched once per session and kept until a "refetch". Nothing is recorded in the state: a
/// test send goes through the configured transport outside the issue's ledger.
public actor PreviewService {
    /// What the session previews.
    public struct Options: Sendable {
        /// The config file, read again on every request.
        public var configFile: URL
        /// The pinned clock, or nil for the current time.
        public var now: Date?
        /// The issue id, or nil for the ISO week of the clock.
        public var issueID: String?
        /// The editors' note file, or nil for the config's.
        public var editorNote: URL?
        /// The environment (SMTP password, unsubscribe secret).
        public var environment: [String: String]

        /// Options for `configFile`.
        public init(
            configFile: URL,
            now: Date? = nil,
            issueID: String? = nil,
            editorNote: URL? = nil,
            environment: [String: String]
        ) {
            self.configFile = configFile
            self.now = now
            self.issueID = issueID
            self.editorNote = editorNote
            self.environment = environment
        }
    }

    /// The session's options.
    public nonisolated let options: Options
    /// The token every form of this session carries.
    public nonisolated let token: SessionToken
    let logger: Logger
    var collected: CollectResult?
    var collecting: Task<CollectResult, Never>?
    var notices: [String: PreviewControls.Notice] = [:]
    var lastAddress = ""
    /// The texts in the newsletter's language, as of the config last read.
    var text = OperatorText(.sv)

    /// A session with a fresh token.
    public init(options: Options, logger: Logger) {
        self.options = options
        self.token = SessionToken()
        self.logger = logger
    }

    /// The answer to `GET path`: the index, a subscriber's page, or one of their `.digest.html`, `.txt`, `.eml`.
    public func get(path: String) async -> PreviewReply {
        let name = path.hasPrefix("/") ? String(path.dropFirst()) : path
        do {
            if name.isEmpty || name == "index.html" {
                let site = try await site(only: nil)
                return .html(site.indexHTML(controls: controls(for: "")))
            }
            for (suffix, kind) in [(".digest.html", 1), (".html", 2), (".txt", 3), (".eml", 4)]
            where name.hasSuffix(suffix) {
                let slug = String(name.dropLast(suffix.count))
                guard let site = try await site(slug: slug), let entry = site.entry(slug: slug) else { break }
                switch kind {
                case 1:
                    return PreviewReply(
                        status: 200, contentType: "text/html; charset=utf-8",
                        body: Array(entry.digest.rendered.html.utf8),
                        contentSecurityPolicy: "sandbox; frame-ancestors 'self'")
                case 2: return .html(site.pageHTML(for: entry, controls: controls(for: slug)))
                case 3:
                    return PreviewReply(
                        status: 200, contentType: "text/plain; charset=utf-8",
                        body: Array(entry.digest.rendered.text.utf8))
                default:
                    return PreviewReply(status: 200, contentType: "message/rfc822", body: entry.digest.message.bytes)
                }
            }
            return .problem(404, text.noPage(name))
        } catch let error as DiagnosticList {
            return .html(errorPage(error.diagnostics.map(\.description)), status: 500)
        } catch {
            return .html(errorPage(["\(error)"]), status: 500)
        }
    }

    /// `POST /refetch`: fetches every source again, then back to the index.
    public func refetch(form: FormBody) async -> PreviewReply {
        guard token.matches(form["token"]) else { return forbidden }
        collected = nil
        do {
            let workspace = try await loadWorkspace()
            let result = await items(run(workspace))
            let failed = result.reports.filter { $0.failure != nil }.count
            notices[""] = PreviewControls.Notice(
                text: text.refetched(items: result.items.count, failedSources: failed), isError: failed > 0)
        } catch {
            notices[""] = PreviewControls.Notice(text: text.cannotReadConfig("\(error)"), isError: true)
        }
        return .seeOther("/")
    }

    /// `POST /send/<slug>`: sends that subscriber's digest to the address in the form's `to`, through the
    /// configured transport and outside the ledger, then back to the page with the outcome.
    public func sendTest(slug: String, form: FormBody) async -> PreviewReply {
        guard token.matches(form["token"]) else { return forbidden }
        let page = "/\(slug).html"
        let raw = form["to"] ?? ""
        if let found = OperatorText.controlCharacter(in: raw.trimmingCharacters(in: .whitespaces)) {
            // Refused before anything else: a CR or LF would start a new log line or header.
            lastAddress = String(raw.unicodeScalars.filter { OperatorText.controlCharacter(in: String($0)) == nil })
            notices[slug] = PreviewControls.Notice(text: text.addressHasControlCharacter(found), isError: true)
            return .seeOther(page)
        }
        let typed = raw.trimmingCharacters(in: .whitespaces)
        lastAddress = typed
        let address: MailAddress
        do {
            address = try MailAddress(parsing: typed)
        } catch {
            notices[slug] = PreviewControls.Notice(text: text.unusableAddress("\(error)"), isError: true)
            return .seeOther(page)
        }
        do {
            let workspace = try await loadWorkspace()
            guard let subscriber = workspace.subscribers.first(where: { $0.slug == slug }) else {
                return .problem(404, text.noSubscriberPage(slug))
            }
            let run = run(workspace)
            let builder = try run.builder(now: now, issueID: options.issueID, editorNote: options.editorNote)
            let result = await items(run)
            let state = try openState(workspace)
            let sent = try state?.sentRecords(subscriber: subscriber.email, before: builder.issue.id) ?? [:]
            let digest = try builder.build(for: subscriber, items: result.items, sent: sent, to: address.address)
            let transport = try TransportFactory.make(for: workspace.config, environment: options.environment)
            let outcome = await transport.deliver(digest.message)
            await transport.close()
            switch outcome {
            case .delivered:
                logger.info(
                    "Test digest sent",
                    metadata: ["subscriber.ref": "\(subscriber.logReference)", "test.to": "\(address.address)"])
                notices[slug] = PreviewControls.Notice(
                    text: text.testSent(to: address.address, messageID: digest.message.messageID), isError: false)
            case .failed(_, let why):
                notices[slug] = PreviewControls.Notice(text: text.testNotSent(why), isError: true)
            case .transportFailed(let failure):
                notices[slug] = PreviewControls.Notice(text: text.testNotSent(failure.description), isError: true)
            }
        } catch let error as DiagnosticList {
            let lines = error.diagnostics.map(\.description).joined(separator: "; ")
            notices[slug] = PreviewControls.Notice(text: text.testNotBuilt(lines), isError: true)
        } catch {
            notices[slug] = PreviewControls.Notice(text: text.testNotSent("\(error)"), isError: true)
        }
        return .seeOther(page)
    }

    var now: Date { options.now ?? Date() }

    var forbidden: PreviewReply {
        .problem(403, text.missingSessionToken)
    }

    /// Reads the config, subscribers and templates again, and takes the newsletter's language for the texts.
    func loadWorkspace() async throws -> Workspace {
        let workspace = try await Workspace.load(configFile: options.configFile)
        text = OperatorText(workspace.config.newsletter.language)
        return workspace
    }

    func run(_ workspace: Workspace) -> PreviewRun {
        PreviewRun(workspace: workspace, logger: logger, environment: options.environment)
    }

    /// The cached sources, fetched on first use (one fetch even when requests overlap).
    func items(_ run: PreviewRun) async -> CollectResult {
        if let collected { return collected }
        if let collecting { return await collecting.value }
        let moment = now
        let task = Task { await run.collect(at: moment) }
        collecting = task
        let result = await task.value
        collected = result
        collecting = nil
        return result
    }

    func openState(_ workspace: Workspace) throws -> StateStore? {
        let file = workspace.config.stateFile
        return FileManager.default.fileExists(atPath: file.path) ? try StateStore.open(at: file) : nil
    }

    /// The whole site, or only `only`'s digest.
    func site(only: String?) async throws -> PreviewSite {
        let workspace = try await loadWorkspace()
        let run = run(workspace)
        return try run.site(
            now: now, issueID: options.issueID, only: only, collected: await items(run),
            state: try openState(workspace), editorNote: options.editorNote)
    }

    /// The site of the subscriber whose slug is `slug`, or nil if there is none.
    func site(slug: String) async throws -> PreviewSite? {
        let workspace = try await loadWorkspace()
        guard let subscriber = workspace.subscribers.first(where: { $0.slug == slug }) else { return nil }
        let run = run(workspace)
        return try run.site(
            now: now, issueID: options.issueID, only: subscriber.email, collected: await items(run),
            state: try openState(workspace), editorNote: options.editorNote)
    }

    func controls(for key: String) -> PreviewControls {
        PreviewControls(token: token.value, address: lastAddress, notice: notices.removeValue(forKey: key))
    }

    func errorPage(_ lines: [String]) -> String {
        let items = lines.map { "<li>\(HTMLEscaping.escape($0))</li>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="\(text.language.rawValue)"><head><meta charset="utf-8"><title>\(text.previewUnavailable)</title>
            <link rel="icon" href="data:,"></head>
            <body><h1>\(text.previewUnavailable)</h1>
            <p>\(text.fixAndReload)</p>
            <ul>
            \(items)
            </ul></body></html>

            """
    }
}
