import CompiledMustache
import Foundation
import Synchronization

/// What an outline depends on, as values: the language, the issue and its note, the section limit, the reader
/// fields readers have no value for, and the entries of each section (item ids, reasons and status, in the order
/// listed) with the sections' sizes; `replacements` is the run's ``ItemFragments/replacements`` when the plan was
/// made, so an outline of an id's earlier item is never used for another.
struct OutlineKey: Hashable {
    let language: Language
    let issue: String
    let now: Date
    let note: [String]
    let welcome: Bool
    /// The issue's web version's URL and whether the outline is the archive's own (empty and false in most runs).
    var web: [String] = []
    let limit: Int
    let absent: [ReaderField]
    let entries: [ItemEntry.Key]
    let counts: [Int]
    let replacements: Int
}

/// The outlines of a run, by what they depend on, the most recently used kept: at most ``capacity``, so memory stays
/// bounded however many readers there are.
final class OutlineCache: Sendable {
    /// The most outlines kept.
    static let capacity = 1_600

    /// Two generations: outlines used since the last turn, and those used in the turn before; an outline used again
    /// moves to the recent one, and when that is half full the older one is dropped.
    private let generations = Mutex<(recent: [OutlineKey: Outline], older: [OutlineKey: Outline])>(([:], [:]))
    private let counters = Mutex<(made: Int, reused: Int)>((0, 0))

    /// How many outlines were made and how many times one was reused.
    var statistics: (made: Int, reused: Int) { counters.withLock { $0 } }

    /// The outline for `key`, made by `make` the first time.
    func outline(_ key: OutlineKey, make: () throws(TemplateRenderError) -> Outline) throws(TemplateRenderError)
        -> Outline
    {
        let found = generations.withLock { generations -> Outline? in
            if let outline = generations.recent[key] { return outline }
            guard let outline = generations.older.removeValue(forKey: key) else { return nil }
            Self.insert(outline, for: key, into: &generations)
            return outline
        }
        if let found {
            counters.withLock { $0.reused += 1 }
            return found
        }
        let made = try make()
        counters.withLock { $0.made += 1 }
        generations.withLock { Self.insert(made, for: key, into: &$0) }
        return made
    }

    private static func insert(
        _ outline: Outline,
        for key: OutlineKey,
        into generations: inout (recent: [OutlineKey: Outline], older: [OutlineKey: Outline])
    ) {
        if generations.recent.count >= capacity / 2 {
            generations.older = generations.recent
            generations.recent = [:]
        }
        generations.recent[key] = outline
    }
}
