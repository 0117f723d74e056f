import DigestSupport
import Foundation
import Yams

extension SubscriberFileEditor {
    /// What a file says about one subscriber: the file, and the lines of their entry as written (the whole file
    /// for a one-subscriber file; in a list file, from the entry's `-` to the line before the next entry's).
    public struct WrittenEntry: Sendable, Hashable {
        /// The file as displayed.
        public var path: String
        /// The entry's first line (1-based).
        public var line: Int
        /// The entry's text, comments included.
        public var text: String
    }

    /// The entries that hold `email`, as written, in file order; files that cannot be read give none.
    public func writtenEntries(of email: String) -> [WrittenEntry] {
        locate(email).compactMap { location in
            guard let text = try? TextFile.read(location.file, maximumBytes: limit.bytes) else { return nil }
            guard let entry = location.entry else {
                return WrittenEntry(path: location.path, line: 1, text: text)
            }
            guard let document = try? YAMLDocument(text: text, displayPath: location.path),
                case .sequence(let sequence)? = document.root, entry < sequence.count
            else { return nil }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            /// The 0-based line of the `-` that starts entry `index`.
            func dash(_ index: Int) -> Int {
                var line = (sequence[index].mark?.line ?? 1) - 1
                while line > 0 && !lines[line].trimmingCharacters(in: .whitespaces).hasPrefix("-") { line -= 1 }
                return line
            }
            let first = dash(entry)
            var last = entry + 1 < sequence.count ? dash(entry + 1) - 1 : lines.count - 1
            while last > first && lines[last].trimmingCharacters(in: .whitespaces).isEmpty { last -= 1 }
            return WrittenEntry(
                path: location.path, line: first + 1, text: lines[first...last].joined(separator: "\n") + "\n")
        }
    }
}

extension SubscriberFileEditor {
    /// Every address written in the folder's files, lower-cased (files that are not valid YAML hold none).
    func allAddresses() -> [String] {
        let files =
            (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil))?
            .filter { ["yaml", "yml"].contains($0.pathExtension) } ?? []
        var found: [String] = []
        for file in files {
            guard let text = try? TextFile.read(file, maximumBytes: limit.bytes),
                let document = try? YAMLDocument(text: text, displayPath: file.lastPathComponent)
            else { continue }
            let mappings: [Node.Mapping]
            switch document.root {
            case .mapping(let mapping)?: mappings = [mapping]
            case .sequence(let sequence)?:
                mappings = sequence.compactMap { node in
                    if case .mapping(let mapping) = node { return mapping }
                    return nil
                }
            default: mappings = []
            }
            for mapping in mappings {
                if let address = mapping.first(where: { $0.key.string == "email" })?.value.string {
                    found.append(address.trimmingCharacters(in: .whitespaces).lowercased())
                }
            }
        }
        return found
    }
}

extension SubscriberFileEditor {
    /// The file a new `subscriber` would be written to, as displayed (the first free name is found when writing).
    func displayPath(of subscriber: Subscriber) -> String {
        SubscriberDirectory.displayPath(folder.appendingPathComponent(subscriber.slug + ".yaml"), base: displayBase)
    }
}
