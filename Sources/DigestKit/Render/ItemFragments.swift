import CompiledMustache
import Foundation
import MailMessage
import Synchronization

/// The items of a run as the templates show them, shared by every reader's digest: an item's fields and each item
/// partial are worked out and rendered once per item, language, status and reasons, and encoded once, however many
/// digests list it.
final class ItemFragments: Sendable {
    /// What an item's rendering depends on besides the item, the templates and the reasons it was chosen for.
    struct Scope: Equatable {
        let language: Language
        let issue: String
        let now: Date
        let status: String?
    }

    /// The entries of one item, one per scope and list of reasons readers have for it.
    final class Slot: Sendable {
        private let variants = Mutex<[(scope: Scope, reasons: [MatchReason], entry: ItemEntry)]>([])

        /// The entry for `scope` and `reasons`, made by `make` the first time.
        func entry(for scope: Scope, reasons: [MatchReason], make: () -> ItemEntry) -> ItemEntry {
            func find(_ variants: [(scope: Scope, reasons: [MatchReason], entry: ItemEntry)]) -> ItemEntry? {
                variants.first { $0.scope == scope && $0.reasons == reasons }?.entry
            }
            if let entry = variants.withLock({ find($0) }) { return entry }
            let made = make()
            return variants.withLock { variants in
                if let entry = find(variants) { return entry }
                variants.append((scope, reasons, made))
                return made
            }
        }
    }

    /// Slots are dropped all at once past this many, so a long-running preview server does not grow without bound.
    static let capacity = 50_000

    private let slots = Mutex<[ObjectIdentifier: Slot]>([:])

    /// The slot of the item whose shared box is `key` (the box stays alive in the slot's entries).
    func slot(_ key: ObjectIdentifier) -> Slot {
        slots.withLock { slots in
            if let slot = slots[key] { return slot }
            if slots.count >= Self.capacity { slots.removeAll() }
            let slot = Slot()
            slots[key] = slot
            return slot
        }
    }
}

/// One item as one reader group sees it: its template fields, where it falls in the events calendar, and its
/// partials once rendered.
final class ItemEntry: Sendable {
    /// The item, kept so that its identity (the cache key) stays its own while the entry lives.
    let box: ItemBox
    /// The item's fields, as documented in templates/README.md.
    let values: [String: TemplateValue]
    /// The ISO week and the day label the item is listed under among the events.
    let week: Int
    let day: String
    private let rendered = Mutex<[Int: RenderedFragment]>([:])

    init(box: ItemBox, values: [String: TemplateValue], week: Int, day: String) {
        self.box = box
        self.values = values
        self.week = week
        self.day = day
    }

    /// The partial numbered `index`, rendered by `render` the first time.
    func fragment(_ index: Int, render: () -> RenderedFragment) -> RenderedFragment {
        if let fragment = rendered.withLock({ $0[index] }) { return fragment }
        let made = render()
        return rendered.withLock { rendered in
            if let fragment = rendered[index] { return fragment }
            rendered[index] = made
            return made
        }
    }
}

/// An item partial rendered for one entry: as HTML lines, or as plain text laid out for the text part.
enum RenderedFragment: Sendable {
    case html(EncodedLines)
    case text(LaidOutText)
}

/// The placeholders an item partial leaves in the outline of a digest, and the items they stand for, in the order the
/// outline asked for them.
final class RenderSession: @unchecked Sendable {
    // @unchecked: a session belongs to one rendering of one digest, on one thread.

    /// The prefix of every field name that stands for an item partial: `__digestItemPartial0`, `…1`, …
    static let fieldPrefix = "__digestItemPartial"
    /// The field name of each item partial, by its index in ``DigestRenderer/itemPartials``.
    static let fieldNames = DigestRenderer.itemPartials.indices.map { "\(fieldPrefix)\($0)" }

    private(set) var requests: [(entry: ItemEntry, partial: Int)] = []

    /// Records that the outline shows partial `partial` of `entry` here; the number stands for it.
    func placeholder(for entry: ItemEntry, partial: Int) -> Int {
        requests.append((entry, partial))
        return requests.count - 1
    }

    /// The request placeholder `number` stands for.
    func request(_ number: Int) -> (entry: ItemEntry, partial: Int) {
        requests[number]
    }
}

/// An item in the digest's context: its fields, and a marker where the outline includes one of its partials.
struct ItemContext: TemplateFields {
    let entry: ItemEntry
    let session: RenderSession

    func value(named name: String) -> TemplateValue? {
        if name.utf8.first == UInt8(ascii: "_"), let partial = RenderSession.fieldNames.firstIndex(of: name) {
            return .placeholder(session.placeholder(for: entry, partial: partial))
        }
        return entry.values[name]
    }
}

/// The fields an item partial sees: the item's, then the issue-wide ones (`t`, `lang`, `newsletter`, `issue`).
struct FragmentScope: TemplateFields {
    let values: [String: TemplateValue]
    let root: [String: TemplateValue]

    func value(named name: String) -> TemplateValue? {
        values[name] ?? root[name]
    }
}
