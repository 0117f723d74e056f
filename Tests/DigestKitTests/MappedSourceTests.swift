import Curl
import Deadlines
import Feeds
import Foundation
import Logging
import Testing

@testable import DigestKit

/// JSON and HTML sources defined by configuration alone: their keys checked at their place in digest.yaml, dates in
/// every form a funder writes, items mapped from files, and the text of `digest sources test`.
@Suite("JSON and HTML sources")
struct MappedSourceTests {
    static let head = """
        newsletter:
          title: "Företagsfrämjarna i Dalarna"
          from: "Företagsfrämjarna Dalarna <nyhetsbrev@example.se>"
          timeZone: Europe/Stockholm
        sources:

        """

    /// The diagnostics of loading a config whose sources are `sources` (YAML lines under `sources:`).
    /// The config at `file` and what its sources (or `only` those named) give for four weeks from the demo's now.
    static func collect(_ file: URL, only: Set<String>? = nil) async throws -> (DigestConfig, CollectResult) {
        let config = try DigestConfig.load(from: file)
        let collector = SourceCollector(config: config, taxonomy: .empty, logger: Logger(label: "test"))
        let window = DateInterval(start: TestSupport.demoNow, duration: 28 * 86400)
        return (config, await collector.collect(window: window, only: only))
    }

    static func diagnostics(_ sources: String) throws -> [String] {
        let folder = try TestSupport.temporaryFolder()
        let file = try TestSupport.write(head + sources, to: "digest.yaml", in: folder)
        do {
            _ = try DigestConfig.load(from: file)
            return []
        } catch {
            return error.diagnostics.map { "\($0.line ?? 0):\($0.column ?? 0): \($0.message)" }
        }
    }

