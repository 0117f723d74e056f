/// The texts the editors and the operator read — the preview pages, the checks on each digest, `digest status` — in
/// the newsletter's language, as the digests are (Swedish by default, or English).
public struct OperatorText: Sendable {
    /// The language they are in.
    public let language: Language
    private var sv: Bool { language == .sv }

    /// The texts in `language`.
    public init(_ language: Language) {
        self.language = language
    }

    private func say(_ swedish: String, _ english: String) -> String { sv ? swedish : english }

    // MARK: The preview's index
    func previewTitle(_ title: String, _ issue: String) -> String {
        say("\(title) – förhandsvisning \(issue)", "\(title) – preview \(issue)")
    }
    func previewLead(subscribers: Int, sent: Int, warned: Int) -> String {
        say(
            "\(subscribers) prenumeranter, \(sent) får ett brev, \(warned) med anmärkningar. Inget skickas och inget sparas.",
            "\(subscribers) subscribers, \(sent) get a digest, \(warned) with findings. Nothing is sent or saved.")
    }
    var refetch: String { say("Hämta källorna igen", "Fetch the sources again") }
    var subscribersHeading: String { say("Prenumeranter", "Subscribers") }
    var columns: [String] {
        sv
            ? [
                "Mottagare", "Ämnesrad", "Nya utlysningar", "Sista dag snart", "Evenemang", "Ändrade", "Storlek",
                "Status",
                "Anmärkningar", "Filer",
            ]
            : [
                "Recipient", "Subject", "New calls", "Closing soon", "Events", "Changed", "Size", "Status", "Findings",
                "Files",
            ]
    }

    // MARK: A subscriber's page
    var allSubscribers: String { say("← Alla prenumeranter", "← All subscribers") }
    var noFindings: String { say("Inga anmärkningar.", "No findings.") }
    var subject: String { say("Ämnesrad", "Subject") }
    var size: String { say("Storlek", "Size") }
    var contents: String { say("Innehåll", "Contents") }
    func contentsLine(newFunding: Int, closingSoon: Int, events: Int, changed: Int) -> String {
        say(
            "\(newFunding) nya utlysningar, \(closingSoon) med sista dag snart, \(events) evenemang, \(changed) ändrade",
            "\(newFunding) new calls, \(closingSoon) closing soon, \(events) events, \(changed) changed")
    }
    var checks: String { say("Kontroller", "Checks") }
    var htmlVersion: String { say("HTML-versionen", "The HTML version") }
    var width: String { say("Bredd", "Width") }
    var desktop: String { say("Dator (680 px)", "Desktop (680 px)") }
    var mobile: String { say("Mobil (375 px)", "Mobile (375 px)") }
    func frameTitle(_ address: String) -> String {
        say("Brevet till \(address) som HTML", "The digest to \(address) as HTML")
    }
    var openHTML: String { say("Öppna HTML-versionen för sig", "Open the HTML version on its own") }
    var testSend: String { say("Skicka ett test", "Send a test") }
    var toAddress: String { say("Till adress", "To address") }
    var sendTest: String { say("Skicka testet", "Send the test") }
    var testSendNote: String {
        say(
            "Skickas genom den inställda leveransen, utanför numrets liggare.",
            "Sent through the configured delivery, outside the issue's ledger.")
    }
    var textVersion: String { say("Textversionen", "The text version") }
    var openText: String { say("Öppna textversionen för sig", "Open the text version on its own") }
    var headers: String { say("Rubriker", "Headers") }
    var wholeMessage: String { say("Hela meddelandet (.eml)", "The whole message (.eml)") }

    // MARK: The summary
    var summary: String { say("Sammanfattning", "Summary") }
    var unreceivedHeading: String { say("Poster som ingen får", "Items nobody gets") }
    var filteredNote: String {
        say("Förhandsvisningen gäller bara en del av prenumeranterna.", "The preview covers only some subscribers.")
    }
    var everyItemCarried: String {
        say("Varje insamlad post kommer med i något brev.", "Every item collected is in some digest.")
    }
    func unreceivedLead(_ count: Int) -> String {
        say(
            "\(count) poster kommer inte med i något brev som skickas:", "\(count) items are in no digest that is sent:"
        )
    }
    var troubledHeading: String { say("Källor som fallerat eller tystnat", "Sources that failed or fell silent") }
    var allSourcesGaveItems: String { say("Alla källor gav poster.", "Every source gave items.") }
    var changesHeading: String { say("Ändrat sedan förra utskicket", "Changed since the last issue sent") }
    func changesLead(previous: String, added: Int, changed: Int, dropped: Int) -> String {
        say(
            "Jämfört med \(previous): \(added) nya, \(changed) ändrade, \(dropped) som inte kommer med igen.",
            "Compared with \(previous): \(added) new, \(changed) changed, \(dropped) not carried again.")
    }
    var new: String { say("Nya", "New") }
    var changed: String { say("Ändrade", "Changed") }
    var noEarlierIssue: String {
        say("Inget tidigare utskick finns i tillståndsfilen.", "The state file holds no earlier issue.")
    }
    var feedbackHeading: String {
        say(
            "Avregistreringar, ändrade intressen och studsar sedan förra utskicket",
            "Unsubscribes, changed interests and bounces since the last issue")
    }
    var none: String { say("Inga.", "None.") }
    func more(_ count: Int) -> String { say("… och \(count) till", "… and \(count) more") }

