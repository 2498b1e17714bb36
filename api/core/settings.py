"""The one typed settings object, read from the environment once."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

#: The repository checkout that holds mkdocs.yml and site/ (the package is installed editable).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class IndexerMode(StrEnum):
    """Who applies the search outbox to this node's indexes."""

    INLINE = "inline"
    """The server itself."""
    EXTERNAL = "external"
    """`confrere index worker`, run beside it."""


class MailDelivery(StrEnum):
    """Who sends the outgoing mail queue."""

    INLINE = "inline"
    """The server itself."""
    EXTERNAL = "external"
    """`confrere mail worker`, run beside it."""


def _smtp_url(raw: str) -> str:
    """An `smtp://` or `smtps://` address with a host (and a numeric port, if any)."""
    if not raw:
        return ""
    parsed = urlparse(raw)
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if parsed.scheme not in {"smtp", "smtps"} or not parsed.hostname or port == -1:
        raise SettingsError(
            "CONFRERE_SMTP_URL must read smtp://user:password@host:587?starttls=true or "
            "smtps://user:password@host:465 (user, password, port and options optional)"
        )
    return raw


def _mail_from(raw: str) -> str:
    """A sender like `Confrere <no-reply@example.org>` or a bare address."""
    name, address = parseaddr(raw)
    if not re.match(r"^[^@\s<>]+@[^@\s<>]+$", address) or "\n" in raw or "\r" in raw:
        raise SettingsError(
            f"CONFRERE_MAIL_FROM is {raw!r}; give an address like "
            "'Confrere <no-reply@example.org>' or no-reply@example.org"
        )
    return formataddr((name, address)) if name else address


class JobReview(StrEnum):
    """Which postings staff review before they go live."""

    FIRST = "first"
    """An employer's first posting."""
    ALL = "all"
    NONE = "none"


def _choice(environ: Mapping[str, str], name: str, enum: type[StrEnum], default: StrEnum) -> Any:
    """A setting that is one of an enum's values, read case-insensitively."""
    raw = environ.get(name, default.value).strip().lower()
    try:
        return enum(raw)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise SettingsError(f"{name} is {raw!r}; use one of: {allowed}") from None


def _whole_number(
    environ: Mapping[str, str], name: str, default: int, lowest: int, highest: int
) -> int:
    """A whole number setting from `lowest` to `highest`, with a clear error otherwise."""
    raw = environ.get(name, str(default)).strip()
    if not raw.isascii() or not raw.isdigit() or not lowest <= int(raw) <= highest:
        raise SettingsError(f"{name} is {raw!r}; give a whole number from {lowest} to {highest}")
    return int(raw)


