"""People on the board: a public resume's sections as HTML, one entry per person on the
People index, and names in family-name order."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from nameparser import HumanName

from api.site.formats import date_range
from api.site.pages import e, external_link


def person_name(resume: dict[str, Any]) -> str:
    basics = resume.get("basics") or {}
    owner = resume.get("owner") or {}
    return basics.get("name") or owner.get("name") or resume["title"] or "A member"


def _folded(text: str) -> str:
    """Case and accents folded, for sorting (Ångström next to Andersen, not after Z)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def family_name_key(name: str) -> tuple[str, str, str]:
    """Sorts by family name, then given names: titles and honorifics ("Herr",
    "Dipl.-Ing.", "Dr."), suffixes ("MBA", "B.Sc.") and lowercase particles ("van", "de")
    do not count; "Le Blanc" sorts under L. A name of one word sorts by that word."""
    parsed = HumanName(name)
    family = " ".join(word for word in parsed.last.split() if not word.islower()) or parsed.last
    given = " ".join(part for part in (parsed.first, parsed.middle) if part)
    if not family:
        family, given = given or name, ""
    return (_folded(family), _folded(given), _folded(name))


Resume = dict[str, Any]


def one_per_person(resumes: Iterable[Resume]) -> list[tuple[Resume, list[Resume]]]:
    """Each person once: (the resume the People index links to, their other public
    resumes). A person's primary resume leads, else their latest; resumes whose owner the
    public may not see stand alone."""
    by_owner: dict[str, list[dict[str, Any]]] = {}
    alone: list[list[dict[str, Any]]] = []
    for resume in resumes:
        owner = resume.get("owner")
        if owner and owner.get("id"):
            by_owner.setdefault(owner["id"], []).append(resume)
        else:
            alone.append([resume])
    people = []
    for group in [*by_owner.values(), *alone]:
        group.sort(
            key=lambda r: (bool(r.get("isPrimary")), r.get("updatedAt") or "", r["id"]),
            reverse=True,
        )
        people.append((group[0], group[1:]))
    return people


def _when(start: str | None, end: str | None, *, open_ended: bool = True) -> str:
    """Dates, kept on one line (a range never breaks inside)."""
    text = date_range(start, end, open_ended=open_ended)
    return f'<span class="confrere-when">{e(text)}</span>' if text else ""


def _aside(text: str | None) -> str:
    return e(text) if text else ""


def _meta(*parts: str) -> str:
    """The line under an entry's heading: its dates, place, level."""
    shown = [part for part in parts if part]
    return f'<div class="confrere-meta">{" · ".join(shown)}</div>' if shown else ""


def _list(items: Iterable[Any] | None) -> str:
    shown = [item for item in items or [] if item]
    if not shown:
        return ""
    return "<ul>" + "".join(f"<li>{e(item)}</li>" for item in shown) + "</ul>"


def _keywords(words: Iterable[Any] | None) -> str:
    shown = [word for word in words or [] if word]
    if not shown:
        return ""
    return (
        '<ul class="confrere-keywords">'
        + "".join(f"<li>{e(word)}</li>" for word in shown)
        + "</ul>"
    )


def _paragraph(text: str | None) -> str:
    return f"<p>{e(text)}</p>" if text else ""


def _titled(name: str | None, url: str | None) -> str:
    return f"<strong>{external_link(url, name) if url else e(name or '')}</strong>"


def _section(
    title: str, entries: list[dict[str, Any]] | None, entry: Callable[[dict[str, Any]], str]
) -> str:
    shown = [entry(item) for item in entries or []]
    shown = [text for text in shown if text]
    if not shown:
        return ""
    return f'<h2>{e(title)}</h2><ul class="confrere-entries">' + "".join(shown) + "</ul>"


def _work(work: dict[str, Any]) -> str:
    if not (work.get("position") or work.get("name")):
        return ""
    role = e(work.get("position") or "")
    employer = external_link(work.get("url"), work.get("name")) if work.get("name") else ""
    heading = " at ".join(p for p in (f"<strong>{role}</strong>" if role else "", employer) if p)
    meta = _meta(_when(work.get("startDate"), work.get("endDate")), _aside(work.get("location")))
    return (
        f"<li>{heading}{meta}{_paragraph(work.get('summary'))}{_list(work.get('highlights'))}</li>"
    )


