import Foundation

/// Runs blocking work (a `curl_easy_perform`) on a new thread of its own and suspends the caller until it is done,
/// so the cooperative pool's few threads stay free.
func runOnDedicatedThread<Result: Sendable>(
    name: String,
    _ work: @escaping @Sendable () -> Result
) async -> Result {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: work())
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }
}
