import DigestKit
import Dispatch
import Foundation

/// SIGTERM and SIGINT during `digest send`: the first one asks the run to stop (the deliveries in flight finish and
/// are recorded, the summary is printed, the exit status is 75); a second one ends the process at once, as the
/// signal would have (a row left `sending` is resent, with the same Message-ID, by the next run).
final class StopSignals {
    /// What the send loop checks.
    let cancellation = SendCancellation()
    /// The dispatch sources; kept alive as long as the handling should last.
    private let sources: [any DispatchSourceSignal]

    /// Starts handling `signals`: each is ignored by the process (`SIG_IGN`) and delivered to a dispatch source.
    init(_ signals: [Int32] = [SIGTERM, SIGINT]) {
        let cancellation = cancellation
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if cancellation.isCancelled {
                    // The second request: give up on a clean stop, die as the signal would have. libdispatch
                    // blocks the signal to read it itself, so it is unblocked on this thread before it is raised;
                    // should it still not end the process, exit as a shell reports a signal (128 + N).
                    signal(number, SIG_DFL)
                    var set = sigset_t()
                    sigemptyset(&set)
                    sigaddset(&set, number)
                    pthread_sigmask(SIG_UNBLOCK, &set, nil)
                    raise(number)
                    _exit(128 + number)
                }
                cancellation.cancel(signal: number)
                FileHandle.standardError.write(
                    Data(
                        "digest send: \(Self.name(number)) received; finishing the deliveries in flight (again to stop at once)\n"
                            .utf8))
            }
            source.resume()
            return source
        }
    }

    /// `SIGTERM`, `SIGINT`, or `signal N`.
    static func name(_ number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(number)"
        }
    }
}
