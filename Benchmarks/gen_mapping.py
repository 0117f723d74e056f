#!/usr/bin/env python3
"""Writes the mapping benchmark's sources: a JSON API answer, an HTML list page, and a digest config for each.

Usage: gen_mapping.py OUTDIR [--items 5000] [--rows 2000] [--seed S] [--repo ROOT]

OUTDIR/bench-calls.json  5,000 funding calls in the shape of the EU portal's search answer
                         ({"data": {"results": [...]}}, every metadata value a list, HTML summaries, deadlines as
                         "2027-03-04T17:00:00.000+0100", a second deadline for two-stage calls, Swedish and English).
OUTDIR/bench-calls.html  a 2,000-row list page like Tillväxtverket's (head, menus, filter form, <li class="utlysning">
                         rows with h3, a <p> with <b>/<i>/&amp;, a deadline span, a relative link; footer).
OUTDIR/json.yaml, OUTDIR/html.yaml  digest configs with one source each (the repository's newsletter block, its
                         subscribers, templates and topics; the state in OUTDIR).
OUTDIR/manifest.json     how many items and bytes each input holds (written last).

Some calls closed before 2026-12-01 (both readers drop them), some have no deadline field but name one in the
summary ("Deadline: 15 March 2027"), some rows are "Löpande" (rolling, no deadline).
"""
import argparse
import datetime as dt
import json
import os
import random
import zoneinfo

import yaml

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

EN_ADJECTIVES = ("digital resource-efficient trustworthy circular low-carbon resilient inclusive smart green "
                 "advanced open sustainable integrated cross-border competitive innovative").split()
EN_NOUNS = ("tools platforms pilots solutions services networks skills partnerships value-chains testbeds "
            "demonstrators ecosystems infrastructures methods capacities").split()
EN_DOMAINS = ("manufacturing batteries hydrogen agriculture forestry tourism health mobility construction textiles "
              "microelectronics water energy-storage food-systems space-data cultural-heritage").split()
EN_CONTEXTS = ("small and medium-sized enterprises|European regions|rural areas|coastal communities|start-ups|"
               "public buyers|research infrastructures|industrial clusters|cities|universities").split("|")
EN_PROGRAMMES = ["Made in Europe Partnership", "Clean Hydrogen Partnership", "EIC Accelerator", "Interreg",
                 "Digital Europe", "LIFE", "Single Market Programme", "Innovation Fund", "Erasmus+", "Cascade funding"]
EN_WORDS = ("projects are expected to help companies adopt new technologies that reduce the use of energy and "
            "materials while strengthening their competitiveness and the resilience of supply chains across the "
            "union applicants should demonstrate impact scalability and cooperation between partners from "
            "different member states including associated countries").split()

SV_ADJECTIVES = "digitala gröna hållbara regionala innovativa cirkulära smarta öppna gemensamma nya".split()
SV_NOUNS = "verktyg plattformar piloter lösningar tjänster nätverk kompetenser partnerskap testbäddar miljöer".split()
SV_DOMAINS = ("tillverkning batterier vätgas jordbruk skogsbruk besöksnäring hälsa mobilitet byggande textil "
              "livsmedel energilagring kulturarv").split()
SV_CONTEXTS = ("små och medelstora företag|landsbygden|Norra Mellansverige|kommuner|nystartade företag|"
               "offentliga aktörer|klustren i Dalarna|besöksnäringen").split("|")
SV_WORDS = ("stöd till företag och organisationer som vill utveckla sin verksamhet minska klimatpåverkan och "
            "stärka kompetensen inom regionens styrkeområden ansökan görs digitalt och projekten ska bidra till "
            "hållbar tillväxt samverkan mellan näringsliv offentlig sektor och akademi i hela länet").split()

SV_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
AGENCIES = ["European Innovation Council and SMEs Executive Agency (EISMEA)", "European Research Executive Agency",
            "European Climate, Infrastructure and Environment Executive Agency (CINEA)",
            "European Health and Digital Executive Agency", "Directorate-General for Research & Innovation"]