def _volunteer(item: dict[str, Any]) -> str:
    if not (item.get("position") or item.get("organization")):
        return ""
    heading = " at ".join(
        part
        for part in (
            f"<strong>{e(item['position'])}</strong>" if item.get("position") else "",
            external_link(item.get("url"), item.get("organization"))
            if item.get("organization")
            else "",
        )
        if part
    )
    return (
        f"<li>{heading}{_meta(_when(item.get('startDate'), item.get('endDate')))}"
        f"{_paragraph(item.get('summary'))}{_list(item.get('highlights'))}</li>"
    )


def _education(school: dict[str, Any]) -> str:
    if not (school.get("institution") or school.get("area")):
        return ""
    what = ", ".join(e(v) for v in (school.get("studyType"), school.get("area")) if v)
    score = f"<p>Score: {e(school['score'])}</p>" if school.get("score") else ""
    courses = _list(school.get("courses"))
    return (
        f"<li>{_titled(school.get('institution'), school.get('url'))}"
        + (f" {what}" if what else "")
        + _meta(_when(school.get("startDate"), school.get("endDate"), open_ended=False))
        + score
        + courses
        + "</li>"
    )


def _project(project: dict[str, Any]) -> str:
    if not project.get("name"):
        return ""
    roles = ", ".join(e(role) for role in project.get("roles") or [] if role)
    facts = " · ".join(v for v in (roles, e(project.get("entity") or "")) if v)
    return (
        f"<li>{_titled(project['name'], project.get('url'))}"
        + _meta(_when(project.get("startDate"), project.get("endDate"), open_ended=False), facts)
        + _paragraph(project.get("description"))
        + _list(project.get("highlights"))
        + _keywords(project.get("keywords"))
        + "</li>"
    )


def _dated(
    title: str, by: str, date: str, *, joiner: str = " from ", linked: bool, summary: bool
) -> Callable[[dict[str, Any]], str]:
    """An award, certificate or publication: its title, who gave or published it, when, and
    (for those that have one) a link and a summary."""

    def entry(item: dict[str, Any]) -> str:
        if not item.get(title):
            return ""
        given_by = f"{joiner}{e(item[by])}" if item.get(by) else ""
        about = _paragraph(item.get("summary")) if summary else ""
        return (
            f"<li>{_titled(item[title], item.get('url') if linked else None)}{given_by}"
            f"{_meta(_when(item.get(date), None, open_ended=False))}{about}</li>"
        )

    return entry


_award = _dated("title", "awarder", "date", linked=False, summary=True)
_certificate = _dated("name", "issuer", "date", linked=True, summary=False)
_publication = _dated("name", "publisher", "releaseDate", joiner=", ", linked=True, summary=True)


def _skill(skill: dict[str, Any]) -> str:
    if not skill.get("name"):
        return ""
    level = _meta(_aside(skill.get("level")))
    return f"<li><strong>{e(skill['name'])}</strong>{level}{_keywords(skill.get('keywords'))}</li>"


def _interest(interest: dict[str, Any]) -> str:
    if not interest.get("name"):
        return ""
    return f"<li><strong>{e(interest['name'])}</strong>{_keywords(interest.get('keywords'))}</li>"


def resume_sections(resume: dict[str, Any]) -> str:
    """Every JSON Resume section the public may see, in the order a resume reads.

    References are left out: they quote other people, who did not choose to be public.
    """
    languages = [lang for lang in resume.get("languages") or [] if lang.get("language")]
    language_html = (
        "<h2>Languages</h2><p>"
        + ", ".join(
            e(lang["language"]) + (f" ({e(lang['fluency'])})" if lang.get("fluency") else "")
            for lang in languages
        )
        + "</p>"
        if languages
        else ""
    )
    return "".join(
        (
            _section("Experience", resume.get("work"), _work),
            _section("Projects", resume.get("projects"), _project),
            _section("Education", resume.get("education"), _education),
            _section("Skills", resume.get("skills"), _skill),
            language_html,
            _section("Volunteering", resume.get("volunteer"), _volunteer),
            _section("Awards", resume.get("awards"), _award),
            _section("Certificates", resume.get("certificates"), _certificate),
            _section("Publications", resume.get("publications"), _publication),
            _section("Interests", resume.get("interests"), _interest),
        )
    )