    // MARK: The sources table
    var sourcesHeading: String { say("Källor", "Sources") }
    var sourceColumns: [String] {
        sv
            ? ["Källa", "Den här gången", "Senast lyckad", "Misslyckanden i rad", "Varningar och noteringar"]
            : ["Source", "This time", "Last success", "Failures in a row", "Warnings and notes"]
    }
    func failed(_ reason: String) -> String { say("fel: \(reason)", "failed: \(reason)") }
    func failedTimes(_ reason: String, times: Int) -> String {
        failed(reason) + (times > 1 ? say(" (\(times) gånger i rad)", " (\(times) times in a row)") : "")
    }
    func silent(before: Int?) -> String {
        say("tyst: inga poster", "silent: no items")
            + (before.map { say(" (förra gången \($0))", " (\($0) last time)") } ?? "")
    }
    func workingAgain(after failures: Int) -> String {
        say("fungerar igen efter \(failures) misslyckade körningar", "working again after \(failures) failed runs")
    }
    func items(_ count: Int) -> String { say("\(count) poster", "\(count) items") }
    func problems(_ count: Int) -> String {
        say(" (\(count) problem)", count == 1 ? " (1 problem)" : " (\(count) problems)")
    }

    // MARK: Statuses and sizes
    var paused: String { say("pausad – skickas inte", "paused – not sent") }
    var emptySentAnyway: String { say("tom – skickas ändå", "empty – sent anyway") }
    var sent: String { say("skickas", "sent") }
    var emptyNotSent: String { say("tom – skickas inte", "empty – not sent") }
    func over(_ kilobytes: Int) -> String { say("över \(kilobytes) KB", "over \(kilobytes) KB") }

    // MARK: The checks (`DigestLint`)
    func longMessageLines(_ count: Int, limit: Int, lines: String) -> String {
        say(
            "\(count) rad(er) i meddelandet är längre än \(limit) byte (rad \(lines)).",
            "\(count) line(s) of the message are longer than \(limit) bytes (line \(lines)).")
    }
    var missingListUnsubscribe: String {
        say("Meddelandet saknar rubriken List-Unsubscribe.", "The message has no List-Unsubscribe header.")
    }
    func htmlTooLarge(_ size: Int, limit: Int) -> String {
        say(
            "HTML-delen är \(size) byte, över gränsen \(limit) (Gmail kortar av stora brev).",
            "The HTML part is \(size) bytes, over the limit of \(limit) (Gmail clips large messages).")
    }
    func unsafeLink(_ href: String) -> String {
        say("Länken \"\(href)\" är varken http(s) eller mailto.", "The link \"\(href)\" is neither http(s) nor mailto.")
    }
    func imageWithoutAlt(_ source: String) -> String {
        say("En bild saknar alt-text\(source).", "An image has no alt text\(source).")
    }
    func emptySection(_ heading: String) -> String {
        say("Rubriken \"\(heading)\" har inget innehåll under sig.", "The heading \"\(heading)\" has nothing under it.")
    }
    func longTextLines(_ count: Int, limit: Int, lines: String) -> String {
        say(
            "\(count) rad(er) i textversionen är bredare än \(limit) tecken (rad \(lines)).",
            "\(count) line(s) of the text version are wider than \(limit) characters (line \(lines)).")
    }

    // MARK: The preview server's answers and notices
    /// No page by that name.
    public func noPage(_ name: String) -> String {
        say("Det finns ingen sida \(name) här; börja på /.", "There is no page \(name) here; start at /.")
    }
    /// No subscriber has that page.
    public func noSubscriberPage(_ slug: String) -> String {
        say("Ingen prenumerant har sidan \(slug).html.", "No subscriber has the page \(slug).html.")
    }
    /// After a refetch.
    public func refetched(items: Int, failedSources: Int) -> String {
        say(
            "Källorna hämtades igen: \(items) poster, \(failedSources) källor misslyckades.",
            "The sources were fetched again: \(items) items, \(failedSources) sources failed.")
    }
    /// The config could not be read.
    public func cannotReadConfig(_ error: String) -> String {
        say("Kunde inte läsa inställningarna: \(error)", "Could not read the settings: \(error)")
    }
    /// The typed address is not one.
    public func unusableAddress(_ error: String) -> String {
        say("Adressen går inte att använda: \(error)", "The address cannot be used: \(error)")
    }
    /// The typed address holds a control character (`found` names it, as `a control character (U+000D)`).
    public func addressHasControlCharacter(_ found: String) -> String {
        say(
            "Adressen går inte att använda: den innehåller \(found.replacingOccurrences(of: "a control character", with: "ett styrtecken")). Skriv adressen på en rad.",
            "The address cannot be used: it holds \(found). Type the address on one line.")
    }