PROGRAMME_CODES = ["HORIZON-CL4", "HORIZON-CL5", "HORIZON-CL6", "DIGITAL", "LIFE", "SMP-COSME", "INNOVFUND",
                   "I3", "ERASMUS-EDU", "EMFAF"]
TOPIC_WORDS = ["TWIN-TRANSITION", "AI-SME-UPTAKE", "H2-VALLEYS", "CIRC-BIO", "RESILIENCE", "SKILLS", "DATA-SPACES",
               "CLEAN-ENERGY", "TOURISM", "FOOD"]
REGIONS = ["Norra Mellansverige", "Hela Sverige", "Dalarna", "Gävleborg", "Värmland", "Övre Norrland"]
AUDIENCES = ["Företag", "Offentliga aktörer, organisationer", "Forskare", "Ideella organisationer"]


def words(rng, vocabulary, low, high):
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(low, high)))


def sentence(rng, vocabulary, low=8, high=20):
    return words(rng, vocabulary, low, high).capitalize() + "."


def fold(title):
    return "".join(c for c in title.lower() if c.isalnum())


def slug(title):
    """The ASCII path segment a CMS makes of a title ("gronomstallningismaochmedelstoraforetag")."""
    return fold(title).translate(str.maketrans("åäöé", "aaoe"))[:60]


def unique_title(rng, seen, make):
    while True:
        title = make()
        if fold(title) not in seen:
            seen.add(fold(title))
            return title


