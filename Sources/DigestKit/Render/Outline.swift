import CompiledMustache
import Foundation
import MailMessage
import Synchronization

/// A digest's three templates rendered for its items, with the reader's own values left as placeholders: the same
/// for every reader of the same items in the same language, so it is rendered once and filled in for each of them.
///
/// Whole lines are kept encoded (HTML) or laid out (text) so that filling in costs little more than copying.
final class Outline: Sendable {
    /// A piece of a rendered template.
    enum Segment: Sendable {
        /// Text as rendered (a partial line, or text in the subject).
        case text(String)
        /// Whole lines of the HTML part, encoded.
        case lines(EncodedLines)
        /// Whole lines of the text part, laid out.
        case laidOut(LaidOutText)
        /// One of the reader's values, HTML-escaped when `escaped`.
        case personal(PersonalValues.Field, escaped: Bool)
        /// An item partial.
        case item(ItemEntry, partial: Int)
    }

    let subject: [Segment]
    /// The subject when it holds none of the reader's values (the usual case), worked out once.
    let constantSubject: String?
    let html: [Segment]
    let text: [Segment]
    let preheader: String

    /// Renders `subject`, `digest.html` and `digest.txt` with `values` through `render`; the subject is given to the
    /// other two as a placeholder when `subjectIsPersonal`, else as its text (`partialText` renders item partials
    /// named in it). Item partials in the two bodies become their shared fragments.
    init(
        values: [String: TemplateValue],
        subjectIsPersonal: Bool,
        render: (String, [String: TemplateValue]) -> [TemplatePiece],
        session: RenderSession,
        wrapper: TextWrapper,
        chunks: ChunkCache,
        partialText: (ItemEntry, Int) -> String,
        htmlFragment: (ItemEntry, Int) -> EncodedLines,
        textFragment: (ItemEntry, Int) -> LaidOutText
    ) {
        func segments(_ pieces: [TemplatePiece]) -> [Segment] {
            pieces.compactMap { piece in
                switch piece {
                case .text(let text):
                    return .text(text)
                case .placeholder(let number, let escaped):
                    if number >= 0 {
                        let request = session.request(number)
                        return .item(request.entry, partial: request.partial)
                    }
                    return PersonalValues.Field(placeholder: number).map { .personal($0, escaped: escaped) }
                }
            }
        }
        subject = segments(render("subject", values))
        let isConstant = subject.allSatisfy { if case .text = $0 { true } else { false } }
        constantSubject = isConstant ? Self.subjectText(subject, personal: nil, partialText: partialText) : nil
        var withSubject = values
        if subjectIsPersonal {
            withSubject["subject"] = .placeholder(PersonalValues.Field.subject.placeholder)
        } else {
            withSubject["subject"] = .string(Self.subjectText(subject, personal: nil, partialText: partialText))
        }
        // The items' fragments are looked up now, once per outline, rather than for every reader.
        html = Self.splitLines(segments(render("digest.html", withSubject))) { .lines(chunks.encoded($0)) }.map {
            if case .item(let entry, let partial) = $0 { .lines(htmlFragment(entry, partial)) } else { $0 }
        }
        text = Self.splitLines(segments(render("digest.txt", withSubject))) {
            .laidOut(chunks.laidOut($0, wrapper: wrapper))
        }.map { if case .item(let entry, let partial) = $0 { .laidOut(textFragment(entry, partial)) } else { $0 } }
        if case .string(let text)? = values["preheader"] { preheader = text } else { preheader = "" }
    }

    /// The subject for a reader with `personal` values: one line, trimmed.
    func subject(_ personal: PersonalValues, partialText: (ItemEntry, Int) -> String) -> String {
        constantSubject ?? Self.subjectText(subject, personal: personal, partialText: partialText)
    }

    private static func subjectText(
        _ segments: [Segment],
        personal: PersonalValues?,
        partialText: (ItemEntry, Int) -> String
    ) -> String {
        let joined = segments.map { segment in
            switch segment {
            case .text(let text): text
            case .lines(let lines): lines.text
            case .laidOut(let laidOut): laidOut.raw
            case .personal(let field, let escaped):
                personal.map { escaped ? HTMLEscaping.escape($0[field]) : $0[field] } ?? ""
            case .item(let entry, let partial): partialText(entry, partial)
            }
        }.joined()
        return joined.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// The text segments cut into the partial line they start with, the whole lines in the middle (made by `whole`)
    /// and the partial line they end with.
    private static func splitLines(_ segments: [Segment], whole: (String) -> Segment) -> [Segment] {
        var result: [Segment] = []
        for segment in segments {
            guard case .text(let text) = segment, let first = text.utf8.firstIndex(of: 0x0A),
                let last = text.utf8.lastIndex(of: 0x0A), first < last
            else {
                result.append(segment)
                continue
            }
            let middleStart = text.utf8.index(after: first)
            let middleEnd = text.utf8.index(after: last)
            result.append(.text(String(text[..<middleStart])))
            result.append(whole(String(text[middleStart..<middleEnd])))
            if middleEnd < text.endIndex { result.append(.text(String(text[middleEnd...]))) }
        }
        return result
    }
}

/// Whole lines of outlines, encoded or laid out once by their text: most of an outline is the templates' own text,
/// the same in every outline.
final class ChunkCache: Sendable {
    private let encodedChunks = Memo<String, EncodedLines>(capacity: 4_096)
    private let laidOutChunks = Memo<String, LaidOutText>(capacity: 4_096)

    /// `text` as HTML lines, encoded.
    func encoded(_ text: String) -> EncodedLines {
        encodedChunks.value(for: text) { EncodedLines(text) }
    }

    /// `text` as plain-text lines, laid out by `wrapper`'s width (one renderer has one wrapper).
    func laidOut(_ text: String, wrapper: TextWrapper) -> LaidOutText {
        laidOutChunks.value(for: text) { PlainTextLayout.layOut(text, wrapper: wrapper) }
    }
}

/// What an outline depends on: the language, the issue and its note, the section limit, whether readers have a
/// preferences page, and the items (as entries) in each section.
struct OutlineKey: Hashable {
    let language: Language
    let issue: String
    let now: Date
    let note: [String]
    let limit: Int
    let hasPreferences: Bool
    let plan: [ObjectIdentifier]
    let counts: [Int]
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
    func outline(_ key: OutlineKey, make: () -> Outline) -> Outline {
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
        let made = make()
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
