import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request comes too slowly: its line and headers must have arrived `header` after its
/// first byte, its body `body` after its headers. (Hummingbird's idle timeout closes a connection that sends
/// nothing; a drip of one byte a second keeps that one waiting, this one not.)
///
/// It sits after the HTTP decoder and hears of raw bytes from ``RequestBytesArrived``, which
/// ``RequestBytesSignal`` sends from the front of the pipeline.
final class RequestDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    enum Phase {
        case waiting, head, body, answering
    }

    let header: TimeAmount
    let body: TimeAmount
    private var phase = Phase.waiting
    private var deadline: Scheduled<Void>?

    init(header: TimeAmount, body: TimeAmount) {
        self.header = header
        self.body = body
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestBytesArrived {
            if phase == .waiting {
                phase = .head
                arm(context, in: header)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            phase = .body
            arm(context, in: body)
        case .body:
            break
        case .end:
            phase = .answering
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), phase == .answering { phase = .waiting }
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    private func arm(_ context: ChannelHandlerContext, in time: TimeAmount) {
        disarm()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: time) { channel.close(promise: nil) }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

/// Told down the pipeline whenever bytes arrive, before the HTTP decoder has made anything of them.
struct RequestBytesArrived: Sendable {}

/// The first handler of a `digest serve` connection: passes every read on, announcing it with ``RequestBytesArrived``.
final class RequestBytesSignal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(RequestBytesArrived())
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestDeadlines: Sendable {}

@available(*, unavailable)
extension RequestBytesSignal: Sendable {}
