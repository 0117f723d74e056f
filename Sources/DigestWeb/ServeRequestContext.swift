import Hummingbird
import NIOCore

/// The request context of `digest serve`: Hummingbird's core storage plus the socket's peer, the one address of a
/// request the client cannot choose.
struct ServeRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connected peer (the reverse proxy when there is one).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
