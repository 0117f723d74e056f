import Foundation

extension PreviewSite {
    /// The index page: every subscriber with subject, items per section, size, status and checks, then the summary.
    /// With `controls` (served), it carries the "refetch sources" form.
    public func indexHTML(controls: PreviewControls? = nil) -> String {
        var rows = ""
        for entry in entries {
            let content = entry.digest.content
            let findings =
                entry.findings.isEmpty
                ? "–"
                : "<ul>" + entry.findings.map { "<li>⚠ \(esc($0.message))</li>" }.joined() + "</ul>"
            rows += """
                <tr><th scope="row"><a href="\(esc(entry.slug)).html">\(esc(entry.digest.subscriber.email))</a></th>\
                <td>\(esc(entry.digest.rendered.subject))</td>\
                <td>\(content.newFunding.count)</td><td>\(content.closingSoon.count)</td>\
                <td>\(content.events.count)</td><td>\(content.changed.count)</td>\
                <td>\(sizeText(entry.messageSize))</td><td>\(esc(status(of: entry)))</td>\
                <td class="checks">\(findings)</td>\
                <td><a href="\(esc(entry.slug)).txt">text</a> · <a href="\(esc(entry.slug)).eml">eml</a></td></tr>

                """
        }
        let warned = entries.filter { !$0.findings.isEmpty }.count
        var body = """
            <header><h1>\(esc(title)) – förhandsvisning \(esc(issue.id))</h1>
            <p>\(entries.count) prenumeranter, \(entries.filter(\.wouldSend).count) får ett brev, \
            \(warned) med anmärkningar. Inget skickas och inget sparas.</p></header>
            <main>
            \(noticeHTML(controls))
            """
        if let controls {
            body += """
                <form method="post" action="/refetch"><input type="hidden" name="token" value="\(esc(controls.token))">\
                <button type="submit">Hämta källorna igen</button></form>

                """
        }
        body += """
            <section aria-labelledby="subscribers"><h2 id="subscribers">Prenumeranter</h2>
            <table><thead><tr><th scope="col">Mottagare</th><th scope="col">Ämnesrad</th>\
            <th scope="col">Nya utlysningar</th><th scope="col">Sista dag snart</th><th scope="col">Evenemang</th>\
            <th scope="col">Ändrade</th><th scope="col">Storlek</th><th scope="col">Status</th>\
            <th scope="col">Anmärkningar</th><th scope="col">Filer</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></section>
            \(summaryHTML())
            </main>
            """
        return document(title: "\(title) – förhandsvisning \(issue.id)", body: body)
    }

