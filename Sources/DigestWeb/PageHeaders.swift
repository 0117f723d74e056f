import HTTPTypes
import Hummingbird

/// Adds to every answer of `digest serve` (pages, errors and unknown paths alike) the headers a page holding a
/// reader's address and token needs: no script, no framing, no referrer, not cached, not sniffed as another type.
struct PageHeaders<Context: RequestContext>: RouterMiddleware {
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
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for field in Self.fields { response.headers[field.name] = field.value }
        return response
    }
}
