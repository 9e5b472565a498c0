"""Generate a large snapshot in the reference layout, with other content, and the records it must export.

    python benchmarks/make_snapshot.py OUT --en 7000 --ar 3500 [--seed 7] [--start T --end T] [--gap YYYY-MM-DD]
        [--shape real]

Follows SPEC.md: both editions, Templates A (before 2020) and B, Arabic pages some in windows-1256, Iraqi month
names and Arabic-Indic digits, junk captions, lazy images, no-date stories, `<br>` lines, ads, "Read also"
lines, tweets, subheadings, video embeds, invisible marks, link variants, slugless links (301) and deleted
stories (404). ``expected.jsonl`` is written from the generator's own truth, not by newscrawler.

``--shape real`` gives the site's shape at size (the default, ``even``, keeps the older snapshots byte for byte):
sections of very different sizes (``REAL_WEIGHTS``), columnists' author pages listing only their
``AUTHOR_LATEST`` latest pieces (so author pages list the newest opinion pieces, not the older ones), and a
share (``CROSS_LISTED``) of the other stories listed in a second section too.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sitegen_html as html

HOST = "https://www.thebaghdadpost.com"
TZ = timezone(timedelta(hours=3))
SECTIONS = {
    "en": [(1, "Iraq News"), (2, "Arab World"), (3, "Iran"), (4, "World"), (5, "Opinion"), (6, "Videos")],
    "ar": [(11, "عراقيات"), (12, "عربي ودولي"), (13, "إيران"), (14, "رأي"), (15, "فيديو")],
}
#: With ``--shape real``: each section's share of its edition's stories, in ``SECTIONS`` order.
REAL_WEIGHTS = {"en": [40, 20, 15, 12, 8, 5], "ar": [45, 22, 15, 10, 8]}
#: With ``--shape real``: pieces an author page lists (its columnist's latest), and the share of other stories
#: listed in a second section as well.
AUTHOR_LATEST = {"en": 40, "ar": 20}
CROSS_LISTED = 0.05
WORDS = {
    "en": (
        "Iraq militia Baghdad forces Kurdish parliament protest Basra Mosul oil attack security minister "
        "government Iran sanctions drone Houthi camp displaced budget election court strike"
    ).split(),
    "ar": (
        "العراق بغداد القوات الأمنية البرلمان الحكومة الموصل البصرة إيران الميليشيات الحشد الشعبي "
        "الانتخابات الوزارة مصدر هجوم طائرة مسيرة النفط المتظاهرين"
    ).split(),
}
EN_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
AR_DAYS = "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split()
EN_MONTHS = "January February March April May June July August September October November December".split()
AR_EG = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()
AR_IQ = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
JUNK = [
    "3f5075c7b3f669d1fc7a5d1579ec8502_L",
    "thumbs_b_c_5a828d5abe76fa54c78edce76df1d661",
    "images - 2020-02-13T183217.953",
    "1",
]


def shown(when: datetime, ed: str, rnd: random.Random, weekday: bool) -> str:
    """A time as the site prints it (``weekday``: a story's date line, else a listing's)."""
    hour = f"{(when.hour % 12) or 12:02d}:{when.minute:02d}"
    if ed == "en":
        text = f"{when.day:02d} {EN_MONTHS[when.month - 1]} {when.year} {hour} {'PM' if when.hour >= 12 else 'AM'}"
        return f"{EN_DAYS[when.weekday()]}، {text}" if weekday else text
    months = AR_IQ if weekday and rnd.random() < 0.35 else AR_EG
    mer = (
        ("مساءً" if when.hour >= 12 else "صباحاً")
        if weekday and rnd.random() < 0.1
        else ("م" if when.hour >= 12 else "ص")
    )
    text = f"{when.day:02d} {months[when.month - 1]} {when.year} {hour} {mer}"
    text = text.translate(INDIC) if weekday and rnd.random() < 0.3 else text
    return f"{AR_DAYS[when.weekday()]}، {text}" if weekday else text


def body(ed: str, rnd: random.Random) -> tuple[list[str], list[str]]:
    """(html blocks, expected paragraphs) of a story body with the site's mix of features."""
    blocks, truth = [], []
    for n in range(rnd.randint(3, 9)):
        sentence = " ".join(rnd.choice(WORDS[ed]) for _ in range(rnd.randint(8, 20))) + "."
        roll = rnd.random()
        if roll < 0.1:
            second = " ".join(rnd.choice(WORDS[ed]) for _ in range(6)) + "."
            blocks.append(f"<p>{sentence}<br />{second}</p>")
            truth += [sentence, second]
        elif roll < 0.2:
            blocks.append(f"<p>&nbsp;{sentence.replace(' ', '&nbsp; ', 1)}</p><p>&nbsp;</p>")
            truth.append(sentence)
        elif roll < 0.27:
            blocks.append(
                f"<h3>{sentence[:30].strip()}</h3>" if n % 2 else f"<p><strong>{sentence[:30].strip()}</strong></p>"
            )
            truth.append(sentence[:30].strip())
        elif roll < 0.32:
            blocks.append(
                f'<blockquote class="twitter-tweet"><p>{sentence}</p>&mdash; Baghdad Now (@BaghdadNow) '
                f'<a href="https://twitter.com/x">June 6, 2017</a></blockquote>'
            )
            truth.append(f"{sentence} — Baghdad Now (@BaghdadNow) June 6, 2017")
        elif ed == "ar" and roll < 0.45:
            blocks.append(f'<p dir="rtl">&rlm;{sentence.replace(" ", "&#x200F; ", 1)}&#8206;</p>')
            truth.append(sentence)
        else:
            words = sentence.split()
            inline = " ".join([words[0], f"<b>{words[1]}</b>", *words[2:]]) if roll > 0.8 else sentence
            blocks.append(f"<p>{inline}</p>")
            truth.append(sentence)
        if rnd.random() < 0.08:
            blocks.append('<div class="ads"><p class="ad-label">Advertisement</p><script>ad()</script></div>')
        if rnd.random() < 0.05:
            blocks.append('<p><iframe src="https://www.youtube.com/embed/x"></iframe></p>')
    if rnd.random() < 0.3:
        label = "Read also:" if ed == "en" else "اقرأ أيضاً:"
        blocks.append(f'<p><strong>{label}</strong> <a href="/{ed}/Story/1/x">{rnd.choice(WORDS[ed])}</a></p>')
    return blocks, truth