    /// The first control character in `text` (C0, DEL, C1, U+2028, U+2029), named as `a control character (U+000D)`,
    /// or nil when there is none: what a form field must refuse before the text reaches a log, a header or a file.
    public static func controlCharacter(in text: String) -> String? {
        SubscriberChecker.controlCharacter(in: text)
    }

    /// A test was sent.
    public func testSent(to address: String, messageID: String) -> String {
        say(
            "Testet skickades till \(address) (Message-ID \(messageID)).",
            "The test was sent to \(address) (Message-ID \(messageID)).")
    }
    /// A test could not be sent.
    public func testNotSent(_ why: String) -> String {
        say("Testet kunde inte skickas: \(why)", "The test could not be sent: \(why)")
    }
    /// A test could not be built.
    public func testNotBuilt(_ why: String) -> String {
        say("Testet kunde inte byggas: \(why)", "The test could not be built: \(why)")
    }
    /// A form without the session's token.
    public var missingSessionToken: String {
        say(
            "Formuläret saknar sessionens nyckel: ladda om sidan och försök igen.",
            "The form lacks the session's key: reload the page and try again.")
    }
    /// The title of the page listing what stops the preview.
    public var previewUnavailable: String { say("Förhandsvisningen kan inte visas", "The preview cannot be shown") }
    /// The lead of that page.
    public var fixAndReload: String { say("Rätta felen och ladda om sidan:", "Fix the errors and reload the page:") }

    // MARK: `digest status`
    /// "No state yet at PATH: digest send has not run."
    public func noState(_ path: String) -> String {
        say(
            "Inget tillstånd ännu i \(path): digest send har inte körts.",
            "No state yet at \(path): digest send has not run.")
    }
    /// The heading of the runs.
    public var runs: String { say("Körningar:", "Runs:") }
    /// A run that did not finish.
    public var didNotFinish: String { say("avslutades inte", "did not finish") }
    /// The heading of the deliveries.
    public var deliveries: String { say("Leveranser:", "Deliveries:") }
    /// A count of deliveries in `status`.
    public func deliveries(_ count: Int, _ status: DeliveryStatus) -> String {
        switch status {
        case .sending: say("\(count) osäkra", "\(count) uncertain")
        case .delivered: say("\(count) levererade", "\(count) delivered")
        case .failed: say("\(count) misslyckade", "\(count) failed")
        case .deferred: say("\(count) uppskjutna", "\(count) deferred")
        }
    }
    /// The heading of the feedback, or the line saying there was none.
    public func feedback(any: Bool) -> String {
        any
            ? say("Återkoppling sedan förra numret:", "Feedback since the last issue:")
            : say("Återkoppling sedan förra numret: ingen.", "Feedback since the last issue: none.")
    }
    /// "Suppressed addresses: 1 bounced, 1 unsubscribed".
    public func suppressed(_ counts: [(reason: SuppressionReason, count: Int)]) -> String {
        let parts = counts.map { reason, count in
            switch reason {
            case .bounced: say("\(count) studsade", "\(count) bounced")
            case .unsubscribed: say("\(count) avregistrerade", "\(count) unsubscribed")
            case .erased: say("\(count) raderade", "\(count) erased")
            }
        }
        return say("Spärrade adresser: ", "Suppressed addresses: ") + parts.joined(separator: ", ")
    }
    /// The sources line when none needs attention, or the heading of those that do.
    public func sources(allRead count: Int?) -> String {
        count.map { say("Källor: alla \($0) lästes i senaste körningen.", "Sources: all \($0) read in the last run.") }
            ?? say("Källor som behöver ses över:", "Sources needing attention:")
    }
    /// A source that failed `runs` runs in a row.
    public func sourceFailed(_ name: String, runs: Int, error: String) -> String {
        say(
            "  \(name): misslyckades \(runs) körning(ar) i rad: \(error)",
            "  \(name): failed \(runs) run(s) in a row: \(error)")
    }
    /// A source read without items.
    public func sourceEmpty(_ name: String) -> String {
        say("  \(name): lästes, men gav inga poster", "  \(name): read, but gave no items")
    }
    /// A source whose item pages failed.
    public func sourcePagesFailed(_ name: String, _ count: Int) -> String {
        say(
            "  \(name): lästes, men \(count) postsida(or) gick inte att hämta; de posterna behöll det listan gav",
            "  \(name): read, but \(count) item page(s) could not be; those items kept what the list gave")
    }
}
