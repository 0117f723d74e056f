import DigestSupport
import Testing

@Suite("String(scalars:)")
struct StringScalarsTests {
    @Test(arguments: ["", "mkr", "Sista ansökningsdag", "€ 5 000 – 10 000", "𝄞 och 日本", "a\u{301}"])
    func makesTheStringOfItsScalars(text: String) {
        let scalars = Array(text.unicodeScalars)
        #expect(String(scalars: scalars) == text)
        #expect(String(scalars: scalars[...]).unicodeScalars.elementsEqual(text.unicodeScalars))
        if scalars.count > 1 {
            #expect(String(scalars: scalars.dropFirst()) == String(String.UnicodeScalarView(scalars.dropFirst())))
        }
    }
}