    @Test("item pages on the list's site get the source's headers (filled, without the body's), other sites none")
    func itemPageHeaders() throws {
        let folder = try TestSupport.temporaryFolder()
        let sources = """
              - name: a
                kind: funding
                url: "https://api.example.se/calls"
                format: json
                request:
                  method: POST
                  headers: {X-Api-Key: "${KEY}", Content-Type: application/json, Accept-Language: sv}
                  body: "{}"
                fields: {title: t, url: u}
                follow: {fields: {deadline: "//p"}}

            """
        let config = try DigestConfig.load(
            from: try TestSupport.write(Self.head + sources, to: "digest.yaml", in: folder))
        let source = try #require(config.sources.first)
        let headers = DetailPages.pageHeaders(
            source, listURL: "https://api.example.se/calls", environment: ["KEY": "k-123"])
        #expect(headers.values.map { "\($0.name): \($0.value)" } == ["X-Api-Key: k-123", "Accept-Language: sv"])
        #expect(headers.origin == URLOrigin(of: "https://API.example.se:443/calls/7"))
        #expect(headers.origin != URLOrigin(of: "http://api.example.se/calls/7"))
        #expect(headers.origin != URLOrigin(of: "https://www.example.se/calls/7"))
        #expect(
            DetailPages.pageHeaders(source, listURL: "https://api.example.se/calls", environment: [:]).values.isEmpty)
    }

    @Test("every key of a source definition is checked at its line and column, word for word")
    func configErrors() throws {
        let cases: [(String, String)] = [
            (
                """
                  - name: a
                    kind: funding
                    url: a.html
                    format: html
                    items: "//li["
                    fields: {title: ".//h3"}
                """,
                "10:12: invalid XPath '//li[': Invalid expression."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: a.html
                    format: html
                    items: "//li"
                    fields: {titel: ".//h3"}
                """,
                "11:14: unknown item field 'titel'. Did you mean 'title'? Fields: id, title, summary, url, "
                    + "organizer, start, end, allDay, location, opens, deadline, budget, topics, regions."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: a.json
                    format: json
                    fields: {title: "a..b"}
                """,
                "10:21: invalid path 'a..b' at character 3: empty name between dots."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: https://example.se/a.json
                    format: json
                    request:
                      methd: POST
                    fields: {title: Titel}
                """,
                "11:7: unknown key 'methd'. Did you mean 'method'?"
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: https://example.se/a.json
                    format: json
                    request:
                      form: {a: b}
                    fields: {title: Titel}
                """,
                "11:13: a GET request sends no body; add method: POST."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: "https://example.se/a-{page}.json"
                    format: json
                    fields: {title: Titel}
                """,
                "8:10: {page} needs a paging: section."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: "https://example.se/{tomorrow}"
                    format: json
                    fields: {title: Titel}
                """,
                "8:10: unknown placeholder {tomorrow}; use {today}, {today-Nd}, {today+Nd} or {page}."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: a.json
                    format: json
                    where: "Publik = true"
                    fields: {title: Titel}
                """,
                "10:12: invalid condition 'Publik = true': write '==' to compare."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: a.json
                    format: json
                    fields: {summary: Beskrivning}
                """,
                "10:13: missing required key 'title'."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: feed.xml
                    format: rss
                    items: "//item"
                """,
                "10:12: 'items' is read only by sources with format: json or format: html."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: a.html
                    format: html
                    items: "//li"
                    fields: {title: ".//h3"}
                    follow: {fields: {deadline: "//p[@class='status'"}, concurrency: 40}
                """,
                "12:33: invalid XPath '//p[@class='status'': Invalid predicate."
            ),
            (
                """
                  - name: a
                    kind: funding
                    url: https://example.se/a.json
                    format: json
                    request:
                      method: POST
                      headers: {X-Api-Key: "${EU API}"}
                    fields: {title: Titel}
                """,
                "12:28: '${EU API}' is not an environment variable name (letters, digits and _)."
            ),
        ]
        for (sources, expected) in cases {
            #expect(try Self.diagnostics(sources) == [expected], "\(sources)")
        }
    }

    @Test("a ${NAME} whose variable is not set is reported at its place, and fails only that source")
    func unsetVariable() async throws {
        let folder = try TestSupport.temporaryFolder()
        let sources = """
              - name: eu
                kind: funding
                url: https://127.0.0.1:9/search
                format: json
                request:
                  method: POST
                  headers: {Accept: application/json, X-Api-Key: "${DIGEST_TEST_UNSET_KEY}"}
                fields: {title: title}
              - name: lokal
                kind: funding
                url: calls.json
                format: json
                fields: {title: name}
            """
        let file = try TestSupport.write(Self.head + sources, to: "digest.yaml", in: folder)
        try TestSupport.write(#"[{"name": "Exportcheck"}]"#, to: "calls.json", in: folder)
        let config = try DigestConfig.load(from: file)
        #expect(
            config.unsetVariables.map(\.description) == [
                "\(file.relativePath):12:54: ${DIGEST_TEST_UNSET_KEY} is not set in the environment; "
                    + "set it before digest collect or send."
            ])
        let result = await SourceCollector(
            config: config, taxonomy: .empty, logger: Logger(label: "test"), environment: [:]
        ).collect(window: DateInterval(start: TestSupport.demoNow, duration: 28 * 86400))
        #expect(
            result.reports[0].failure
                == "request header 'X-Api-Key' uses ${DIGEST_TEST_UNSET_KEY}, which is not set in the environment")
        #expect(result.items.map(\.title) == ["Exportcheck"])
    }

    @Test("dates in every form a mapped field may hold")
    func dateForms() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Stockholm"))
        let dates = MappedDate(timeZone: zone, finder: DeadlineFinder(timeZone: zone))
        let json = ItemJSON(timeZone: zone)
        func read(_ text: String, _ field: MappedField = .deadline) -> String {
            switch dates.read(text, for: field, reference: TestSupport.demoNow) {
            case .date(let date, let dateOnly): json.time(date, allDay: false) + (dateOnly ? " (day)" : "")
            case .rolling: "rolling"
            case .unreadable: "unreadable"
            }
        }
        #expect(read("2027-02-11T14:00:00+01:00") == "2027-02-11T14:00:00+01:00")
        #expect(read("2027-01-22T17:00:00.000+0100") == "2027-01-22T17:00:00+01:00")
        #expect(read("2027-06-30T21:59:59.000Z") == "2027-06-30T23:59:59+02:00")
        #expect(read("2027-02-11T14:00:00") == "2027-02-11T14:00:00+01:00")
        #expect(read("2027-02-11 14:00") == "2027-02-11T14:00:00+01:00")
        #expect(read("2027-02-26") == "2027-02-26T23:59:59+01:00 (day)")
        #expect(read("2027-02-26", .start) == "2027-02-26T00:00:00+01:00 (day)")
        #expect(read("1801090800") == "2027-01-28T00:00:00+01:00")
        #expect(read("1801090800500") == "2027-01-28T00:00:00+01:00")
        #expect(read("Thu, 11 Feb 2027 14:00:00 +0100") == "2027-02-11T14:00:00+01:00")
        #expect(read("Stängd 19 mars 2027") == "2027-03-19T23:59:59+01:00 (day)")
        #expect(read("Sista ansökningsdag 2027-02-15 kl. 14.00") == "2027-02-15T14:00:00+01:00")
        #expect(read("19 mars 2027") == "2027-03-19T23:59:59+01:00 (day)")
        #expect(read("Closes 4 March 2027 at 17:00") == "2027-03-04T17:00:00+01:00")
        #expect(read("Öppnar 12 januari 2027", .opens) == "2027-01-12T00:00:00+01:00 (day)")
        #expect(read("Öppnar 12 januari 2027, stänger 4 mars 2027 kl. 14.00") == "2027-03-04T14:00:00+01:00")
        #expect(read("Öppnar 12 januari 2027, stänger 4 mars 2027 kl. 14.00", .opens) == "2027-01-12T00:00:00+01:00")
        #expect(read("Löpande") == "rolling")
        #expect(read("snart") == "unreadable")
        #expect(read("2027-02-30") == "unreadable")
    }

    @Test("a JSON source: where, templates, lists, HTML summaries, dates; left-out items and warnings reported")
    func jsonSource() async throws {
        let folder = try TestSupport.temporaryFolder()
        let sources = """
              - name: rundor
                kind: funding
                url: rundor.json
                format: json
                items: data.rounds
                where: ["Publik == true", "Typ != intern"]
                fields:
                  id: Diarienummer
                  title: Titel
                  summary: Beskrivning
                  url: "https://www.vinnova.se/e/{Diarienummer}"
                  deadline: Stangningsdatum
                  topics: Taggar
                  regions: "Orter[*]"
                  budget: Budget
            """
        let file = try TestSupport.write(Self.head + sources, to: "digest.yaml", in: folder)
        try TestSupport.write(
            """
            {"data": {"rounds": [
              {"Diarienummer": "2026-00001", "Titel": "Export&shy;stöd 2027", "Publik": true, "Typ": "öppen",
               "Beskrivning": "<p>Stöd för <b>export</b> &amp; internationalisering.</p>",
               "Stangningsdatum": "2027-02-11T14:00:00", "Taggar": ["export", "finansiering"],
               "Orter": ["Falun", "Borlänge"]},
              {"Diarienummer": "2026-00002", "Titel": "Intern beredning", "Publik": true, "Typ": "intern"},
              {"Diarienummer": "2026-00003", "Titel": "Dold runda", "Publik": 0},
              {"Diarienummer": "2026-00004", "Titel": "Snart stängd", "Publik": 1, "Stangningsdatum": "snart"},
              {"Diarienummer": "2026-00005", "Publik": true, "Stangningsdatum": "2027-03-01"},
              {"Diarienummer": "2026-00006", "Titel": "Redan stängd", "Publik": true, "Stangningsdatum": "2026-11-20"}
            ]}}
            """, to: "rundor.json", in: folder)
        let (config, result) = try await Self.collect(file)
        let json = ItemJSON(timeZone: config.newsletter.timeZone)
        #expect(result.items.map(\.title) == ["Exportstöd 2027", "Snart stängd"])
        let first = try #require(result.items.first)
        #expect(first.uid == "2026-00001")
        #expect(first.url?.absoluteString == "https://www.vinnova.se/e/2026-00001")
        #expect(first.summary == "Stöd för export & internationalisering.")
        #expect(first.deadline.map { json.time($0, allDay: false) } == "2027-02-11T14:00:00+01:00")
        #expect(first.topics == ["export", "finansiering"])
        #expect(first.regions == ["Falun", "Borlänge"])
        let report = try #require(result.reports.first)
        #expect(
            report.problems == [
                "item 4 (\"Snart stängd\"): deadline \"snart\" is not a date; left empty",
                "item 5: no title; left out",
                "fields.budget ('Budget') matched nothing in any of the 4 items",
            ])
        #expect(
            report.notes == [
                "2 item(s) left out by where (Publik == true and Typ != intern)",
                "1 call(s) closed before 2026-12-01",
            ])
    }

    @Test("an HTML source: items by XPath, links resolved against <base href>, text cleaned like feed HTML")
    func htmlSource() async throws {
        let folder = try TestSupport.temporaryFolder()
        let sources = """
              - name: sida
                kind: funding
                url: sida.html
                format: html
                items: "//li[contains(@class, 'utlysning')]"
                where: ".//span[@class='status'] != Stängd"
                fields: {title: ".//h3", url: ".//a/@href", summary: ".//p[1]", deadline: "string(.//time/@datetime)"}
            """
        let file = try TestSupport.write(Self.head + sources, to: "digest.yaml", in: folder)
        try TestSupport.write(
            """
            <!doctype html><html><head><base href="https://tillvaxtverket.se/sv/"><title>x</title></head>
            <body><nav>Meny</nav><main><ul>
            <li class="utlysning ny"><h3> Grön  omställning <script>alert(1)</script></h3>
              <a href="utlysningar/gron.html">Läs mer</a><p>Stöd till <b>små</b> &amp; medelstora företag.</p>
              <time datetime="2027-02-15T14:00:00+01:00">15 februari</time><span class="status">Öppen</span></li>
            <li class="utlysning"><h3>Stängd utlysning</h3><span class="status">Stängd</span></li>
            <li class="utlysning"><h3>Utan datum</h3><a href="/annat.html">x</a></li>
            </ul></main></body></html>
            """, to: "sida.html", in: folder)
        let (config, result) = try await Self.collect(file)
        #expect(result.items.map(\.title) == ["Grön omställning", "Utan datum"])
        #expect(
            result.items.map { $0.url?.absoluteString } == [
                "https://tillvaxtverket.se/sv/utlysningar/gron.html", "https://tillvaxtverket.se/annat.html",
            ])
        #expect(result.items.first?.summary == "Stöd till små & medelstora företag.")
        #expect(result.items.first?.deadline == Date(timeIntervalSince1970: 1_802_696_400))
        #expect(result.reports.first?.notes == ["1 item(s) left out by where (.//span[@class='status'] != Stängd)"])
    }

    @Test("a JSON-LD event's offers.validThrough is its registration deadline, shown to readers as 'Sista anmälan'")
    func jsonLDRegistration() async throws {
        let folder = try TestSupport.temporaryFolder()
        let sources = """
              - name: kalender
                kind: event
                url: kalender.html
                format: html
            """
        let file = try TestSupport.write(Self.head + sources, to: "digest.yaml", in: folder)
        try TestSupport.write(
            """
            <!doctype html><html><head><script type="application/ld+json">
            {"@context": "https://schema.org", "@type": "Event", "name": "Exportdag i Falun",
             "startDate": "2026-12-15T09:00:00+01:00", "endDate": "2026-12-15T12:00:00+01:00",
             "location": {"@type": "Place", "name": "Falun"},
             "offers": {"@type": "Offer", "price": "0", "validThrough": "2026-12-10T12:00:00+01:00"}}
            </script></head><body></body></html>
            """, to: "kalender.html", in: folder)
        let (config, result) = try await Self.collect(file)
        let event = try #require(result.items.first)
        #expect(event.registrationDeadline == Date(timeIntervalSince1970: 1_796_900_400))
        #expect(event.registrationHasTime)
        #expect(event.deadline == nil)
    }

    @Test("digest sources test prints each field's definition, raw and parsed value, word for word")
    func sourcesTestText() async throws {
        let folder = try TestSupport.temporaryFolder()
        let sources = """
              - name: rundor
                kind: funding
                url: rundor.json
                format: json
                where: "Publik == true"
                fields: {id: Diarienummer, title: Titel, url: "https://www.vinnova.se/e/{Diarienummer}", deadline: Stangningsdatum}
            """
        let file = try TestSupport.write(Self.head + sources, to: "digest.yaml", in: folder)
        try TestSupport.write(
            """
            [{"Diarienummer": "2026-00001", "Titel": "Exportstöd 2027", "Publik": true, "Stangningsdatum": "2027-02-11T14:00:00"},
             {"Diarienummer": "2026-00002", "Titel": "Dold", "Publik": false},
             {"Diarienummer": "2026-00003", "Titel": "Oklar", "Publik": true, "Stangningsdatum": "snart"},
             {"Diarienummer": "2026-00004", "Publik": true}]
            """, to: "rundor.json", in: folder)
        let (config, result) = try await Self.collect(file, only: ["rundor"])
        let report = try #require(result.reports.first)
        let test = SourceTestText(source: config.sources[0], report: report, limit: 2, showTiming: false)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(test.json.utf8)) as? [String: Any])
        #expect(document["listed"] as? Int == 4)
        #expect(document["filtered"] as? Int == 1)
        #expect(document["kept"] as? Int == 2)
        #expect((document["items"] as? [Any])?.count == 2)
        #expect(((document["leftOut"] as? [[String: Any]])?.first?["droppedBecause"] as? String) == "no title")
        #expect((document["requests"] as? [[String: Any]])?.first?["milliseconds"] as? Int == 0)
        let text = test.text
        #expect(
            text == """
                rundor (funding, json): rundor.json
                requests: 1 (1 list, 0 item pages), 330 bytes
                  GET rundor.json → read, 330 bytes
                items: 4 listed, 2 kept, 2 left out (1 by where)

                item 1: Exportstöd 2027
                  id        Diarienummer                             "2026-00001"                           2026-00001
                  title     Titel                                    "Exportstöd 2027"                      Exportstöd 2027
                  url       https://www.vinnova.se/e/{Diarienummer}  "https://www.vinnova.se/e/2026-00001"  https://www.vinnova.se/e/2026-00001
                  deadline  Stangningsdatum                          "2027-02-11T14:00:00"                  2027-02-11T14:00:00+01:00

                item 3: Oklar
                  id        Diarienummer                             "2026-00003"                           2026-00003
                  title     Titel                                    "Oklar"                                Oklar
                  url       https://www.vinnova.se/e/{Diarienummer}  "https://www.vinnova.se/e/2026-00003"  https://www.vinnova.se/e/2026-00003
                  deadline  Stangningsdatum                          "snart"                                – "snart" is not a date

                left out (1):
                  item 4: no title

                warnings (2):
                  item 3 ("Oklar"): deadline "snart" is not a date; left empty
                  item 4: no title; left out

                notes:
                  1 item(s) left out by where (Publik == true)

                """)
    }
}
