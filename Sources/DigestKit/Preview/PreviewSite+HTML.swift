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
            <header><h1>\(esc(text.previewTitle(title, issue.id)))</h1>
            <p>\(esc(text.previewLead(subscribers: entries.count, sent: entries.filter(\.wouldSend).count, warned: warned)))\
            </p></header>
            <main>
            \(noticeHTML(controls))
            """
        if let controls {
            body += """
                <form method="post" action="/refetch"><input type="hidden" name="token" value="\(esc(controls.token))">\
                <button type="submit">\(esc(text.refetch))</button></form>

                """
        }
        body += """
            <section aria-labelledby="subscribers"><h2 id="subscribers">\(esc(text.subscribersHeading))</h2>
            <table><thead><tr>\(columnHeads(text.columns))</tr></thead>
            <tbody>
            \(rows)</tbody></table></section>
            \(summaryHTML())
            </main>
            """
        return document(title: text.previewTitle(title, issue.id), body: body)
    }

    /// The page of one subscriber: the HTML digest in a sandboxed frame with a width toggle, the checks, the plain
    /// text, the headers and a link to the `.eml`. The frame holds the digest itself (`srcdoc`), because browsers
    /// refuse to load a `file://` page into a sandboxed frame. With `controls` (served), it carries the "send me a test" form.
    public func pageHTML(for entry: Entry, controls: PreviewControls? = nil) -> String {
        let digest = entry.digest
        let slug = esc(entry.slug)
        let content = digest.content
        let contentsLine = text.contentsLine(
            newFunding: content.newFunding.count, closingSoon: content.closingSoon.count,
            events: content.events.count, changed: content.changed.count)
        let checks =
            entry.findings.isEmpty
            ? "<p>\(esc(text.noFindings))</p>"
            : "<ul class=\"warnings\">" + entry.findings.map { "<li>⚠ \(esc($0.message))</li>" }.joined() + "</ul>"
        var body = """
            <header><p><a href="index.html">\(esc(text.allSubscribers))</a></p>
            <h1>\(esc(digest.subscriber.email))</h1></header>
            <main>
            \(noticeHTML(controls))
            <dl>
            <dt>\(esc(text.subject))</dt><dd>\(esc(digest.rendered.subject))</dd>
            <dt>Status</dt><dd>\(esc(status(of: entry)))</dd>
            <dt>\(esc(text.size))</dt><dd>\(sizeText(entry.messageSize))</dd>
            <dt>\(esc(text.contents))</dt><dd>\(esc(contentsLine))</dd>
            </dl>
            <section aria-labelledby="checks"><h2 id="checks">\(esc(text.checks))</h2>
            \(checks)
            </section>
            <section aria-labelledby="html-version"><h2 id="html-version">\(esc(text.htmlVersion))</h2>
            <div class="preview">
            <fieldset><legend>\(esc(text.width))</legend>
            <input type="radio" name="width" id="width-desktop" checked>\
            <label for="width-desktop">\(esc(text.desktop))</label>
            <input type="radio" name="width" id="width-mobile">\
            <label for="width-mobile">\(esc(text.mobile))</label>
            </fieldset>
            <div class="frame"><iframe sandbox title="\(esc(text.frameTitle(digest.subscriber.email)))" \
            srcdoc="\(esc(digest.rendered.html))"></iframe></div>
            </div>
            <p><a href="\(slug).digest.html">\(esc(text.openHTML))</a></p>
            </section>

            """
        if let controls {
            body += """
                <section aria-labelledby="test-send"><h2 id="test-send">\(esc(text.testSend))</h2>
                <form method="post" action="/send/\(slug)">\
                <input type="hidden" name="token" value="\(esc(controls.token))">
                <label for="test-address">\(esc(text.toAddress))</label>
                <input type="email" id="test-address" name="to" required value="\(esc(controls.address))">
                <button type="submit">\(esc(text.sendTest))</button>
                <p>\(esc(text.testSendNote))</p></form>
                </section>

                """
        }
        body += """
            <section aria-labelledby="text-version"><h2 id="text-version">\(esc(text.textVersion))</h2>
            <pre>\(esc(digest.rendered.text))</pre>
            <p><a href="\(slug).txt">\(esc(text.openText))</a></p>
            </section>
            <section aria-labelledby="headers"><h2 id="headers">\(esc(text.headers))</h2>
            <pre>\(esc(Self.headerBlock(of: digest.message.bytes)))</pre>
            <p><a href="\(slug).eml">\(esc(text.wholeMessage))</a></p>
            </section>
            </main>
            """
        return document(title: "\(digest.subscriber.email) – \(issue.id)", body: body)
    }

    /// The summary under the index: items nobody receives, troubled sources, changes since the last issue sent.
    func summaryHTML() -> String {
        var html = "<section aria-labelledby=\"summary\"><h2 id=\"summary\">\(esc(text.summary))</h2>\n"
        html += "<h3>\(esc(text.unreceivedHeading))</h3>\n"
        if isFiltered {
            html += "<p>\(esc(text.filteredNote))</p>\n"
        } else if unreceived.isEmpty {
            html += "<p>\(esc(text.everyItemCarried))</p>\n"
        } else {
            html += "<p>\(esc(text.unreceivedLead(unreceived.count)))</p>\n"
            html += list(unreceived.map(itemText))
        }
        html += "<h3>\(esc(text.troubledHeading))</h3>\n"
        let troubled = troubledSources
        html +=
            troubled.isEmpty
            ? "<p>\(esc(text.allSourcesGaveItems))</p>\n"
            : list(troubled.map { "<strong>\(esc($0.name))</strong>: \(esc($0.reason))" }, escaped: true)
        html += "<h3>\(esc(text.changesHeading))</h3>\n"
        if let changes {
            let lead = text.changesLead(
                previous: changes.previousIssue, added: changes.added.count, changed: changes.changed.count,
                dropped: changes.droppedCount)
            html += "<p>\(esc(lead))</p>\n"
            if !changes.added.isEmpty { html += "<h4>\(esc(text.new))</h4>\n" + list(changes.added.map(itemText)) }
            if !changes.changed.isEmpty {
                html += "<h4>\(esc(text.changed))</h4>\n" + list(changes.changed.map(itemText))
            }
        } else {
            html += "<p>\(esc(text.noEarlierIssue))</p>\n"
        }
        html += "<h3>\(esc(text.feedbackHeading))</h3>\n"
        html +=
            feedback.isEmpty
            ? "<p>\(esc(text.none))</p>\n"
            : list(feedback.map { "\($0.kind): \($0.address) \($0.detail)" })
        html += sourcesTable()
        return html + "</section>"
    }

    /// The table of every source: this run's result and, with a state file, its history.
    func sourcesTable() -> String {
        let history = Dictionary(health.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        var rows = ""
        for report in reports {
            let result = report.failure.map(text.failed) ?? text.items(report.itemCount)
            let problems = report.problems.isEmpty ? "" : text.problems(report.problems.count)
            let past = history[report.name]
            let lastSuccess = past?.lastSuccess.map { date(of: $0) } ?? "–"
            let failures = past.map { String($0.consecutiveFailures) } ?? "–"
            let shown = report.problems.prefix(10).map { "<li>\(esc($0))</li>" }.joined()
            let more = report.problems.count > 10 ? "<li>\(esc(text.more(report.problems.count - 10)))</li>" : ""
            let notes = report.notes.map { "<li>\(esc($0))</li>" }.joined()
            let warnings = shown.isEmpty && notes.isEmpty ? "–" : "<ul>\(shown)\(more)\(notes)</ul>"
            rows += """
                <tr><th scope="row">\(esc(report.name))</th><td>\(esc(result + problems))</td>\
                <td>\(esc(lastSuccess))</td><td>\(failures)</td><td>\(warnings)</td></tr>

                """
        }
        return """
            <h3>\(esc(text.sourcesHeading))</h3>
            <table><thead><tr>\(columnHeads(text.sourceColumns))</tr></thead>
            <tbody>
            \(rows)</tbody></table>

            """
    }

    func status(of entry: Entry) -> String {
        if entry.digest.subscriber.paused { return text.paused }
        if entry.wouldSend { return entry.digest.content.isEmpty ? text.emptySentAnyway : text.sent }
        return text.emptyNotSent
    }

    func sizeText(_ size: Int) -> String {
        let kilobytes = String(format: "%.1f KB", Double(size) / 1000)
        return size > Self.messageSizeLimit
            ? "<strong class=\"warning\">⚠ \(kilobytes) – \(esc(text.over(Self.messageSizeLimit / 1000)))</strong>"
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
        let more = texts.count > 50 ? "\n<li>\(esc(text.more(texts.count - 50)))</li>" : ""
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
        <html lang="\(text.language.rawValue)"><head><meta charset="utf-8">
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

    /// Column heads (`<th scope="col">`) for `names`.
    func columnHeads(_ names: [String]) -> String {
        names.map { "<th scope=\"col\">\(esc($0))</th>" }.joined()
    }

    /// The texts in the newsletter's language.
    var text: OperatorText {
        OperatorText(language)
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