def eu_time(day, hour):
    """`2027-03-04T17:00:00.000+0100`: the EU portal's form, in Brussels time."""
    local = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BRUSSELS)
    return local.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def eu_call(rng, index, seen):
    swedish = rng.random() < 0.3
    if swedish:
        title = unique_title(rng, seen, lambda: (
            f"{rng.choice(SV_ADJECTIVES).capitalize()} {rng.choice(SV_NOUNS)} för {rng.choice(SV_DOMAINS)} "
            f"i {rng.choice(SV_CONTEXTS)}" + (" & samverkan" if rng.random() < 0.1 else "")))
        vocabulary, months, phrase = SV_WORDS, SV_MONTHS, "Sista ansökningsdag:"
    else:
        title = unique_title(rng, seen, lambda: (
            f"{rng.choice(EN_ADJECTIVES).capitalize()} {rng.choice(EN_NOUNS)} for {rng.choice(EN_DOMAINS)} in "
            f"{rng.choice(EN_CONTEXTS)} ({rng.choice(EN_PROGRAMMES)})"
            + (" – research & innovation" if rng.random() < 0.1 else "")))
        vocabulary, months, phrase = EN_WORDS, EN_MONTHS, "Deadline:"
    programme = rng.choice(PROGRAMME_CODES)
    identifier = f"{programme}-2027-{rng.choice(TOPIC_WORDS)}-{index // 50 + 1:02d}-{index % 50 + 1:02d}"
    group = 44_100_000 + index * 7

    kind = rng.random()
    if kind < 0.02:  # closed before the newsletter's "now"
        first = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(0, 90))
    else:
        first = dt.date(2027, 1, 5) + dt.timedelta(days=rng.randrange(0, 330))
    deadlines = [eu_time(first, 17)]
    if rng.random() < 0.25:
        deadlines.append(eu_time(first + dt.timedelta(days=rng.randrange(90, 210)), 17))
    opens = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(0, 120))

    paragraphs = [f"<p>{sentence(rng, vocabulary)} <b>{words(rng, vocabulary, 2, 5)}</b> &amp; "
                  f"{sentence(rng, vocabulary)}</p>"]
    if rng.random() < 0.4:
        paragraphs.append("<ul>" + "".join(f"<li>{sentence(rng, vocabulary, 4, 10)}</li>"
                                           for _ in range(rng.randrange(2, 5))) + "</ul>")
    if rng.random() < 0.3:
        paragraphs.append(f"<p>{sentence(rng, vocabulary, 4, 9)} <i>{words(rng, vocabulary, 1, 3)}</i>; "
                          f"see <a href=\"https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/"
                          f"opportunities/topic-details/{identifier.lower()}\">the topic page</a>.</p>")
    if rng.random() < 0.3:
        amount = rng.choice([f"up to {rng.randrange(2, 40)} million euro", f"{rng.randrange(1, 9)} 000 000 euro",
                             f"upp till {rng.randrange(2, 30)} miljoner kronor", f"{rng.randrange(1, 9)},5 mkr"])
        paragraphs.append(f"<p>Budget: {amount}.</p>")
    metadata_deadlines = deadlines
    if rng.random() < 0.04:  # no deadline field; half name it in the summary
        metadata_deadlines = None
        if rng.random() < 0.5:
            day = dt.date(2027, 2, 1) + dt.timedelta(days=rng.randrange(0, 200))
            paragraphs.append(f"<p><b>{phrase}</b> {day.day} {months[day.month - 1]} {day.year}</p>")
    if rng.random() < 0.2:  # plain text, no markup
        summary = " ".join(sentence(rng, vocabulary) for _ in range(rng.randrange(1, 4)))
    else:
        summary = "\n".join(paragraphs)
    if rng.random() < 0.03:
        summary = ("(sv): " if swedish else "(en): ") + summary

    language = "sv" if swedish else "en"
    metadata = {
        "identifier": [identifier],
        "callIdentifier": [identifier.rsplit("-", 1)[0]],
        "callccm2Id": [str(group)],
        "title": [title],
        "type": ["1"],
        "status": [rng.choice(["31094501", "31094502"])],
        "startDate": [eu_time(opens, 0)],
        "deadlineModel": ["two-stage" if len(deadlines) > 1 else "single-stage"],
        "frameworkProgramme": [str(43_108_390 + PROGRAMME_CODES.index(programme))],
        "programmePeriod": ["2021 - 2027"],
        "typesOfAction": [rng.choice(["HORIZON Innovation Actions", "HORIZON Research and Innovation Actions",
                                      "DIGITAL Simple Grants", "LIFE Standard Action Projects"])],
        "keywords": rng.sample(["manufacturing", "SME", "resource efficiency", "digital twins", "AI", "hydrogen",
                                "skills", "tourism", "circular economy", "data"], rng.randrange(2, 6)),
        "language": [language],
        "es_SortDate": [deadlines[0]],
        "budgetOverview": [json.dumps({"budgetTopicActionMap": {str(group): [{
            "action": f"{identifier} - {programme}", "plannedOpeningDate": opens.isoformat(),
            "deadlineDates": [d[:10] for d in deadlines], "budgetYearMap": {"2027": rng.randrange(2, 60) * 1_000_000},
            "expectedGrants": rng.randrange(1, 12)}]}, "budgetYearsColumns": ["2027"]})],
    }
    if metadata_deadlines:
        metadata["deadlineDate"] = metadata_deadlines
    call = {
        "apiVersion": "2.131",
        "reference": f"{group}COMPETITIVE_CALL{language}",
        "url": f"https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/{identifier.lower()}.json",
        "title": None,
        "contentType": "text/html",
        "language": language,
        "checksum": None,
        "database": "SEDIA",
        "summary": summary,
        "content": title,
        "rank": index + 1,
        "weight": 1.0,
        "groupById": str(group),
        "score": round(10 - index / 1000, 3),
        "metadata": metadata,
    }
    if rng.random() < 0.9:
        call["organisation"] = {"name": rng.choice(AGENCIES), "country": "BE"}
    return call


def deadline_text(rng):
    """The deadline span's text (None: no span; the date is in the paragraph) and the paragraph's extra sentence."""
    kind = rng.random()
    day = dt.date(2027, 1, 10) + dt.timedelta(days=rng.randrange(0, 320))
    if kind < 0.40:
        hour = rng.choice(["09.00", "12.00", "14.00", "16.00", "23.59"])
        return f"Sista ansökningsdag {day.isoformat()} kl. {hour}", ""
    if kind < 0.70:
        return f"{day.day} {SV_MONTHS[day.month - 1]} {day.year}", ""
    if kind < 0.80:
        return f"Sista ansökningsdag {day.day} {SV_MONTHS[day.month - 1]} {day.year}", ""
    if kind < 0.88:
        return "Löpande ansökan", ""
    if kind < 0.95:
        return None, f" Sista ansökningsdag {day.isoformat()}."
    closed = dt.date(2026, 10, 1) + dt.timedelta(days=rng.randrange(0, 55))
    return f"Stängd {closed.day} {SV_MONTHS[closed.month - 1]} {closed.year}", ""


