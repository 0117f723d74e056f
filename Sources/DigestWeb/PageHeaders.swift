import HTTPTypes
import Hummingbird

/// Adds to every answer of `digest serve` (pages, errors and unknown paths alike) the headers a page holding a
/// reader's address and token needs: no script, no framing, no referrer, not cached, not sniffed as another type.
/// An unknown path gets the not-found page, and an error thrown on the way (a body too large, a failure of the
/// server's own) a short page of its status: never an empty body.
struct PageHeaders: RouterMiddleware {
    typealias Context = ServeRequestContext

    let pages: SubscriberServer

    /// The headers, in the order sent.
    static var fields: HTTPFields {
        [
            .contentSecurityPolicy:
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            .cacheControl: "no-store",
        ]
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            response = await pages.unknownPath(request, context)
        } catch let error as any HTTPResponseError {
            response = await pages.problem(error.status.code)
        } catch {
            context.logger.error(
                "A request failed", metadata: ["serve.error": "\(SubscriberServer.printable(error))"])
            response = await pages.problem(500)
        }
        for field in Self.fields { response.headers[field.name] = field.value }
        return response
    }
}
