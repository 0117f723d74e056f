import DigestSupport
import Foundation
import Testing

@Suite("Stable hashes and parallel maps")
struct StableHashTests {
    @Test("the hex digits are SHA-256's (FIPS 180-2's example), cut to the length asked for")
    func sha256() {
        let full = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(StableHash.hex("abc") == String(full.prefix(16)))
        #expect(StableHash.hex("abc", length: 64) == full)
        #expect(StableHash.hex("abc", length: 100) == full)
        #expect(StableHash.hex("abc", length: 7) == "ba7816b")
        #expect(StableHash.hex("", length: 8) == "e3b0c442")
        // Python's hashlib.sha256("åäö|ev".encode()), for text beyond ASCII, native and bridged.
        #expect(StableHash.hex("åäö|ev") == "623e0bd3a71d23ea")
        #expect(StableHash.hex(NSString(string: "åäö|ev") as String) == "623e0bd3a71d23ea")
    }

    @Test("a parallel map gives map's results in order, each worker with its own state")
    func parallelMap() {
        let values = Array(0..<10_000)
        #expect(Parallel.map(values) { $0 * 3 } == values.map { $0 * 3 })
        let counted = Parallel.map(
            count: 1_000, minimumPerWorker: 10, state: { 0 },
            transform: { seen, index in
                seen += 1
                return (index, seen)
            })
        #expect(counted.map(\.0) == Array(0..<1_000))
        // Each worker counts from 1 in its own state: as many firsts as workers, and the counts add up.
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, 100)
        #expect(counted.filter { $0.1 == 1 }.count == workers)
        #expect(counted.map(\.1).max() == (1_000 + workers - 1) / workers)
        #expect(Parallel.map([Int]()) { $0 }.isEmpty)
        var doubled = values
        Parallel.update(&doubled, state: {}, body: { _, value in value *= 2 })
        #expect(doubled == values.map { $0 * 2 })
    }

    @Test("a map over runs lends every element once, in order, each run knowing where it starts")
    func parallelRuns() {
        let values = (0..<1_003).map { "value \($0)" }
        for length in [1, 7, 256, 1_003, 5_000] {
            let runs = Parallel.map(
                runsOf: values, length: length, state: {},
                transform: { _, run in (start: run.start, texts: run.offsets.map { run.base[$0] }) })
            #expect(runs.count == (values.count + length - 1) / length)
            #expect(runs.map(\.start) == Array(stride(from: 0, to: values.count, by: length)))
            #expect(runs.flatMap(\.texts) == values)
        }
        #expect(Parallel.map(runsOf: [Int](), length: 8, state: {}, transform: { _, run in run.count }).isEmpty)
    }
}
