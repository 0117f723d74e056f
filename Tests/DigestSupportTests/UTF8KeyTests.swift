import DigestSupport
import Testing

@Suite("A string keyed by its bytes")
struct UTF8KeyTests {
    @Test("equal bytes make equal keys with equal hashes; canonically equivalent texts in other bytes do not")
    func bytes() {
        let composed = "Företagsträff i Falun"
        let sameBytes = String(decoding: Array(composed.utf8), as: UTF8.self)
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(UTF8Key(composed) == UTF8Key(sameBytes))
        #expect(UTF8Key(composed).hashValue == UTF8Key(sameBytes).hashValue)
        #expect(composed == decomposed)  // as String compares
        #expect(UTF8Key(composed) != UTF8Key(decomposed))
        var cache: [UTF8Key: Int] = [UTF8Key(composed): 1]
        cache[UTF8Key(sameBytes), default: 0] += 1
        cache[UTF8Key(decomposed), default: 0] += 1
        #expect(cache == [UTF8Key(composed): 2, UTF8Key(decomposed): 1])
        #expect(UTF8Key(composed).text == composed)
    }
}