def slug(headline: str, ed: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+" if ed == "en" else r"[\W_]+", "-", headline).strip("-")


def make_story(ed: str, sid: int, when: datetime, rnd: random.Random, site: dict[str, Any]) -> dict[str, Any]:
    headline = " ".join(rnd.choice(WORDS[ed]) for _ in range(rnd.randint(4, 9))).capitalize()
    weights = REAL_WEIGHTS[ed] if site["shape"] == "real" else None
    number, name = rnd.choices(SECTIONS[ed], weights)[0] if weights else rnd.choice(SECTIONS[ed])
    path = f"/{ed}/Story/{sid}/{quote(slug(headline, ed), safe='-')}"
    blocks, truth = body(ed, rnd)
    image = f"/Content/Upload/large/{when:%Y%m}/{sid}.jpg" if rnd.random() > 0.1 else None
    roll = rnd.random()
    caption = (
        None if roll < 0.06 else rnd.choice(JUNK) if roll < 0.18 else " ".join(rnd.choice(WORDS[ed]) for _ in range(3))
    )
    modified = when + timedelta(minutes=rnd.choice([0, 0, 0, 17, 200, 3000]))
    author = site["authors"][ed][sid % len(site["authors"][ed])] if name in ("Opinion", "رأي") else None
    dated = rnd.random() > 0.03
    return {
        "ed": ed,
        "id": sid,
        "headline": headline,
        "path": path,
        "canonical": HOST + path,
        "section": site["section_by_id"][number],
        "paragraphs": truth,
        "body_html": blocks,
        "image": image,
        "caption_shown": caption,
        "caption": caption if caption and caption not in JUNK else None,
        "template": "B" if when.year >= 2020 else "A",
        "label": "Last Modified:" if ed == "en" else "آخر تحديث:",
        "modified_raw": shown(modified, ed, rnd, True) if dated else None,
        "modified": modified if dated else None,
        "listed_raw": shown(when, ed, rnd, False),
        "listed": when,
        "author": author,
        "deleted": rnd.random() < 0.01,
        "slugless": rnd.random() < 0.01,
        "cp1256": ed == "ar" and rnd.random() < 0.15,
        "link": variant(path, sid, ed, rnd),
    }


def variant(path: str, sid: int, ed: str, rnd: random.Random) -> str:
    """The link a listing shows: mostly the plain path, sometimes another case, absolute, or lower-case hex."""
    roll = rnd.random()
    if roll < 0.06:
        return path.replace("/Story/", "/story/")
    if roll < 0.1:
        return path.replace(f"/{ed}/", f"/{ed.upper()}/")
    if roll < 0.15:
        return HOST + path
    return path.lower() if ed == "ar" and roll < 0.2 else path


def record(s: dict[str, Any]) -> dict[str, Any]:
    iso = lambda when: when.isoformat() if when else None  # noqa: E731
    return {
        "url": None,
        "canonicalUrl": s["canonical"],
        "storyId": s["id"],
        "edition": s["ed"],
        "inLanguage": s["ed"],
        "headline": s["headline"],
        "articleBody": "\n\n".join(s["paragraphs"]),
        "imageCaption": s["caption"] if s["image"] else None,
        "mainImage": {"url": HOST + s["image"]} if s["image"] else None,
        "dateModified": iso(s["modified"]),
        "dateModifiedRaw": s["modified_raw"],
        "datePublished": iso(s["listed"]),
        "datePublishedRaw": s["listed_raw"],
        "authors": [{"name": s["author"]["name"], "url": HOST + s["author"]["path"]}] if s["author"] else [],
        "breadcrumbs": [{"name": s["section"]["name"], "url": HOST + s["section"]["path"]}],
    }


class Writer:
    """Writes pages and collects the manifest."""

    def __init__(self, out: Path) -> None:
        self.out, self.manifest = out, {}

    def add(self, path: str, name: str, text: str | None, status: int = 200, charset: str = "utf-8", **headers: str):
        entry: dict[str, Any] = {"status": status, "headers": {"Content-Type": "text/html; charset=utf-8", **headers}}
        if text is not None:
            target = self.out / "pages" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode(charset, "xmlcharrefreplace"))
            entry["file"] = f"pages/{name}"
        if charset != "utf-8":
            entry["headers"]["Content-Type"] = "text/html"
        self.manifest[path] = entry