def _number(
    environ: Mapping[str, str], name: str, default: float, highest: float, hint: str
) -> float:
    """A number setting from 0 to `highest`; otherwise an error naming it, with `hint`."""
    raw = environ.get(name, str(default)).strip()
    try:
        number = float(raw)
    except ValueError:
        number = -1.0
    if not 0 <= number <= highest:  # NaN fails too
        raise SettingsError(f"{name} is {raw!r}; {hint}, at most {highest:.0f}")
    return number


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (any case); unset keeps `default`."""
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} is {raw!r}; give 1 or 0 (true or false)")


class SettingsError(ValueError):
    """A setting in the environment has a value Confrere cannot use."""


def _trusted_proxies(raw: str) -> tuple[str, ...]:
    """Proxy addresses and networks (`10.0.0.1`, `10.0.0.0/8`, `::1`), validated."""
    proxies = tuple(part.strip() for part in raw.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                f"CONFRERE_TRUSTED_PROXIES holds {proxy!r}; give IP addresses or networks "
                "like 10.0.0.0/8, separated by commas"
            ) from None
    return proxies


#: Listening on every interface names no address a browser can use.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", "[::]"})  # noqa: S104 (names, not a bind)


def served_site_url(host: str, port: int) -> str:
    """The site's address when CONFRERE_SITE_URL is not set: the one being served.

    A wildcard (`0.0.0.0`, `::`) becomes 127.0.0.1, which works in a browser on the same
    machine and through a forwarded port (a container, a VM); for visitors on other
    machines, set CONFRERE_SITE_URL to the address they use.
    """
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}/"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("var")
    """Where the SQLite file, the search indexes, the secret key and the built site live."""

    database_url: str = ""
    """`sqlite:///path` or `postgresql://user@host:port/db`; empty means SQLite in data_dir."""

    secret_key: str = ""
    """Signs bearer tokens; generated and kept in data_dir/secret_key when unset."""

    environment: Environment = Environment.DEVELOPMENT
    """`production` turns off introspection, GraphiQL and field suggestions."""

    token_lifetime_seconds: int = 14 * 24 * 3600
    """How long a bearer token from `login` stays valid."""

    login_failures_allowed: int = 5
    """Failed logins of one account from one client before each further try must wait a
    growing delay (30 s, then doubling up to the throttle window)."""

    login_failures_per_client: int = 50
    """Failed logins from one client, over every account, before growing delays."""

    login_failures_per_account: int = 20
    """Failed logins of one account from clients its owner never signed in from, before
    growing delays for them (the owner's own places are exempt)."""

    login_throttle_seconds: int = 15 * 60
    """The window over which failed logins are counted, and the longest delay."""

    registrations_per_client: int = 20
    """Registrations one client address may try per hour
    (`CONFRERE_REGISTRATIONS_PER_CLIENT`)."""

    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of reverse proxies whose `X-Forwarded-For` names the client
    (`CONFRERE_TRUSTED_PROXIES`, comma-separated); from anyone else the header is ignored."""

    indexer: IndexerMode = IndexerMode.INLINE
    """`inline`: the server applies the search outbox itself; `external`: `confrere index
    worker` does (one writer per index either way)."""

    job_review: JobReview = JobReview.FIRST
    """Which postings staff review before they go live: `first` (an employer's first),
    `all` or `none`."""

    job_posts_per_day: int = 20
    """How many postings one account may create in 24 hours."""

    site_source_dir: Path = field(default_factory=lambda: PROJECT_ROOT)
    """The folder holding mkdocs.yml and the hand-written site/ pages."""

    host: str = "127.0.0.1"
    """The address `confrere serve` listens on (`--host` overrides it)."""

    port: int = 8000
    """The port `confrere serve` listens on (`--port` overrides it)."""

    site_url: str = "http://127.0.0.1:8000/"
    """The public site's address, for canonical links, the sitemap, structured data, the
    `url` fields and calendars; by default the address being served (see `served_site_url`)."""

    site_url_given: bool = False
    """Whether CONFRERE_SITE_URL set `site_url` (else it follows host and port)."""

    site_rebuild_delay: float = 0.0
    """Seconds of quiet after a public change before the server rebuilds the site; 0: never
    (`CONFRERE_SITE_REBUILD_DELAY`, 30 by default; settings made in code start with 0)."""

    search_cache_mb: float = 256.0
    """Megabytes each search index may keep of what searches read from it (term and filter
    sets, postings, facet and sort columns), least recently used first out; 0 caches nothing,
    so every search reads the index afresh, tens of times slower (`CONFRERE_SEARCH_CACHE_MB`)."""

    response_cache_seconds: float = 2.0
    """Seconds an anonymous query's answer may be given again while nothing it was made
    from has changed (any database commit or search index commit makes it made afresh):
    what depends on the clock alone is at most this late; 0 keeps no answer
    (`CONFRERE_RESPONSE_CACHE_SECONDS`)."""

    response_cache_mb: float = 32.0
    """Megabytes of anonymous answers each app process may keep, least recently used first
    out (`CONFRERE_RESPONSE_CACHE_MB`)."""

    metrics_token: str = ""
    """When set, `GET /metrics` answers only requests bearing it (`Authorization: Bearer …`),
    as Prometheus' `authorization` scrape option sends it (`CONFRERE_METRICS_TOKEN`)."""

    metrics_dir: Path | None = None
    """Where the app processes of `confrere serve --workers N` share their metrics, so that
    one scrape of `/metrics` sums them (`PROMETHEUS_MULTIPROC_DIR`, read by prometheus_client
    itself too; `serve` sets it under the data dir and empties it at start)."""

    smtp_url: str = ""
    """The mail server (`CONFRERE_SMTP_URL`): `smtp://user:password@host:587?starttls=true`
    or `smtps://…` for implicit TLS; empty writes each message as an `.eml` file under
    data_dir/mail instead."""

    mail_from: str = "Confrere <no-reply@localhost>"
    """The sender of every message (`CONFRERE_MAIL_FROM`); its domain also names the
    Message-IDs."""

    mail_delivery: MailDelivery = MailDelivery.INLINE
    """`inline`: the server delivers the mail queue itself; `external`: `confrere mail
    worker` does (`CONFRERE_MAIL_DELIVERY`). Either way a message is claimed by one process."""

    require_verified_email: bool = True
    """Whether an account must verify its email before it reaches beyond its circle: public
    or employer resumes, job postings, invitations by mail, connection requests
    (`CONFRERE_REQUIRE_VERIFIED_EMAIL`, 1 or 0)."""

    digest_hour: int = 7
    """The hour (UTC, 0-23) after which the daily digests of notifications and the daily
    saved search alerts go out, and on Mondays the weekly ones (`CONFRERE_DIGEST_HOUR`)."""

    notification_retention_days: int = 90
    """Days a notification is kept once read; then it is deleted
    (`CONFRERE_NOTIFICATION_RETENTION_DAYS`)."""

    message_email_delay_seconds: int = 15 * 60
    """How long a new message waits unread before its recipient is emailed (if they chose
    email for MESSAGE_RECEIVED: the default); read by then, it is not
    (`CONFRERE_MESSAGE_EMAIL_DELAY_MINUTES`, 0-1440, default 15)."""

    message_requests_per_week: int = 20
    """How many message requests (first messages to candidates who are not otherwise
    reachable) each verified employer may send in any 7 days
    (`CONFRERE_MESSAGE_REQUESTS_PER_WEEK`; 0 turns message requests off)."""

    messages_per_minute: int = 120
    """How many messages one person may send in a minute, in all conversations
    (`CONFRERE_MESSAGES_PER_MINUTE`); past it, each further one waits a growing delay."""

    conversations_per_hour: int = 60
    """How many conversations one person may start in an hour
    (`CONFRERE_CONVERSATIONS_PER_HOUR`); past it, each further one waits a growing delay."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from `environ` (the process environment by default)."""
        environ = os.environ if environ is None else environ
        data_dir = Path(environ.get("CONFRERE_DATA_DIR", "var")).expanduser().resolve()
        environment = _choice(environ, "CONFRERE_ENV", Environment, Environment.DEVELOPMENT)
        indexer = _choice(environ, "CONFRERE_INDEXER", IndexerMode, IndexerMode.INLINE)
        job_review = _choice(environ, "CONFRERE_JOB_REVIEW", JobReview, JobReview.FIRST)
        host = environ.get("CONFRERE_HOST", cls.host).strip() or cls.host
        raw_port = environ.get("CONFRERE_PORT", str(cls.port)).strip()
        if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
            raise SettingsError(f"CONFRERE_PORT is {raw_port!r}; give a port from 1 to 65535")
        port = int(raw_port)
        site_url = environ.get("CONFRERE_SITE_URL", "").strip()
        site_url_given = bool(site_url)
        if not site_url_given:
            site_url = served_site_url(host, port)
        elif not re.match(r"^https?://[^\s/]+", site_url):
            raise SettingsError(f"CONFRERE_SITE_URL is {site_url!r}; give a full http(s) address")
        raw_delay = environ.get("CONFRERE_SITE_REBUILD_DELAY", "30")
        try:
            site_rebuild_delay = float(raw_delay)
        except ValueError:
            site_rebuild_delay = -1.0
        if not 0 <= site_rebuild_delay < 86400:
            raise SettingsError(
                f"CONFRERE_SITE_REBUILD_DELAY is {raw_delay!r}; give seconds (0 turns it off)"
            )
        trusted_proxies = _trusted_proxies(environ.get("CONFRERE_TRUSTED_PROXIES", ""))
        raw_registrations = environ.get(
            "CONFRERE_REGISTRATIONS_PER_CLIENT", str(cls.registrations_per_client)
        ).strip()
        if not raw_registrations.isascii() or not raw_registrations.isdigit():
            raise SettingsError(
                f"CONFRERE_REGISTRATIONS_PER_CLIENT is {raw_registrations!r}; give a whole number"
            )
        search_cache_mb = _number(
            environ, "CONFRERE_SEARCH_CACHE_MB", cls.search_cache_mb, 1024 * 1024,
            "give megabytes (0 turns caching off)",
        )  # fmt: skip
        response_cache_seconds = _number(
            environ, "CONFRERE_RESPONSE_CACHE_SECONDS", cls.response_cache_seconds, 3600,
            "give seconds (0 keeps no answer)",
        )  # fmt: skip
        response_cache_mb = _number(
            environ, "CONFRERE_RESPONSE_CACHE_MB", cls.response_cache_mb, 64 * 1024,
            "give megabytes",
        )  # fmt: skip
        metrics_token = environ.get("CONFRERE_METRICS_TOKEN", "").strip()
        if metrics_token and (len(metrics_token) < 16 or not metrics_token.isprintable()):
            raise SettingsError(
                "CONFRERE_METRICS_TOKEN must be at least 16 printable characters "
                "(`openssl rand -hex 24` makes one), or unset"
            )
        raw_metrics_dir = environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
        smtp_url = _smtp_url(environ.get("CONFRERE_SMTP_URL", "").strip())
        mail_from = _mail_from(environ.get("CONFRERE_MAIL_FROM", cls.mail_from).strip())
        mail_delivery = _choice(
            environ, "CONFRERE_MAIL_DELIVERY", MailDelivery, MailDelivery.INLINE
        )
        digest_hour = _whole_number(environ, "CONFRERE_DIGEST_HOUR", cls.digest_hour, 0, 23)
        retention_days = _whole_number(
            environ,
            "CONFRERE_NOTIFICATION_RETENTION_DAYS",
            cls.notification_retention_days,
            1,
            36_500,
        )
        message_email_delay_minutes = _whole_number(
            environ,
            "CONFRERE_MESSAGE_EMAIL_DELAY_MINUTES",
            cls.message_email_delay_seconds // 60,
            0,
            1440,
        )
        message_requests = _whole_number(
            environ,
            "CONFRERE_MESSAGE_REQUESTS_PER_WEEK",
            cls.message_requests_per_week,
            0,
            1_000_000,
        )
        messages_per_minute = _whole_number(
            environ, "CONFRERE_MESSAGES_PER_MINUTE", cls.messages_per_minute, 1, 1_000_000
        )
        conversations_per_hour = _whole_number(
            environ, "CONFRERE_CONVERSATIONS_PER_HOUR", cls.conversations_per_hour, 1, 1_000_000
        )
        settings = cls(
            data_dir=data_dir,
            messages_per_minute=messages_per_minute,
            message_email_delay_seconds=message_email_delay_minutes * 60,
            conversations_per_hour=conversations_per_hour,
            message_requests_per_week=message_requests,
            digest_hour=digest_hour,
            notification_retention_days=retention_days,
            metrics_dir=Path(raw_metrics_dir).resolve() if raw_metrics_dir else None,
            smtp_url=smtp_url,
            mail_from=mail_from,
            mail_delivery=mail_delivery,
            metrics_token=metrics_token,
            search_cache_mb=search_cache_mb,
            response_cache_seconds=response_cache_seconds,
            response_cache_mb=response_cache_mb,
            trusted_proxies=trusted_proxies,
            registrations_per_client=int(raw_registrations),
            database_url=environ.get("DATABASE_URL", ""),
            secret_key=environ.get("CONFRERE_SECRET_KEY", ""),
            environment=environment,
            indexer=indexer,
            job_review=job_review,
            host=host,
            port=port,
            site_url=site_url.rstrip("/") + "/",
            site_url_given=site_url_given,
            site_rebuild_delay=site_rebuild_delay,
            require_verified_email=_flag(environ, "CONFRERE_REQUIRE_VERIFIED_EMAIL", True),
        )
        settings.database_kind  # validates DATABASE_URL early, with a clear message  # noqa: B018
        return settings

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def secure_cookies(self) -> bool:
        """The browser session's cookie is `Secure` in production and wherever the site is
        served over HTTPS (a development server on http://127.0.0.1 could not keep it)."""
        return self.is_production or self.site_url.startswith("https://")

    @property
    def database_kind(self) -> str:
        """`sqlite` or `postgres`, from DATABASE_URL."""
        if not self.database_url:
            return "sqlite"
        scheme = urlparse(self.database_url).scheme
        if scheme == "sqlite":
            return "sqlite"
        if scheme in {"postgres", "postgresql"}:
            return "postgres"
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:/// or postgresql://, not {scheme or '?'}://"
        )

    @property
    def sqlite_path(self) -> Path:
        if self.database_url:
            return Path(urlparse(self.database_url).path.removeprefix("/")).resolve()
        return self.data_dir / "confrere.sqlite3"

    @property
    def site_dir(self) -> Path:
        """The built static site served at `/` (a symlink swapped atomically on each build)."""
        return self.data_dir / "site"

    @property
    def mail_dir(self) -> Path:
        """Where messages land as `.eml` files when no mail server is configured."""
        return self.data_dir / "mail"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "indexes"

    def ensure_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)

    def resolved_secret_key(self) -> str:
        """The signing key: the configured one, or one generated once and kept in data_dir."""
        if self.secret_key:
            return self.secret_key
        self.ensure_data_dir()
        key_file = self.data_dir / "secret_key"
        try:
            return key_file.read_text().strip()
        except FileNotFoundError:
            pass
        key = secrets.token_urlsafe(48)
        # Written aside, then linked into place: when two processes start at once, the
        # link of one fails and both end up reading the same complete key.
        temporary = key_file.with_name(f".secret_key.{os.getpid()}")
        temporary.write_text(key)
        temporary.chmod(0o600)
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            key = key_file.read_text().strip()
        finally:
            temporary.unlink()
        return key
