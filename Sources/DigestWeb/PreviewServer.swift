import DigestKit
import Foundation
import Hummingbird
import Logging

/// `digest preview --serve`: the preview pages over HTTP on a loopback address, with the "refetch" and "send me a
/// test" forms.
public struct PreviewServer: Sendable {
    /// The session behind every page.
    public let service: PreviewService
    /// The address listened on (`127.0.0.1` unless told otherwise).
    public let host: String
    /// The TCP port.
    public let port: Int
    let logger: Logger

    /// A server for `service` on `host`:`port`.
    public init(service: PreviewService, host: String = "127.0.0.1", port: Int, logger: Logger) {
        self.service = service
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// The address editors open.
    public var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/" }

    /// Serves until the process is asked to stop (SIGINT or SIGTERM); `onReady` runs once it listens.
    public func run(onReady: @escaping @Sendable () async -> Void = {}) async throws {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "digest-preview"),
            onServerRunning: { _ in await onReady() },
            logger: logger
        )
        try await app.runService()
    }

    /// The routes: `GET /`, `GET /<file>`, `POST /refetch`, `POST /send/<slug>`.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let service = self.service
        let hosts = allowedHosts
        router.get("/") { request, _ in
            guard Self.hostAllowed(request, hosts) else { return Self.response(Self.misdirected) }
            return Self.response(await service.get(path: "/"))
        }
        router.get("/:file") { request, context in
            guard Self.hostAllowed(request, hosts) else { return Self.response(Self.misdirected) }
            return Self.response(await service.get(path: "/" + (try context.parameters.require("file"))))
        }
        router.post("/refetch") { request, _ in
            guard Self.hostAllowed(request, hosts) else { return Self.response(Self.misdirected) }
            var request = request
            let form = try await Self.form(&request)
            return Self.response(await service.refetch(form: form))
        }
        router.post("/send/:slug") { request, context in
            guard Self.hostAllowed(request, hosts) else { return Self.response(Self.misdirected) }
            var request = request
            let form = try await Self.form(&request)
            let slug = try context.parameters.require("slug")
            return Self.response(await service.sendTest(slug: slug, form: form))
        }
        return router
    }

    /// The `Host` values accepted: the bound address and `localhost`, with the port (against DNS rebinding).
    var allowedHosts: Set<String> {
        let bound = host.contains(":") ? "[\(host)]" : host
        return ["\(bound):\(port)", "localhost:\(port)"]
    }

    static let misdirected = PreviewReply.problem(
        421,
        "Fel värdnamn: öppna förhandsvisningen på adressen den skrev ut. / "
            + "Wrong host name: open the preview at the address it printed.")

    static func hostAllowed(_ request: Request, _ hosts: Set<String>) -> Bool {
        guard let authority = request.head.authority else { return false }
        return hosts.contains(authority.lowercased())
    }

    static func form(_ request: inout Request) async throws -> FormBody {
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return FormBody(String(buffer: buffer))
    }

    static func response(_ reply: PreviewReply) -> Response {
        var headers: HTTPFields = [
            .contentType: reply.contentType,
            .cacheControl: "no-store",
            .contentSecurityPolicy: reply.contentSecurityPolicy,
        ]
        if let location = reply.location { headers[.location] = location }
        return Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body))
        )
    }
}
