"""The site's URL rules: one identity per story whatever the link variant, canonical forms, mirrors."""

from __future__ import annotations

import pytest

from newscrawler.baghdadpost.urls import StoryKey, canonical_of, path_info, rebase, slugify, story_key, to_site

AR_SLUG = "%D8%BA%D8%A7%D8%B1%D8%A7%D8%AA"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/en/Story/11554/36-ISIS-militants", StoryKey("en", 11554)),
        ("/en/story/11554/36-isis-militants", StoryKey("en", 11554)),
        ("/EN/Story/11554/36-ISIS-militants", StoryKey("en", 11554)),
        ("https://www.thebaghdadpost.com/en/Story/11554/x", StoryKey("en", 11554)),
        ("http://127.0.0.1:8000/en/Story/43875", StoryKey("en", 43875)),
        ("/en/Story/43875/", StoryKey("en", 43875)),
        (f"/ar/Story/1208/{AR_SLUG}", StoryKey("ar", 1208)),
        (f"/AR/story/1208/{AR_SLUG.lower()}", StoryKey("ar", 1208)),
        ("/ar/Story/1208/غارات-إسرائيلية", StoryKey("ar", 1208)),
        ("/en/Section/1/Iraq-News", None),
        ("/en/Author/826/Nour", None),
        ("/fr/Story/1/x", None),
        ("/en/Story/abc/x", None),
        ("/en/Story", None),
        ("https://twitter.com/en/Story/1/x?x", StoryKey("en", 1)),
    ],
)
def test_story_key(url: str, key: StoryKey | None) -> None:
    assert story_key(url) == key


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/en/", "home"),
        ("/ar", "home"),
        ("/en/Section/1/Iraq-News?page=2", "section"),
        ("/EN/Author/1/x", "author"),
        ("/en/Page/1/About", "other"),
        ("/robots.txt", "other"),
        ("/en/rss", "other"),
        ("/", "other"),
    ],
)
def test_path_kind(url: str, kind: str) -> None:
    assert path_info(url).kind == kind


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/EN/story/11554/36-ISIS", "https://www.thebaghdadpost.com/en/Story/11554/36-ISIS"),
        ("http://127.0.0.1:9/en/section/1/Iraq-News", "https://www.thebaghdadpost.com/en/Section/1/Iraq-News"),
        (f"/AR/Author/1501/{AR_SLUG.lower()}", f"https://www.thebaghdadpost.com/ar/Author/1501/{AR_SLUG}"),
        ("/ar/Story/1208/غارات", f"https://www.thebaghdadpost.com/ar/Story/1208/{AR_SLUG}"),
        ("/en/Story/43875", "https://www.thebaghdadpost.com/en/Story/43875"),
        ("/en/Page/1/About", None),
    ],
)
def test_canonical_of(url: str, canonical: str | None) -> None:
    assert canonical_of(url) == canonical


@pytest.mark.parametrize(
    ("title", "edition", "slug"),
    [
        (
            "Lebanon’s Hezbollah faces new sanctions over the economy",
            "en",
            "Lebanon-s-Hezbollah-faces-new-sanctions-over-the-economy",
        ),
        (
            "‘Iran on the brink. Iranians are turning the heat up on the Mullahs.’",
            "en",
            "Iran-on-the-brink-Iranians-are-turning-the-heat-up-on-the-Mullahs",
        ),
        (
            "Iraq reports 26,394 new coronavirus cases, 47 deaths",
            "en",
            "Iraq-reports-26-394-new-coronavirus-cases-47-deaths",
        ),
        ("Video: Houthi missile hits market in al-Bayda", "en", "Video-Houthi-missile-hits-market-in-al-Bayda"),
        ("ماذا بعد مقتل المتظاهرين؟", "ar", "ماذا-بعد-مقتل-المتظاهرين"),
    ],
)
def test_slugify(title: str, edition: str, slug: str) -> None:
    assert slugify(title, edition) == slug


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.thebaghdadpost.com/en/Story/1/x", "http://127.0.0.1:8000/en/Story/1/x"),
        ("https://thebaghdadpost.com/en/Section/1/x?page=2", "http://127.0.0.1:8000/en/Section/1/x?page=2"),
        ("https://twitter.com/BaghdadPostEN", "https://twitter.com/BaghdadPostEN"),
    ],
)
def test_rebase_onto_mirror(url: str, expected: str) -> None:
    assert rebase(url, "http://127.0.0.1:8000") == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("/Content/Upload/large/a.jpg", "https://www.thebaghdadpost.com/Content/Upload/large/a.jpg"),
        ("http://127.0.0.1:8000/Content/a.jpg", "https://www.thebaghdadpost.com/Content/a.jpg"),
        ("https://www.thebaghdadpost.com/Content/a.jpg", "https://www.thebaghdadpost.com/Content/a.jpg"),
        ("https://cdn.example.net/a.jpg", "https://cdn.example.net/a.jpg"),
    ],
)
def test_to_site(src: str, expected: str) -> None:
    assert to_site(src, "http://127.0.0.1:8000/en/Story/1/x", "http://127.0.0.1:8000") == expected
