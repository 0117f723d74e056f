import DigestSupport
import DigestTesting
import Foundation
import Testing

@Suite("Text files people write")
struct TextFileTests {
    func folder() throws -> URL {
        try TemporaryFolder.make("textfile-")
    }

    @Test("UTF-8 text is read whole, without its byte-order mark")
    func reads() throws {
        let file = try folder().appendingPathComponent("a.yaml")
        try Data([0xEF, 0xBB, 0xBF] + Array("email: å@example.se\n".utf8)).write(to: file)
        #expect(try TextFile.read(file, maximumBytes: 100) == "email: å@example.se\n")
    }

    @Test("the first byte that is not UTF-8 is located by line and by character column")
    func invalidUTF8() {
        #expect(throws: TextFileError.invalidUTF8(line: 2, column: 4, byte: 0xE9)) {
            try TextFile.decode(Array("å\nÅÄ ".utf8) + [0xE9, 0x0A])
        }
        #expect(throws: TextFileError.invalidUTF8(line: 1, column: 1, byte: 0xC3)) {
            try TextFile.decode([0xC3, 0x28])
        }
    }

    @Test("a file over the limit is refused, and sizes read as people write them")
    func tooLarge() throws {
        let file = try folder().appendingPathComponent("big.yaml")
        try Data(repeating: 0x41, count: 3000).write(to: file)
        #expect(throws: TextFileError.tooLarge(bytes: 3000, limit: 2048)) {
            try TextFile.read(file, maximumBytes: 2048)
        }
        #expect(
            TextFileError.tooLarge(bytes: 3000, limit: 2048).description
                == "file is larger than 2 KiB (it has 2.9 KiB).")
        #expect(TextFileError.size(1) == "1 byte")
        #expect(TextFileError.size(900) == "900 bytes")
        #expect(TextFileError.size(1 << 20) == "1 MiB")
        #expect(TextFileError.size(41_104_384) == "39.2 MiB")
    }

    @Test("folders, pipes, loops and links to nothing are named, never opened")
    func notRegular() throws {
        let base = try folder()
        #expect(throws: TextFileError.notRegular(kind: "a folder")) { try TextFile.read(base, maximumBytes: 10) }
        let pipe = base.appendingPathComponent("pipe.yaml")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        #expect(throws: TextFileError.notRegular(kind: "a named pipe")) { try TextFile.read(pipe, maximumBytes: 10) }
        let loop = base.appendingPathComponent("loop.yaml")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: "loop.yaml")
        #expect(throws: TextFileError.symbolicLinkLoop) { try TextFile.read(loop, maximumBytes: 10) }
        let dangling = base.appendingPathComponent("dangling.yaml")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "gone.yaml")
        #expect(throws: TextFileError.danglingLink(target: "gone.yaml")) {
            try TextFile.read(dangling, maximumBytes: 10)
        }
        #expect(throws: TextFileError.missing) {
            try TextFile.read(base.appendingPathComponent("none.yaml"), maximumBytes: 10)
        }
    }
}
