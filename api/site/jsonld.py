"""schema.org structured data for board pages: JobPosting, ProfilePage, Organization, Event.

Each builder takes a node as the GraphQL API answered it and returns a plain dict; `dumps`
serializes it for a `<script type="application/ld+json">` element so that no user text can
close the element (`<`, `>` and `&` become JSON escapes).
"""

from __future__ import annotations

import html
import json
from typing import Any

from api.core.markup import is_web_address, plain_text

CONTEXT = "https://schema.org"
#: Google for Jobs' employmentType values are our enum's names, bar none.
EMPLOYMENT_TYPES = {
    "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM",
    "OTHER",
}  # fmt: skip
ATTENDANCE_MODES = {
    "IN_PERSON": "https://schema.org/OfflineEventAttendanceMode",
    "VIRTUAL": "https://schema.org/OnlineEventAttendanceMode",
    "HYBRID": "https://schema.org/MixedEventAttendanceMode",
}


def dumps(data: dict[str, Any]) -> str:
    """JSON that is safe inside a script element: `</script>` cannot appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def web_url(value: str | None) -> str | None:
    """The address if it is an absolute http(s) URL, else None (never javascript: or data:)."""
    if not value:
        return None
    value = value.strip()
    return value if is_web_address(value) else None


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _address(location: dict[str, Any], *, street: bool = True) -> dict[str, Any]:
    return _compact(
        {
            "@type": "PostalAddress",
            "streetAddress": location.get("address") if street else None,
            "addressLocality": location.get("city"),
            "addressRegion": location.get("region"),
            "postalCode": location.get("postalCode") if street else None,
            "addressCountry": location.get("countryCode"),
        }
    )


def organization(org: dict[str, Any], page_url: str | None) -> dict[str, Any]:
    return _compact(
        {
            "@type": "Organization",
            "name": org["name"],
            "url": page_url,
            "sameAs": web_url(org.get("website")),
            "description": org.get("description") or org.get("interest"),
        }
    )


def organization_page(org: dict[str, Any], page_url: str) -> dict[str, Any]:
    return {"@context": CONTEXT, **organization(org, page_url)}


def job_posting(
    job: dict[str, Any], org: dict[str, Any] | None, page_url: str, org_url: str | None
) -> dict[str, Any]:
    """Every property Google for Jobs requires, and the recommended ones the posting has."""
    description = job["descriptionHtml"] or f"<p>{html.escape(job['title'])}</p>"
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "JobPosting",
        "title": job["title"],
        "description": description,
        "datePosted": job["datePosted"],
        "validThrough": job["validThrough"],
        "url": page_url,
        "employmentType": [t for t in job["employmentTypes"] if t in EMPLOYMENT_TYPES],
    }
    if org is not None:
        data["hiringOrganization"] = organization(org, org_url)
    places = [{"@type": "Place", "address": _address(location)} for location in job["locations"]]
    if places:
        data["jobLocation"] = places
    if job["workplaceType"] == "REMOTE":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = [
            {"@type": "Country", "name": code} for code in job["applicantCountries"]
        ]
    salary = job.get("salary")
    if salary and (salary["min"] is not None or salary["max"] is not None):
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": salary["currency"],
            "value": _compact(
                {
                    "@type": "QuantitativeValue",
                    "minValue": salary["min"],
                    "maxValue": salary["max"],
                    "unitText": salary["unit"],
                }
            ),
        }
    if job.get("identifier"):
        data["identifier"] = _compact(
            {
                "@type": "PropertyValue",
                "name": org["name"] if org else None,
                "value": job["identifier"],
            }
        )
    # Applying on the employer's own site is not a direct application on this one.
    data["directApply"] = not job.get("applyUrl")
    if job.get("skills"):
        data["skills"] = ", ".join(job["skills"])
    if job.get("experienceMonths") is not None:
        data["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": job["experienceMonths"],
        }
    if job.get("educationLevel"):
        data["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": job["educationLevel"],
        }
    if job.get("responsibilities"):
        data["responsibilities"] = "\n".join(job["responsibilities"])
    if job.get("qualifications"):
        data["qualifications"] = "\n".join(job["qualifications"])
    return _compact(data)


def profile_page(resume: dict[str, Any], page_url: str) -> dict[str, Any]:
    """A ProfilePage about a Person: never an email address or a telephone number."""
    basics = resume.get("basics") or {}
    owner = resume.get("owner") or {}
    location = basics.get("location") or {}
    same_as = [
        url
        for url in [basics.get("url"), *[p.get("url") for p in basics.get("profiles") or []]]
        if web_url(url)
    ]
    schools = [
        {"@type": "EducationalOrganization", "name": school["institution"]}
        for school in resume.get("education") or []
        if school.get("institution")
    ]
    person = _compact(
        {
            "@type": "Person",
            "name": basics.get("name") or owner.get("name") or resume["title"],
            "jobTitle": resume.get("currentTitle") or basics.get("label"),
            "description": basics.get("summary") or owner.get("headline"),
            "image": web_url(basics.get("image")),
            "address": _address(location, street=False) if location else None,
            "worksFor": (
                {"@type": "Organization", "name": resume["currentEmployer"]}
                if resume.get("currentEmployer")
                else None
            ),
            "alumniOf": schools,
            "knowsAbout": [s["name"] for s in resume.get("skills") or [] if s.get("name")],
            "knowsLanguage": [
                lang["language"] for lang in resume.get("languages") or [] if lang.get("language")
            ],
            "sameAs": same_as,
        }
    )
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "ProfilePage",
            "url": page_url,
            "dateModified": resume.get("updatedAt"),
            "mainEntity": person,
        }
    )


def event(
    item: dict[str, Any], org: dict[str, Any] | None, page_url: str, org_url: str | None
) -> dict[str, Any]:
    place = _compact(
        {
            "@type": "Place",
            "name": item.get("venue"),
            "address": item.get("address"),
        }
    )
    virtual = {"@type": "VirtualLocation", "url": page_url}
    location: Any = {"IN_PERSON": place, "VIRTUAL": virtual, "HYBRID": [place, virtual]}.get(
        item["format"], place
    )
    description_html = item.get("descriptionHtml") or ""
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "name": item["title"],
            "description": plain_text(description_html) if description_html else None,
            "startDate": item["startsAt"],
            "endDate": item["endsAt"],
            "url": page_url,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": ATTENDANCE_MODES.get(item["format"]),
            "location": location if location else None,
            "organizer": organization(org, org_url) if org else None,
            "maximumAttendeeCapacity": item.get("capacity"),
        }
    )