    /// The page of one subscriber: the HTML digest in a sandboxed frame with a width toggle, the checks, the plain
    /// text, the headers and a link to the `.eml`. The frame holds the digest itself (`srcdoc`), because browsers
    /// refuse to load a `file://` page into a sandboxed frame. With `controls` (served), it carries the "send me a test" form.
    public func pageHTML(for entry: Entry, controls: PreviewControls? = nil) -> String {
        let digest = entry.digest
        let slug = esc(entry.slug)
        let content = digest.content
        let checks =
            entry.findings.isEmpty
            ? "<p>Inga anmärkningar.</p>"
            : "<ul class=\"warnings\">" + entry.findings.map { "<li>⚠ \(esc($0.message))</li>" }.joined() + "</ul>"
        var body = """
            <header><p><a href="index.html">← Alla prenumeranter</a></p>
            <h1>\(esc(digest.subscriber.email))</h1></header>
            <main>
            \(noticeHTML(controls))
            <dl>
            <dt>Ämnesrad</dt><dd>\(esc(digest.rendered.subject))</dd>
            <dt>Status</dt><dd>\(esc(status(of: entry)))</dd>
            <dt>Storlek</dt><dd>\(sizeText(entry.messageSize))</dd>
            <dt>Innehåll</dt><dd>\(content.newFunding.count) nya utlysningar, \(content.closingSoon.count) med sista \
            dag snart, \(content.events.count) evenemang, \(content.changed.count) ändrade</dd>
            </dl>
            <section aria-labelledby="checks"><h2 id="checks">Kontroller</h2>
            \(checks)
            </section>
            <section aria-labelledby="html-version"><h2 id="html-version">HTML-versionen</h2>
            <div class="preview">
            <fieldset><legend>Bredd</legend>
            <input type="radio" name="width" id="width-desktop" checked>\
            <label for="width-desktop">Dator (680 px)</label>
            <input type="radio" name="width" id="width-mobile">\
            <label for="width-mobile">Mobil (375 px)</label>
            </fieldset>
            <div class="frame"><iframe sandbox title="Brevet till \(esc(digest.subscriber.email)) som HTML" \
            srcdoc="\(esc(digest.rendered.html))"></iframe></div>
            </div>
            <p><a href="\(slug).digest.html">Öppna HTML-versionen för sig</a></p>
            </section>

            """
        if let controls {
            body += """
                <section aria-labelledby="test-send"><h2 id="test-send">Skicka ett test</h2>
                <form method="post" action="/send/\(slug)">\
                <input type="hidden" name="token" value="\(esc(controls.token))">
                <label for="test-address">Till adress</label>
                <input type="email" id="test-address" name="to" required value="\(esc(controls.address))">
                <button type="submit">Skicka testet</button>
                <p>Skickas genom den inställda leveransen, utanför numrets liggare.</p></form>
                </section>

                """
        }
        body += """
            <section aria-labelledby="text-version"><h2 id="text-version">Textversionen</h2>
            <pre>\(esc(digest.rendered.text))</pre>
            <p><a href="\(slug).txt">Öppna textversionen för sig</a></p>
            </section>
            <section aria-labelledby="headers"><h2 id="headers">Rubriker</h2>
            <pre>\(esc(Self.headerBlock(of: digest.message.bytes)))</pre>
            <p><a href="\(slug).eml">Hela meddelandet (.eml)</a></p>
            </section>
            </main>
            """
        return document(title: "\(digest.subscriber.email) – \(issue.id)", body: body)
    }

    /// The summary under the index: items nobody receives, troubled sources, changes since the last issue sent.
    func summaryHTML() -> String {
        var html = "<section aria-labelledby=\"summary\"><h2 id=\"summary\">Sammanfattning</h2>\n"
        html += "<h3>Poster som ingen får</h3>\n"
        if isFiltered {
            html += "<p>Förhandsvisningen gäller bara en del av prenumeranterna.</p>\n"
        } else if unreceived.isEmpty {
            html += "<p>Varje insamlad post kommer med i något brev.</p>\n"
        } else {
            html += "<p>\(unreceived.count) poster kommer inte med i något brev som skickas:</p>\n"
            html += list(unreceived.map(itemText))
        }
        html += "<h3>Källor som fallerat eller tystnat</h3>\n"
        let troubled = troubledSources
        html +=
            troubled.isEmpty
            ? "<p>Alla källor gav poster.</p>\n"
            : list(troubled.map { "<strong>\(esc($0.name))</strong>: \(esc($0.reason))" }, escaped: true)
        html += "<h3>Ändrat sedan förra utskicket</h3>\n"
        if let changes {
            html += """
                <p>Jämfört med \(esc(changes.previousIssue)): \(changes.added.count) nya, \(changes.changed.count) \
                ändrade, \(changes.droppedCount) som inte kommer med igen.</p>

                """
            if !changes.added.isEmpty { html += "<h4>Nya</h4>\n" + list(changes.added.map(itemText)) }
            if !changes.changed.isEmpty { html += "<h4>Ändrade</h4>\n" + list(changes.changed.map(itemText)) }
        } else {
            html += "<p>Inget tidigare utskick finns i tillståndsfilen.</p>\n"
        }
        html += "<h3>Avregistreringar, ändrade intressen och studsar sedan förra utskicket</h3>\n"
        html +=
            feedback.isEmpty
            ? "<p>Inga.</p>\n"
            : list(feedback.map { "\($0.kind): \($0.address) \($0.detail)" })
        html += sourcesTable()
        return html + "</section>"
    }

