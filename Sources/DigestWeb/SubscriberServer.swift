import DigestKit
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// `digest serve`: the public endpoint for readers, meant to run behind a reverse proxy — one-click unsubscribe
/// (RFC 8058), the confirmation page, the preferences form, and the signup form with its confirmation link.
///
/// The service comes from `service` (``ServedWorkspace``: read once, again only when a file changed). Each client
/// (``ClientIdentity``: the socket's peer, or behind a trusted proxy the right-most untrusted hop) is limited twice,
/// before any work: `failures` counts its wrong tokens and unknown paths and is strict, `requests` counts everything
/// and is generous. A one-click unsubscribe with a valid token is never refused for its client: mailbox providers
/// send them for many readers from few addresses; it counts against the reader instead. Slow or idle connections are
/// closed and their number is capped (`serve` in the config). Every answer is a page, errors too.
public struct SubscriberServer: Sendable {
    /// The current subscriber service.
    public typealias ServiceSource = @Sendable () async throws -> SubscriberService

    let service: ServiceSource
    let failures: RequestRateLimiter
    let requests: RequestRateLimiter
    let settings: ServeConfig
    /// The address listened on.
    public let host: String
    /// The TCP port.
    public let port: Int
    let logger: Logger
    /// Sends the signup mails and welcome messages; nil: none are sent.
    let mailer: SignupMailer?
    /// The time requests are answered at (tokens issued and expired, consent recorded, welcomes built).
    let clock: @Sendable () -> Date

    /// A server on `host`:`port` answering from `service`, with the limits and timeouts given.
    public init(
        host: String = "127.0.0.1",
        port: Int,
        failures: RequestRateLimiter = RequestRateLimiter(limit: 30, window: 60),
        requests: RequestRateLimiter = RequestRateLimiter(limit: 300, window: 60),
        settings: ServeConfig = ServeConfig(),
        logger: Logger,
        mailer: SignupMailer? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        service: @escaping ServiceSource
    ) {
        self.mailer = mailer
        self.clock = clock
        self.host = host
        self.port = port
        self.failures = failures
        self.requests = requests
        self.settings = settings
        self.logger = logger
        self.service = service
    }

