"""The ``sections`` argument against the home pages: which asked sections were found, and one line saying why
the others were not (linked from another edition's home page than the one asked for, or from none)."""

from __future__ import annotations

from collections.abc import Iterable

from newscrawler.baghdadpost.listing import SectionLink


def link_names(link: SectionLink) -> set[str]:
    """The names a section can be asked by: its id and its slug (lower case)."""
    return {str(link.section_id), link.slug.lower()}


class SectionCheck:
    """Asked section names, and where the home pages read so far link them."""

    def __init__(self, asked: frozenset[str]) -> None:
        self.asked = asked
        self.found: set[str] = set()
        self.elsewhere: dict[str, str] = {}

    def wanted(self, link: SectionLink) -> bool:
        """True when ``link`` (on an asked edition's home page) is a section to crawl; remembers it as found."""
        names = link_names(link) & self.asked
        self.found |= names
        return not self.asked or bool(names)

    def saw_other_edition(self, links: Iterable[SectionLink], edition: str) -> None:
        """Remember which missing sections another edition's home page links to."""
        for link in links:
            for name in link_names(link) & self.missing():
                self.elsewhere.setdefault(name, edition)

    def missing(self) -> set[str]:
        return set(self.asked - self.found)

    def message(self, editions: Iterable[str]) -> str:
        """One line for the missing sections, given the editions asked for.

        >>> check = SectionCheck(frozenset({"1", "iran", "999"}))
        >>> check.saw_other_edition([SectionLink(1, "Iraq-News", "/x"), SectionLink(3, "Iran", "/y")], "en")
        >>> print(check.message(["ar"]))
        section(s) 1, iran belong to the en edition, not ar: use -a edition=en or edition=all; unknown section(s): 999
        """
        parts = []
        for edition in sorted(set(self.elsewhere.values())):
            names = ", ".join(sorted(n for n, e in self.elsewhere.items() if e == edition))
            parts.append(
                f"section(s) {names} belong to the {edition} edition, not {'/'.join(editions)}: "
                f"use -a edition={edition} or edition=all"
            )
        unknown = sorted(self.missing() - set(self.elsewhere))
        if unknown:
            parts.append(f"unknown section(s): {', '.join(unknown)}")
        if unknown and not self.elsewhere:
            parts[-1] += " (not linked from any edition's home page)"
        return "; ".join(parts)
