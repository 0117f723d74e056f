import Dispatch
import Foundation

/// Work spread over the machine's cores.
///
/// The functions are inlinable, so they are specialised for each caller's types: unspecialised generic code would
/// copy every element through its value witnesses (for a large struct, a retain of each of its fields).
///
/// Each index is worked on by exactly one worker, and a result is written straight to its place in the array
/// returned (or the element changed in place), so no result is copied after it is made.
public enum Parallel {
    /// `transform` applied to every index in `0..<count`, the results in index order, computed by one worker per
    /// core (fewer when there are not `minimumPerWorker` indices for each), each with its own `State` from
    /// `makeState` (for what may not be shared across threads, such as a decoder). With one worker it runs on the
    /// calling thread. The indices are dealt out in turn, so workers finish together however the costs are spread.
    @inlinable public static func map<State, Result: Sendable>(
        count: Int, minimumPerWorker: Int = 64, state makeState: @Sendable () -> State,
        transform: @Sendable (inout State, Int) -> Result
    ) -> [Result] {
        let workers = workers(for: count, minimumPerWorker: minimumPerWorker)
        if workers == 1 {
            var state = makeState()
            return (0..<count).map { transform(&state, $0) }
        }
        return [Result](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var state = makeState()
                for index in stride(from: worker, to: count, by: workers) {
                    (slots.base! + index).initialize(to: transform(&state, index))
                }
            }
            initialized = count
        }
    }

    /// `transform` applied to every element of `elements`, in order, as `map(count:minimumPerWorker:state:transform:)`
    /// computes it, for work that needs no state of its own.
    @inlinable public static func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], minimumPerWorker: Int = 64, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        map(elements, minimumPerWorker: minimumPerWorker, state: {}, transform: { _, element in transform(element) })
    }

    /// `transform` applied to every element of `elements`, in order, as `map(count:minimumPerWorker:state:transform:)`
    /// computes it, each worker with its own `State`. Each element is lent to `transform`, never copied.
    @inlinable public static func map<Element: Sendable, State, Result: Sendable>(
        _ elements: [Element], minimumPerWorker: Int = 64, state makeState: @Sendable () -> State,
        transform: @Sendable (inout State, Element) -> Result
    ) -> [Result] {
        // Read through the buffer, which lends each element: the array's subscript would copy it (a retain of each
        // of a large struct's fields).
        elements.withUnsafeBufferPointer { buffer in
            let slots = Slots(base: UnsafeMutablePointer(mutating: buffer.baseAddress))
            return map(
                count: buffer.count, minimumPerWorker: minimumPerWorker, state: makeState,
                transform: { state, index in transform(&state, slots.base![index]) })
        }
    }

    /// `body` applied to every element of `elements` in place, spread over the cores as
    /// `map(count:minimumPerWorker:state:transform:)` spreads its work, each worker with its own `State`.
    @inlinable public static func update<Element: Sendable, State>(
        _ elements: inout [Element], minimumPerWorker: Int = 64, state makeState: @Sendable () -> State,
        body: @Sendable (inout State, inout Element) -> Void
    ) {
        let count = elements.count
        let workers = workers(for: count, minimumPerWorker: minimumPerWorker)
        elements.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(base: buffer.baseAddress)
            if workers == 1 {
                var state = makeState()
                for index in 0..<count { body(&state, &slots.base![index]) }
                return
            }
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var state = makeState()
                for index in stride(from: worker, to: count, by: workers) { body(&state, &slots.base![index]) }
            }
        }
    }

    /// The start of a buffer the workers write to, each only at the indices dealt to it, so no two threads ever
    /// touch one slot; the buffer outlives them (`concurrentPerform` returns when every worker has).
    @usableFromInline struct Slots<Element>: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<Element>?

        @inlinable init(base: UnsafeMutablePointer<Element>?) { self.base = base }
    }

    /// How many workers share `count` indices: one per core, each with at least `minimumPerWorker` of them.
    @usableFromInline static func workers(for count: Int, minimumPerWorker: Int) -> Int {
        min(max(1, ProcessInfo.processInfo.activeProcessorCount), max(1, count / max(1, minimumPerWorker)))
    }
}
