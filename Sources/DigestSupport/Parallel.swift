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
    /// computes it, each worker with its own `State`. The elements are read through the array's buffer, but the
    /// call of a closure copies its argument (a retain of each of a large struct's fields, even when the parameter
    /// is `borrowing`): for large elements and light work, ``map(runsOf:length:state:transform:)`` reads them where
    /// they are.
    @inlinable public static func map<Element: Sendable, State, Result: Sendable>(
        _ elements: [Element], minimumPerWorker: Int = 64, state makeState: @Sendable () -> State,
        transform: @Sendable (inout State, Element) -> Result
    ) -> [Result] {
        // Read through the buffer: the array's subscript copies each element once more.
        elements.withUnsafeBufferPointer { buffer in
            let slots = Slots(base: UnsafeMutablePointer(mutating: buffer.baseAddress))
            return map(
                count: buffer.count, minimumPerWorker: minimumPerWorker, state: makeState,
                transform: { state, index in transform(&state, slots.base![index]) })
        }
    }

    /// `transform` applied to consecutive runs of `elements` (each `length` long, the last one shorter), the results
    /// in order, the runs dealt out to one worker per core as `map(count:minimumPerWorker:state:transform:)` deals
    /// indices, each worker with its own `State`: for work whose result is one value per run, such as the bytes of
    /// many lines. `transform` is lent each run's elements where they are: a field read through the pointer
    /// (`run.base[offset].title`) copies that field only, and a function given `run.base + offset` reads a large
    /// element without copying it (given the element itself, by value or `borrowing`, it gets a copy of the whole).
    @inlinable public static func map<Element: Sendable, State, Result: Sendable>(
        runsOf elements: [Element], length: Int, state makeState: @Sendable () -> State,
        transform: @Sendable (inout State, Run<Element>) -> Result
    ) -> [Result] {
        let length = max(1, length)
        let runs = (elements.count + length - 1) / length
        return elements.withUnsafeBufferPointer { buffer in
            let slots = Slots(base: UnsafeMutablePointer(mutating: buffer.baseAddress))
            let count = buffer.count
            return map(
                count: runs, minimumPerWorker: 1, state: makeState,
                transform: { state, run in
                    let start = run * length
                    let run = Run(base: slots.base! + start, start: start, count: min(length, count - start))
                    return transform(&state, run)
                })
        }
    }

    /// Consecutive elements of an array, lent to a worker: `base[0..<count]` are the array's elements at
    /// `start..<start + count`, valid only during the call they are lent to.
    public struct Run<Element> {
        /// The first element; `base + offset` points at the element at `offset`.
        public let base: UnsafePointer<Element>
        /// The position of `base[0]` in the array.
        public let start: Int
        /// How many elements the run holds.
        public let count: Int

        @inlinable init(base: UnsafeMutablePointer<Element>, start: Int, count: Int) {
            self.base = UnsafePointer(base)
            self.start = start
            self.count = count
        }

        /// `0..<count`.
        @inlinable public var offsets: Range<Int> { 0..<count }
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