def make_site(shape: str = "even") -> dict[str, Any]:
    """Sections and authors of both editions (``latest``, the ticker's stories, left empty); ``shape`` ``even`` or
    ``real`` (see the module's docstring)."""
    site: dict[str, Any] = {"sections": {}, "section_by_id": {}, "authors": {}, "latest": {"en": [], "ar": []}}
    site["shape"] = shape
    for ed, sections in SECTIONS.items():
        site["sections"][ed] = [
            {"id": n, "name": name, "path": f"/{ed}/Section/{n}/{quote(slug(name, ed), safe='-')}"}
            for n, name in sections
        ]
        site["section_by_id"].update({s["id"]: s for s in site["sections"][ed]})
        site["authors"][ed] = [
            {"name": f"{w} {v}".title(), "id": 900 + i}
            for i, (w, v) in enumerate(zip(WORDS[ed][:6], WORDS[ed][6:12], strict=True))
        ]
        for a in site["authors"][ed]:
            a["path"] = f"/{ed}/Author/{a['id']}/{quote(slug(a['name'], ed), safe='-')}"
            a["link"] = a["path"].replace(f"/{ed}/", f"/{ed.upper()}/")
    return site


def generate(
    out: Path,
    counts: dict[str, int],
    seed: int,
    period: tuple[datetime, datetime] = (datetime(2016, 12, 1, 8, 0, tzinfo=TZ), datetime(2020, 11, 28, tzinfo=TZ)),
    gaps: frozenset[str] = frozenset(),
    shape: str = "even",
) -> dict[str, Any]:
    """Stories evenly spread over ``period``; none on the days (``YYYY-MM-DD``) in ``gaps``; ``shape`` ``even``
    or ``real`` (see the module's docstring)."""
    rnd = random.Random(seed)
    site = make_site(shape)
    writer, stories = Writer(out), {}
    for ed, count in counts.items():
        start, step = period[0], (period[1] - period[0]) / max(count, 1)
        times = [(start + step * i).replace(second=0, microsecond=0) for i in range(count)]
        stories[ed] = [
            make_story(ed, 1000 + i * 7, when, rnd, site)
            for i, when in enumerate(times)
            if f"{when:%Y-%m-%d}" not in gaps
        ]
        site["latest"][ed] = stories[ed][-6:]
        if shape == "real":
            cross_list(stories[ed], site["sections"][ed], random.Random(seed + 1))
    for ed in counts:
        write_edition(writer, site, ed, stories[ed])
    writer.add(
        "/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /en/Search\nDisallow: /ar/Search\n",
        **{"Content-Type": "text/plain"},
    )
    (out / "pages" / "404.html").write_text("<html><body><h1>404 - File or directory not found.</h1></body></html>")
    (out / "manifest.json").write_text(json.dumps(writer.manifest, ensure_ascii=False, indent=0), encoding="utf-8")
    live = [record(s) for ed in counts for s in stories[ed] if not s["deleted"]]
    (out / "expected.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in live), encoding="utf-8"
    )
    return {
        "stories": sum(len(v) for v in stories.values()),
        "expected_records": len(live),
        "pages": len(writer.manifest),
    }


