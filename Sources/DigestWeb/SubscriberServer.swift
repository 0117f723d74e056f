import DigestKit
import Foundation
import Hummingbird
import Logging

/// `digest serve`: the public endpoint for readers, meant to run behind a reverse proxy — one-click unsubscribe
/// (RFC 8058), the confirmation page, and the preferences form.
///
/// Subscribers, templates and config are read afresh for every request, so edits and unsubscribes made elsewhere
/// are seen at once; every client is rate-limited.
public struct SubscriberServer: Sendable {
    /// Builds the service for one request (reading the current subscriber files).
    public typealias ServiceFactory = @Sendable () async throws -> SubscriberService

    let makeService: ServiceFactory
    let limiter: RequestRateLimiter
    /// The address listened on.
    public let host: String
    /// The TCP port.
    public let port: Int
    let logger: Logger

    /// A server on `host`:`port`; `makeService` is called for every request.
    public init(
        host: String = "127.0.0.1",
        port: Int,
        limiter: RequestRateLimiter = RequestRateLimiter(),
        logger: Logger,
        makeService: @escaping ServiceFactory
    ) {
        self.host = host
        self.port = port
        self.limiter = limiter
        self.logger = logger
        self.makeService = makeService
    }

    /// Serves until the process is asked to stop (SIGINT or SIGTERM); `onReady` runs once it listens.
    public func run(onReady: @escaping @Sendable () async -> Void = {}) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "digest"),
            onServerRunning: { _ in await onReady() },
            logger: logger
        )
        try await app.runService()
    }

    /// The routes: `GET|POST /unsubscribe/<token>`, `GET|POST /preferences/<token>`.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: PageHeaders())
        let server = self
        router.get("/unsubscribe/:token") { request, context in
            try await server.answer(request) { service in
                service.unsubscribePage(token: try context.parameters.require("token"))
            }
        }
        router.post("/unsubscribe/:token") { request, context in
            var request = request
            let form = try await Self.form(&request)
            return try await server.answer(request) { service in
                service.unsubscribe(token: try context.parameters.require("token"), form: form, at: Date())
            }
        }
        router.get("/preferences/:token") { request, context in
            try await server.answer(request) { service in
                service.preferencesPage(token: try context.parameters.require("token"))
            }
        }
        router.post("/preferences/:token") { request, context in
            var request = request
            let form = try await Self.form(&request)
            return try await server.answer(request) { service in
                service.savePreferences(token: try context.parameters.require("token"), form: form, at: Date())
            }
        }
        return router
    }

    private func answer(_ request: Request, _ handle: (SubscriberService) throws -> PageResponse) async throws
        -> Response
    {
        let service = try await makeService()
        guard limiter.allow(Self.client(request)) else { return Self.response(service.tooManyRequests()) }
        return Self.response(try handle(service))
    }

    /// The client a request counts against: the first `X-Forwarded-For` address set by the reverse proxy.
    static func client(_ request: Request) -> String {
        let forwarded = request.headers.first { $0.name.canonicalName == "x-forwarded-for" }?.value
        let first = forwarded?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        return first ?? "direct"
    }

    static func form(_ request: inout Request) async throws -> FormBody {
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return FormBody(String(buffer: buffer))
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