def html_page(rng, rows):
    seen = set()
    menu = "\n".join(f'      <li class="menu-item"><a href="/tillvaxtverket/{path}.html">{text}</a></li>'
                     for path, text in [("sokfinansiering", "Sök finansiering"), ("regionalfonden", "Regionalfonden"),
                                        ("statistikochanalys", "Statistik och analys"),
                                        ("omtillvaxtverket", "Om Tillväxtverket"), ("kontakt", "Kontakta oss")])
    options = "\n".join(f'        <option value="{r.lower().replace(" ", "-")}">{r}</option>' for r in REGIONS)
    parts = [f"""<!DOCTYPE html>
<html lang="sv" class="no-js">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Utlysningar - Tillväxtverket</title>
  <base href="https://tillvaxtverket.se/tillvaxtverket/sokfinansiering/">
  <meta name="description" content="Här hittar du Tillväxtverkets öppna och planerade utlysningar.">
  <link rel="canonical" href="https://tillvaxtverket.se/tillvaxtverket/sokfinansiering/utlysningar.1139.html">
  <link rel="stylesheet" href="/sitevision/system-resource/site.css">
  <script src="/sitevision/system-resource/site.js" defer></script>
  <script>window.sv = window.sv || {{}}; sv.page = {{"id": "1139", "lang": "sv"}};
    document.documentElement.className = "js";</script>
  <style>.utlysning {{ margin: 0 0 1.5rem; }} .deadline {{ font-weight: 600; }}</style>
</head>
<body class="sv-template-page">
  <a class="skip-link" href="#innehall">Gå direkt till innehållet</a>
  <header class="site-header">
    <a class="site-logo" href="/"><img src="/images/logo-tillvaxtverket.svg" alt="Tillväxtverket"></a>
    <form class="site-search" action="/sok.html" method="get" role="search">
      <label for="q">Sök på webbplatsen</label> <input id="q" name="q" type="search"> <button type="submit">Sök</button>
    </form>
  </header>
  <nav class="main-menu" aria-label="Huvudmeny">
    <ul>
{menu}
    </ul>
  </nav>
  <nav class="breadcrumbs" aria-label="Du är här">
    <ol><li><a href="/">Start</a></li><li><a href="/tillvaxtverket/sokfinansiering.html">Sök finansiering</a></li>
      <li aria-current="page">Utlysningar</li></ol>
  </nav>
  <main id="innehall">
    <h1>Utlysningar</h1>
    <p class="ingress">Här hittar du våra öppna och planerade utlysningar. Filtrera på region eller målgrupp.</p>
    <form class="filter" action="utlysningar.1139.html" method="get">
      <label for="region">Region</label>
      <select id="region" name="region">
        <option value="">Alla regioner</option>
{options}
      </select>
      <button type="submit">Filtrera</button>
    </form>
    <p class="antal-traffar">{rows} utlysningar</p>
    <ul class="utlysningslista">
"""]
    for index in range(rows):
        title = unique_title(rng, seen, lambda: (
            f"{rng.choice(SV_ADJECTIVES).capitalize()} {rng.choice(SV_NOUNS)} för {rng.choice(SV_DOMAINS)} "
            f"i {rng.choice(SV_CONTEXTS)}" + (" – steg 2" if rng.random() < 0.15 else "")))
        span, extra = deadline_text(rng)
        text = (f"{sentence(rng, SV_WORDS, 6, 14)} Stöd till <b>{words(rng, SV_WORDS, 2, 4)}</b> i "
                f"{rng.choice(REGIONS)} &amp; {rng.choice(REGIONS)}, {words(rng, SV_WORDS, 4, 12)}"
                + (f" <i>{rng.choice(AUDIENCES).lower()}</i>" if rng.random() < 0.3 else "") + "." + extra)
        status = "planerad" if span == "Löpande ansökan" else "oppen"
        parts.append(f"""      <li class="utlysning utlysning--{status}">
        <h3>{title}</h3>
        <p>{text}</p>
        <div class="utlysning__taggar">
          <span class="region">{rng.choice(REGIONS)}</span>
          <span class="malgrupp">{rng.choice(AUDIENCES)}</span>
        </div>
""" + (f'        <span class="deadline">{span}</span>\n' if span else "")
                     + f'        <a href="utlysningar/{slug(title)}.{7000 + index}.html">Läs mer om utlysningen</a>\n'
                     + "      </li>\n")
    footer_links = "\n".join(f'        <li><a href="/tillvaxtverket/{s}.html">{t}</a></li>' for s, t in
                             [("tillganglighet", "Tillgänglighet"), ("cookies", "Om kakor"),
                              ("personuppgifter", "Personuppgifter"), ("press", "Press")])
    parts.append(f"""    </ul>
    <nav class="pagination" aria-label="Sidor"><ul><li class="current">1</li><li><a href="?page=2">2</a></li></ul></nav>
  </main>
  <footer class="site-footer">
    <div class="footer-contact"><p>Tillväxtverket, 105 05 Stockholm &middot; 08-681 91 00</p></div>
    <ul class="footer-links">
{footer_links}
    </ul>
  </footer>
  <script>document.querySelectorAll('.utlysning').forEach(function (li) {{ li.classList.add('js'); }});</script>
</body>
</html>
""")
    return "".join(parts)


