import DigestSupport
import Testing

@Suite("Bounded cache")
struct BoundedCacheTests {
    @Test("A value is made once per key and kept")
    func madeOnce() {
        let cache = BoundedCache<String, Int>(capacity: 4)
        var made = 0
        for _ in 0..<3 {
            #expect(
                cache.value(for: "a") {
                    made += 1
                    return 1
                } == 1)
        }
        #expect(made == 1)
        #expect(cache.cached("a") == 1 && cache.cached("b") == nil)
    }

    @Test("A replaced value is the one kept")
    func replaced() {
        let cache = BoundedCache<String, Int>(capacity: 2)
        _ = cache.value(for: "a") { 1 }
        cache.replace("a", with: 2)
        #expect(cache.value(for: "a") { 3 } == 2 && cache.count == 1)
    }

    @Test("Past its capacity the cache starts afresh, so it never holds more")
    func bounded() {
        let cache = BoundedCache<Int, Int>(capacity: 3)
        for key in 0..<3 { _ = cache.value(for: key) { key } }
        #expect(cache.count == 3)
        _ = cache.value(for: 0) { -1 }  // a kept key does not count twice
        #expect(cache.count == 3 && cache.cached(0) == 0)
        _ = cache.value(for: 3) { 3 }
        #expect(cache.count == 1 && cache.cached(3) == 3 && cache.cached(0) == nil)
    }

    @Test("Threads sharing one cache all get the one value of each key")
    func concurrent() async {
        let cache = BoundedCache<Int, String>(capacity: 1_000)
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).map { key in cache.value(for: key) { "v\(key)" } } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == (0..<500).map { "v\($0)" } })
        #expect(cache.count == 500)
    }
}
