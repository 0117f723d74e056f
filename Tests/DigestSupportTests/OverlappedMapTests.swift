import DigestSupport
import Synchronization
import Testing

@Suite("OverlappedMap")
struct OverlappedMapTests {
    @Test func resultsComeInInputOrderWhateverTheBatches() {
        let calls = Mutex([Int: Int]())
        let map = OverlappedMap<Int, String>(workers: 3) { value in
            calls.withLock { $0[value, default: 0] += 1 }
            return "#\(value)"
        }
        var next = 0
        for size in [1, 7, 64, 3, 200, 1, 50] {
            map.submit(Array(next..<next + size))
            next += size
        }
        let all = Array(0..<next + 90)
        let results = map.finish(Array(all[next...]))
        #expect(results == all.map { "#\($0)" })
        #expect(calls.withLock { $0 } == Dictionary(uniqueKeysWithValues: all.map { ($0, 1) }))
    }

    @Test func withNothingSubmittedTheRestIsMappedAlone() {
        let map = OverlappedMap<Int, Int>(workers: 1) { $0 * 2 }
        #expect(map.finish([1, 2, 3]) == [2, 4, 6])
    }

    @Test func anEmptyInputGivesNoResults() {
        let map = OverlappedMap<Int, Int> { $0 }
        map.submit([])
        #expect(map.finish([]) == [])
    }

    @Test func resultsHoldingReferencesAreMovedIntactAndFreedOnce() {
        final class Counter: Sendable {
            let count = Mutex(0)
        }
        final class Box: Sendable {
            let value: Int
            let freed: Counter
            init(_ value: Int, freed: Counter) {
                self.value = value
                self.freed = freed
            }
            deinit { freed.count.withLock { $0 += 1 } }
        }
        let freed = Counter()
        do {
            let map = OverlappedMap<Int, [Box]>(workers: 2) { [Box($0, freed: freed), Box(-$0, freed: freed)] }
            for start in stride(from: 0, to: 1000, by: 100) { map.submit(Array(start..<start + 100)) }
            let results = map.finish(Array(1000..<1010))
            #expect(results.map { boxes in boxes.map { $0.value } } == (0..<1010).map { [$0, -$0] })
            withExtendedLifetime(results) { #expect(freed.count.withLock { $0 } == 0) }
        }
        #expect(freed.count.withLock { $0 } == 2020)
    }
}