def cross_list(stories: list[dict[str, Any]], sections: list[dict[str, Any]], rnd: random.Random) -> None:
    """List a share of the stories outside the opinion section in a second such section too (``also``)."""
    news = [s for s in sections if s["name"] not in ("Opinion", "رأي")]
    for story in stories:
        if story["section"] in news and rnd.random() < CROSS_LISTED:
            story["also"] = rnd.choice([s for s in news if s is not story["section"]])


def write_edition(writer: Writer, site: dict[str, Any], ed: str, stories: list[dict[str, Any]]) -> None:
    writer.add(f"/{ed}/", f"{ed}/home.html", html.page(site, ed, ""))
    for s in stories:
        if s["slugless"]:
            s["link"] = f"/{ed}/Story/{s['id']}"
            writer.add(s["link"], "", None, status=301, Location=s["path"])
        if s["deleted"]:
            writer.add(s["path"], "", None, status=404)
            writer.manifest[s["path"]]["file"] = "pages/404.html"
            continue
        extra, main = html.story(s)
        charset = "windows-1256" if s["cp1256"] else "utf-8"
        writer.add(
            s["path"],
            f"{ed}/story/{s['id'] // 1000}/{s['id']}.html",
            html.page(site, ed, main, extra, charset),
            charset=charset,
        )
    for section in site["sections"][ed]:
        items = [s for s in reversed(stories) if section in (s["section"], s.get("also"))]
        pages = max(1, -(-len(items) // 12))
        for n in range(1, pages + 1):
            text = html.listing(items[(n - 1) * 12 : n * 12], section["name"], section["path"], n, pages)
            path = section["path"] + (f"?page={n}" if n > 1 else "")
            writer.add(path, f"{ed}/section/{section['id']}_{n}.html", html.page(site, ed, text))
    for a in site["authors"][ed]:
        items = [s for s in reversed(stories) if s["author"] is a and not s["deleted"]]
        items = items[: AUTHOR_LATEST[ed]] if site["shape"] == "real" else items
        writer.add(a["path"], f"{ed}/author/{a['id']}.html", html.page(site, ed, html.author_page(a["name"], items)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--en", type=int, default=7000)
    parser.add_argument("--ar", type=int, default=3500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", default="2016-12-01T08:00", help="first story's time (Baghdad)")
    parser.add_argument("--end", default="2020-11-28T00:00", help="end of the period (Baghdad)")
    parser.add_argument("--gap", action="append", default=[], help="a day (YYYY-MM-DD) without any story")
    parser.add_argument("--shape", choices=["even", "real"], default="even", help="even sections, or the site's shape")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    period = (
        datetime.fromisoformat(args.start).replace(tzinfo=TZ),
        datetime.fromisoformat(args.end).replace(tzinfo=TZ),
    )
    counts = {"en": args.en, "ar": args.ar}
    print(json.dumps(generate(args.out, counts, args.seed, period, frozenset(args.gap), args.shape)))


if __name__ == "__main__":
    main()