    /// Serves until the process is asked to stop (SIGINT or SIGTERM); `onReady` runs once it listens.
    public func run(onReady: @escaping @Sendable () async -> Void = {}) async throws {
        let settings = self.settings
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                RequestDeadlines(
                    header: .seconds(Int64(settings.headerTimeoutSeconds)),
                    body: .seconds(Int64(settings.bodyTimeoutSeconds)))
            ],
            idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds))
        )
        let app = Application(
            router: router(),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(inner: HTTP1Channel(responder: responder, configuration: http))
            },
            configuration: .init(
                address: .hostname(host, port: port),
                serverName: "digest",
                availableConnectionsDelegate: MaximumAvailableConnections(settings.maxConnections, logger: logger)
            ),
            onServerRunning: { _ in await onReady() },
            logger: logger
        )
        try await app.runService()
    }

    /// The routes: `GET|POST /unsubscribe/<token>`, `GET|POST /preferences/<token>`, `GET|POST /subscribe`,
    /// `GET /preferences/<token>/data`, `GET|POST /preferences/<token>/forget`, `GET|POST /confirm/<token>`,
    /// `GET /event/<id>.ics`, `GET /archive/<file>`.
    func router() -> Router<ServeRequestContext> {
        let router = Router(context: ServeRequestContext.self)
        router.add(middleware: PageHeaders(pages: self))
        let server = self
        router.get("/unsubscribe/:token") { request, context in
            let token = try context.parameters.require("token")
            return try await server.answer(request, context, token: token) { service, _ in
                service.unsubscribePage(token: token)
            }
        }
        router.post("/unsubscribe/:token") { request, context in
            let token = try context.parameters.require("token")
            return try await server.answer(request, context, token: token, oneClick: true) { service, form in
                service.unsubscribe(token: token, form: try await form(), at: server.clock())
            }
        }
        router.get("/preferences/:token") { request, context in
            let token = try context.parameters.require("token")
            return try await server.answer(request, context, token: token) { service, _ in
                service.preferencesPage(token: token)
            }
        }
        router.post("/preferences/:token") { request, context in
            let token = try context.parameters.require("token")
            return try await server.answer(request, context, token: token) { service, form in
                service.savePreferences(token: token, form: try await form(), at: server.clock())
            }
        }
        router.get("/preferences/:token/data") { request, context in
            let token = try context.parameters.require("token")
            return try await server.answer(request, context, token: token) { service, _ in
                service.personalDataDownload(token: token)
            }
        }
        router.get("/preferences/:token/forget") { request, context in
            let token = try context.parameters.require("token")
            return try await server.answer(request, context, token: token) { service, _ in
                service.forgetPage(token: token)
            }
        }
        router.post("/preferences/:token/forget") { request, context in
            let token = try context.parameters.require("token")
            return try await server.answer(request, context, token: token) { service, _ in
                service.forget(token: token, at: server.clock())
            }
        }
        router.get("/subscribe") { request, context in
            try await server.signup(request, context) { service, _, _ in
                SignupAnswer(page: service.signupPage(language: Self.language(request)))
            }
        }
        router.post("/subscribe") { request, context in
            try await server.signup(request, context) { service, client, form in
                service.signup(
                    form: try await form(), language: Self.language(request), client: client, at: server.clock())
            }
        }
        router.get("/confirm/:token") { request, context in
            let token = try context.parameters.require("token")
            return try await server.signup(request, context) { service, _, _ in
                SignupAnswer(page: service.confirmPage(token: token, at: server.clock()))
            }
        }
        router.post("/confirm/:token") { request, context in
            let token = try context.parameters.require("token")
            return try await server.signup(request, context) { service, client, _ in
                service.confirm(token: token, client: client, at: server.clock())
            }
        }
        router.get("/event/:file") { request, context in
            try await server.calendar(request, context, file: try context.parameters.require("file"))
        }
        router.get("/archive") { request, context in
            try await server.archive(request, context, file: "")
        }
        router.get("/archive/:file") { request, context in
            try await server.archive(request, context, file: try context.parameters.require("file"))
        }
        return router
    }

    /// `GET /event/<id>.ics`, limited like the pages: an unknown event counts as a failure of its client.
    private func calendar(_ request: Request, _ context: ServeRequestContext, file: String) async throws -> Response {
        let client = self.client(request, context)
        guard !failures.isLimited(client), requests.allow(client) else { return await tooMany() }
        let service: SubscriberService
        do {
            service = try await self.service()
        } catch {
            return Self.response(ServePages.problem(503))
        }
        do {
            guard let page = try service.eventCalendar(file: file) else {
                _ = failures.allow(client)
                return Self.response(service.notFound())
            }
            return Self.response(page)
        } catch {
            logger.error("An event's calendar could not be read", metadata: ["serve.error": "\(Self.printable(error))"])
            return Self.response(service.problemPage(503))
        }
    }

    /// `GET /archive/<file>`: the public archive's folder (``ArchiveFiles``), limited like the pages; a file that is
    /// not there counts as a failure of its client.
    private func archive(_ request: Request, _ context: ServeRequestContext, file: String) async throws -> Response {
        let client = self.client(request, context)
        guard !failures.isLimited(client), requests.allow(client) else { return await tooMany() }
        let service: SubscriberService
        do {
            service = try await self.service()
        } catch {
            return Self.response(ServePages.problem(503))
        }
        guard let page = service.archiveFile(file) else {
            _ = failures.allow(client)
            return Self.response(service.notFound())
        }
        return Self.response(page)
    }

    /// Reads the request's form body (at most 64 KiB) when called.
    typealias FormReader = () async throws -> FormBody

    /// Limits, then answers: a client over either limit gets 429 before the service is even asked, except a POST
    /// to `/unsubscribe/` whose token is valid, which is limited per reader only.
    private func answer(
        _ request: Request, _ context: ServeRequestContext, token: String, oneClick: Bool = false,
        _ handle: (SubscriberService, FormReader) async throws -> PageResponse
    ) async throws -> Response {
        let client = self.client(request, context)
        let blocked = failures.isLimited(client) || requests.isLimited(client)
        if blocked && !oneClick { return await tooMany() }
        let service: SubscriberService
        do {
            service = try await self.service()
        } catch {
            logger.error(
                "The subscriber service is not available", metadata: ["serve.error": "\(Self.printable(error))"])
            return Self.response(ServePages.problem(503))
        }
        let known = service.knows(token: token)
        if oneClick && known {
            // Counted against the reader, so one reader cannot be made to write their file endlessly.
            guard requests.allow("reader " + token) else { return Self.response(service.tooManyRequests()) }
        } else {
            if blocked || !requests.allow(client) { return Self.response(service.tooManyRequests()) }
            if !known {
                _ = failures.allow(client)
                return Self.response(service.notFound())
            }
        }
        var request = request
        let page = try await handle(service) { try await Self.form(&request) }
        return Self.response(page)
    }

    /// The signup routes, limited like the pages: a client over either limit gets 429 first, and a 404 (a forged or
    /// unknown confirmation link) counts as a failure of its client. The mail or welcome an answer asks for is sent
    /// after the page is answered, so the answer takes as long whether or not one is sent.
    private func signup(
        _ request: Request, _ context: ServeRequestContext,
        _ handle: (SubscriberService, String, FormReader) async throws -> SignupAnswer
    ) async throws -> Response {
        let client = self.client(request, context)
        guard !failures.isLimited(client), requests.allow(client) else { return await tooMany() }
        let service: SubscriberService
        do {
            service = try await self.service()
        } catch {
            logger.error(
                "The subscriber service is not available", metadata: ["serve.error": "\(Self.printable(error))"])
            return Self.response(ServePages.problem(503))
        }
        var request = request
        let answer = try await handle(service, client) { try await Self.form(&request) }
        if answer.page.status == 404 { _ = failures.allow(client) }
        if let mailer {
            if let mail = answer.mail { Task { await service.send(mail, through: mailer) } }
            if let subscriber = answer.welcome {
                Task { await service.welcome(subscriber, through: mailer, at: clock()) }
            }
        }
        return Self.response(answer.page)
    }

    /// The language a signup page asks for: English with `?lang=en`, else Swedish.
    static func language(_ request: Request) -> Language {
        request.uri.queryParameters.get("lang") == "en" ? .en : .sv
    }

    private func tooMany() async -> Response {
        guard let service = try? await service() else { return Self.response(ServePages.problem(429)) }
        return Self.response(service.tooManyRequests())
    }

    /// A 404 for a path no route has, counted as a failure of its client.
    func unknownPath(_ request: Request, _ context: ServeRequestContext) async -> Response {
        let client = self.client(request, context)
        guard !failures.isLimited(client), requests.allow(client) else { return await tooMany() }
        _ = failures.allow(client)
        guard let service = try? await service() else { return Self.response(ServePages.problem(404)) }
        return Self.response(service.notFound())
    }

    /// The page for an error that escaped a handler (a body too large, a failure of the server's own).
    func problem(_ status: Int) async -> Response {
        guard let service = try? await service() else { return Self.response(ServePages.problem(status)) }
        return Self.response(service.problemPage(status))
    }

    /// The client a request counts against (``ClientIdentity``).
    func client(_ request: Request, _ context: ServeRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
        let forwarded = request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value)
        return ClientIdentity.key(peer: peer, forwardedFor: forwarded, trustedProxies: settings.trustedProxies)
    }

    static func form(_ request: inout Request) async throws -> FormBody {
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return FormBody(String(buffer: buffer))
    }

    static func printable(_ error: any Error) -> String {
        String("\(error)".unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }

    static func response(_ page: PageResponse) -> Response {
        let headers: HTTPFields = [.contentType: page.contentType]  // and PageHeaders' on every answer
        return Response(
            status: HTTPResponse.Status(code: page.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(page.body.utf8)))
        )
    }
}
