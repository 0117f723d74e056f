import Dispatch
import Foundation
import Synchronization

/// A map whose input arrives in batches from a producer that is still making the rest (a parser handing out the
/// items it has read), so that mapping overlaps making: background workers map each batch submitted, and `finish`
/// maps what is left with the calling thread's help and returns every result in input order.
///
/// Workers are Dispatch threads, one fewer than the cores (the producer keeps one busy), at least one; a worker
/// exists only while batches wait, so a producer that submits nothing costs nothing. Submit from one thread, then
/// call `finish` once, on that thread.
public final class OverlappedMap<Element: Sendable, Result: Sendable>: Sendable {
    private struct Queue {
        /// Batches waiting, with the position of each one's first element in the whole input.
        var waiting: [(start: Int, elements: [Element])] = []
        var next = 0
        /// Mapped batches by the position of their first element, each in memory of its own that `finish` moves
        /// the results out of (so no result is copied, which for a struct of strings is a retain of each).
        var done: [(start: Int, results: Results)] = []
        /// How many elements have been submitted.
        var submitted = 0
        var workers = 0
    }

    /// One batch's results, in memory allocated for them.
    private struct Results: @unchecked Sendable {
        // Unchecked: the memory is written by one worker, handed over under the queue's lock, and read once.
        let buffer: UnsafeMutableBufferPointer<Result>
    }

    private let transform: @Sendable (Element) -> Result
    private let queue = Mutex(Queue())
    private let group = DispatchGroup()
    private let maximumWorkers: Int

    /// A map applying `transform`, with up to `workers` background workers (by default one fewer than the cores).
    public init(workers: Int? = nil, transform: @escaping @Sendable (Element) -> Result) {
        self.transform = transform
        maximumWorkers = max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount - 1)
    }

    /// Hands a batch of consecutive input elements (following the ones submitted before) to the workers.
    public func submit(_ batch: [Element]) {
        guard !batch.isEmpty else { return }
        let startsWorker = queue.withLock { queue in
            queue.waiting.append((queue.submitted, batch))
            queue.submitted += batch.count
            guard queue.workers < maximumWorkers else { return false }
            queue.workers += 1
            return true
        }
        if startsWorker {
            group.enter()
            DispatchQueue.global().async { [self] in
                work()
                group.leave()
            }
        }
    }

    /// Maps `rest` (the input after everything submitted) together with whatever is still waiting, on the calling
    /// thread and the workers, waits for the workers, and returns the results of the whole input in order.
    public func finish(_ rest: [Element]) -> [Result] {
        while let batch = take() { store(batch.start, batch.elements) }
        let mappedTail = Parallel.map(rest, minimumPerWorker: 64, transform)
        group.wait()
        return queue.withLock { queue in
            let batches = queue.done.sorted { $0.start < $1.start }
            queue.done = []
            precondition(batches.map(\.results.buffer.count).reduce(0, +) == queue.submitted, "each batch mapped once")
            return [Result](unsafeUninitializedCapacity: queue.submitted + mappedTail.count) { buffer, initialized in
                for batch in batches {
                    _ = (buffer.baseAddress! + batch.start).moveInitialize(
                        from: batch.results.buffer.baseAddress!, count: batch.results.buffer.count)
                    batch.results.buffer.deallocate()
                }
                _ = buffer[queue.submitted...].initialize(fromContentsOf: mappedTail)
                initialized = queue.submitted + mappedTail.count
            }
        }
    }

    private func work() {
        while let batch = take(retiring: true) { store(batch.start, batch.elements) }
    }

    /// The next waiting batch; when there is none and `retiring`, the worker asking stops counting as one (under
    /// the same lock, so a batch submitted after it looked starts a new worker).
    private func take(retiring: Bool = false) -> (start: Int, elements: [Element])? {
        queue.withLock { queue in
            guard queue.next < queue.waiting.count else {
                if retiring { queue.workers -= 1 }
                return nil
            }
            let batch = queue.waiting[queue.next]
            queue.waiting[queue.next].elements = []
            queue.next += 1
            return batch
        }
    }

    /// Maps `elements` into memory of their own and files the results under `start`.
    private func store(_ start: Int, _ elements: [Element]) {
        let buffer = UnsafeMutableBufferPointer<Result>.allocate(capacity: elements.count)
        for (offset, element) in elements.enumerated() {
            (buffer.baseAddress! + offset).initialize(to: transform(element))
        }
        let results = Results(buffer: buffer)
        queue.withLock { $0.done.append((start, results)) }
    }
}
