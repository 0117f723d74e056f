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
        case reader(ReaderField, escaped: Bool)
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
    /// other two as a placeholder (`partialText` renders item partials named in it). Whole lines of the two bodies
    /// become `encoded` (HTML) and `laidOut` (text) lines, and item partials, numbered by their entry's place in
    /// `entries`, the entries' shared fragments.
    init(
        values: [String: TemplateValue],
        entries: [ItemEntry],
        render: (String, [String: TemplateValue]) throws(TemplateRenderError) -> [TemplatePiece],
        encoded: (String) -> EncodedLines,
        laidOut: (String) -> LaidOutText,
        partialText: (ItemEntry, Int) throws(TemplateRenderError) -> String,
        htmlFragment: (ItemEntry, Int) throws(TemplateRenderError) -> EncodedLines,
        textFragment: (ItemEntry, Int) throws(TemplateRenderError) -> LaidOutText
    ) throws(TemplateRenderError) {
        func segments(_ pieces: [TemplatePiece]) -> [Segment] {
            pieces.compactMap { piece in
                switch piece {
                case .text(let text):
                    return .text(text)
                case .placeholder(let number, let escaped):
                    if number >= 0 {
                        let partials = DigestRenderer.itemPartials.count
                        return .item(entries[number / partials], partial: number % partials)
                    }
                    return ReaderField(placeholder: number).map { .reader($0, escaped: escaped) }
                }
            }
        }
        subject = segments(try render("subject", values))
        let isConstant = subject.allSatisfy { if case .text = $0 { true } else { false } }
        constantSubject = isConstant ? try Self.subjectText(subject, reader: nil, partialText: partialText) : nil
        var withSubject = values
        withSubject[ReaderField.subject.key] = .placeholder(ReaderField.subject.placeholder)
        // The items' fragments are looked up now, once per outline, rather than for every reader.
        html = try Self.splitLines(segments(try render("digest.html", withSubject))) { .lines(encoded($0)) }.map {
            segment throws(TemplateRenderError) in
            if case .item(let entry, let partial) = segment {
                .lines(try htmlFragment(entry, partial))
            } else {
                segment
            }
        }
        text = try Self.splitLines(segments(try render("digest.txt", withSubject))) { .laidOut(laidOut($0)) }.map {
            segment throws(TemplateRenderError) in
            if case .item(let entry, let partial) = segment {
                .laidOut(try textFragment(entry, partial))
            } else {
                segment
            }
        }
        if case .string(let text)? = values["preheader"] { preheader = text } else { preheader = "" }
    }

    /// The subject for a reader with `reader` values: one line, trimmed.
    func subject(_ reader: ReaderValues, partialText: (ItemEntry, Int) throws(TemplateRenderError) -> String)
        throws(TemplateRenderError) -> String
    {
        if let constantSubject { return constantSubject }
        return try Self.subjectText(subject, reader: reader, partialText: partialText)
    }

    private static func subjectText(
        _ segments: [Segment],
        reader: ReaderValues?,
        partialText: (ItemEntry, Int) throws(TemplateRenderError) -> String
    ) throws(TemplateRenderError) -> String {
        let joined = try segments.map { segment throws(TemplateRenderError) in
            switch segment {
            case .text(let text): text
            case .lines(let lines): lines.text
            case .laidOut(let laidOut): laidOut.raw
            case .reader(let field, let escaped):
                reader.map { escaped ? HTMLEscaping.escape($0[field]) : $0[field] } ?? ""
            case .item(let entry, let partial): try partialText(entry, partial)
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