def config(repo, out, name, source):
    with open(os.path.join(repo, "digest.yaml"), encoding="utf-8") as handle:
        base = yaml.safe_load(handle)
    document = {
        "newsletter": base["newsletter"],
        "sources": [source],
        "subscribers": os.path.join(repo, "subscribers"),
        "templates": os.path.join(repo, "templates"),
        "topics": os.path.join(repo, "topics.yaml"),
        "state": os.path.join(out, f"state-{name}.sqlite"),
        "delivery": {"transport": "maildir:" + os.path.join(out, "outbox")},
    }
    with open(os.path.join(out, f"{name}.yaml"), "w", encoding="utf-8") as handle:
        handle.write("# Generated by Benchmarks/gen_mapping.py.\n")
        yaml.safe_dump(document, handle, allow_unicode=True, sort_keys=False, width=120)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=71)
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(args.seed)

    seen = set()
    results = [eu_call(rng, index, seen) for index in range(args.items)]
    answer = {"apiVersion": "2.131", "terms": "***", "responseTime": 41, "totalResults": args.items,
              "pageNumber": 1, "pageSize": args.items, "sort": "sortStatus:ASC",
              "data": {"totalResults": args.items, "results": results}}
    with open(os.path.join(out, "bench-calls.json"), "w", encoding="utf-8") as handle:
        json.dump(answer, handle, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "bench-calls.html"), "w", encoding="utf-8") as handle:
        handle.write(html_page(rng, args.rows))

    config(args.repo, out, "json", {
        "name": "bench-json", "kind": "funding", "url": os.path.join(out, "bench-calls.json"), "format": "json",
        "items": "data.results",
        "fields": {"id": "reference", "title": "metadata.title[0]", "summary": "summary", "url": "url",
                   "deadline": "metadata.deadlineDate[0]", "opens": "metadata.startDate[0]",
                   "organizer": "organisation.name"}})
    config(args.repo, out, "html", {
        "name": "bench-html", "kind": "funding", "url": os.path.join(out, "bench-calls.html"), "format": "html",
        "items": "//li[contains(@class, 'utlysning')]",
        "fields": {"title": ".//h3", "url": ".//a/@href", "summary": ".//p[1]",
                   "deadline": ".//span[@class='deadline']"}})
    manifest = {"json": {"items": args.items, "bytes": os.path.getsize(os.path.join(out, "bench-calls.json"))},
                "html": {"items": args.rows, "bytes": os.path.getsize(os.path.join(out, "bench-calls.html"))}}
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as handle:  # written last: run.sh's marker
        json.dump(manifest, handle)


if __name__ == "__main__":
    main()
