import CompiledMustache
import Foundation
import MailMessage
import Synchronization

/// The items of a run as the templates show them, shared by every reader's digest: an item's fields and each item
/// partial are worked out and rendered once per item, language, status and reasons, and encoded once, however many
/// digests list it. Items are found by their id; at most ``capacity`` are kept.
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
        /// The item the entries show, in the box it came in (the same box is the same item, which spares comparing).
        let box: ItemBox
        private let variants = Mutex<[(scope: Scope, reasons: [MatchReason], entry: ItemEntry)]>([])

        init(box: ItemBox) {
            self.box = box
        }

        /// The entry for `scope` and `reasons`, made by `make` the first time.
        func entry(for scope: Scope, reasons: [MatchReason], make: () -> ItemEntry) -> ItemEntry {
            // By index, so that no variant (its strings and reasons) is copied to be compared.
            func find(_ variants: borrowing [(scope: Scope, reasons: [MatchReason], entry: ItemEntry)]) -> ItemEntry? {
                for index in variants.indices
                where variants[index].scope == scope && variants[index].reasons == reasons {
                    return variants[index].entry
                }
                return nil
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

    /// The most items kept: past this many, all are dropped at once, so a long run's memory stays bounded.
    static let capacity = 50_000

    private let state = Mutex<(slots: [String: Slot], replacements: Int)>(([:], 0))

    /// How many times an id has been given another item than the one kept for it, or the items were dropped. Outlines
    /// are keyed by item ids, so one rendered before a replacement is not used after it (``OutlineKey`` holds this
    /// count).
    var replacements: Int { state.withLock { $0.replacements } }

    /// The slot of the item in `box`, by its id; when the slot of that id holds another item (which one run's items
    /// never do), it is replaced.
    func slot(for box: ItemBox) -> Slot {
        state.withLock { state in
            if let slot = state.slots[box.item.id] {
                if slot.box === box || slot.box.item == box.item { return slot }
                state.replacements += 1
            } else if state.slots.count >= Self.capacity {
                // An id seen before the purge may come back with another item, unnoticed: outlines start afresh.
                state.slots.removeAll()
                state.replacements += 1
            }
            let slot = Slot(box: box)
            state.slots[box.item.id] = slot
            return slot
        }
    }
}

/// One item as one reader group sees it: its template fields, where it falls in the events calendar, and its
/// partials once rendered.
final class ItemEntry: Sendable {
    /// What tells entries apart in an outline's key: the item, why it was chosen and its status. Its hash is worked
    /// out once, as every digest listing the entry hashes it again.
    struct Key: Hashable, Sendable {
        let id: String
        let reasons: [MatchReason]
        let status: String?
        private let hash: Int

        init(id: String, reasons: [MatchReason], status: String?) {
            self.id = id
            self.reasons = reasons
            self.status = status
            var hasher = Hasher()
            hasher.combine(id)
            hasher.combine(reasons)
            hasher.combine(status)
            hash = hasher.finalize()
        }

        /// Hashes the hash worked out once.
        func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
        }
    }

    /// The item.
    let item: Item
    /// The entry's key.
    let key: Key
    /// The item's fields, as documented in templates/README.md.
    let values: [String: TemplateValue]
    /// The ISO week and the day label the item is listed under among the events.
    let week: Int
    let day: String
    /// Each item partial, by its index in ``DigestRenderer/itemPartials``, as HTML lines and laid out as text.
    private let rendered = Mutex<(html: [Int: EncodedLines], text: [Int: LaidOutText])>(([:], [:]))

    init(item: Item, key: Key, values: [String: TemplateValue], week: Int, day: String) {
        self.item = item
        self.key = key
        self.values = values
        self.week = week
        self.day = day
    }

    /// Partial `partial` as HTML lines, rendered by `render` the first time.
    func html(_ partial: Int, render: () throws(TemplateRenderError) -> EncodedLines) throws(TemplateRenderError)
        -> EncodedLines
    {
        if let lines = rendered.withLock({ $0.html[partial] }) { return lines }
        let made = try render()
        return rendered.withLock { rendered in
            if let lines = rendered.html[partial] { return lines }
            rendered.html[partial] = made
            return made
        }
    }

    /// Partial `partial` laid out as plain text, rendered by `render` the first time.
    func text(_ partial: Int, render: () throws(TemplateRenderError) -> LaidOutText) throws(TemplateRenderError)
        -> LaidOutText
    {
        if let text = rendered.withLock({ $0.text[partial] }) { return text }
        let made = try render()
        return rendered.withLock { rendered in
            if let text = rendered.text[partial] { return text }
            rendered.text[partial] = made
            return made
        }
    }
}

/// An item in an outline's context: its fields, and a placeholder where the outline includes one of its partials
/// (numbered `number * partials + partial`, `number` being the entry's place in the plan).
struct ItemContext: TemplateFields {
    let entry: ItemEntry
    let number: Int

    func value(named name: String) -> TemplateValue? {
        if name.utf8.first == UInt8(ascii: "_"), let partial = DigestRenderer.itemPartialFields.firstIndex(of: name) {
            return .placeholder(number * DigestRenderer.itemPartials.count + partial)
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