    /// The table of every source: this run's result and, with a state file, its history.
    func sourcesTable() -> String {
        let history = Dictionary(health.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        var rows = ""
        for report in reports {
            let result = report.failure.map { "fel: " + $0 } ?? "\(report.itemCount) poster"
            let problems = report.problems.isEmpty ? "" : " (\(report.problems.count) problem)"
            let past = history[report.name]
            let lastSuccess = past?.lastSuccess.map { date(of: $0) } ?? "–"
            let failures = past.map { String($0.consecutiveFailures) } ?? "–"
            let shown = report.problems.prefix(10).map { "<li>\(esc($0))</li>" }.joined()
            let more = report.problems.count > 10 ? "<li>… och \(report.problems.count - 10) till</li>" : ""
            let notes = report.notes.map { "<li>\(esc($0))</li>" }.joined()
            let warnings = shown.isEmpty && notes.isEmpty ? "–" : "<ul>\(shown)\(more)\(notes)</ul>"
            rows += """
                <tr><th scope="row">\(esc(report.name))</th><td>\(esc(result + problems))</td>\
                <td>\(esc(lastSuccess))</td><td>\(failures)</td><td>\(warnings)</td></tr>

                """
        }
        return """
            <h3>Källor</h3>
            <table><thead><tr><th scope="col">Källa</th><th scope="col">Den här gången</th>\
            <th scope="col">Senast lyckad</th><th scope="col">Misslyckanden i rad</th>\
            <th scope="col">Varningar och noteringar</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>

            """
    }

    func status(of entry: Entry) -> String {
        if entry.digest.subscriber.paused { return "pausad – skickas inte" }
        if entry.wouldSend { return entry.digest.content.isEmpty ? "tom – skickas ändå" : "skickas" }
        return "tom – skickas inte"
    }

    func sizeText(_ size: Int) -> String {
        let kilobytes = String(format: "%.1f KB", Double(size) / 1000)
        return size > Self.messageSizeLimit
            ? "<strong class=\"warning\">⚠ \(kilobytes) – över \(Self.messageSizeLimit / 1000) KB</strong>"
            : kilobytes
    }

    func itemText(_ item: Item) -> String {
        let when = (item.kind == .event ? item.start : item.deadline).map { " (\(date(of: $0)))" } ?? ""
        return item.title + when + " – " + item.source
    }

    func date(of date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { (value ?? 0) < 10 ? "0\(value ?? 0)" : "\(value ?? 0)" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }

    func list(_ texts: [String], escaped: Bool = false) -> String {
        let shown = texts.prefix(50).map { "<li>\(escaped ? $0 : esc($0))</li>" }.joined(separator: "\n")
        let more = texts.count > 50 ? "\n<li>… och \(texts.count - 50) till</li>" : ""
        return "<ul>\n\(shown)\(more)\n</ul>\n"
    }

    func noticeHTML(_ controls: PreviewControls?) -> String {
        guard let notice = controls?.notice else { return "" }
        let kind = notice.isError ? "notice error" : "notice"
        return "<p class=\"\(kind)\" role=\"status\">\(esc(notice.text))</p>"
    }

    func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="sv"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(title))</title>
        <link rel="icon" href="data:,">
        <style>\(Self.style)</style></head>
        <body>
        \(body)
        </body></html>

        """
    }

    func esc(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }

    /// The header section of a raw message (up to the first empty line), as text.
    static func headerBlock(of bytes: [UInt8]) -> String {
        var end = bytes.count
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A {
                end = index
                break
            }
            index += 1
        }
        return String(decoding: bytes[..<end], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1a1a1a;line-height:1.4}\
        table{border-collapse:collapse;margin-bottom:1rem}\
        td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:left;vertical-align:top}\
        thead th{background:#eee}td.checks ul,ul.warnings{margin:0;padding-left:1.1rem}\
        .warning,.checks li,.warnings li,.error{color:#8a1c1c}\
        .notice{padding:.5rem;border:2px solid #2b6a2b}.notice.error{border-color:#8a1c1c}\
        pre{white-space:pre-wrap;background:#f6f6f6;padding:.6rem;border:1px solid #ddd;max-width:80ch}\
        .preview fieldset{border:0;padding:0;margin:0}.preview legend{float:left;font-weight:bold}\
        .preview input{margin-left:1rem}.frame{margin-top:.5rem}\
        .frame iframe{width:680px;max-width:100%;height:80vh;border:1px solid #888;background:#fff}\
        .preview:has(#width-mobile:checked) .frame iframe{width:375px}\
        dt{font-weight:bold}dd{margin:0 0 .4rem 0}\
        a:focus,button:focus,input:focus{outline:3px solid #1a5fb4}
        """
}
