"""Configuration from the environment and an optional ``genelit.toml``.

Precedence (highest first): environment variables, ``genelit.toml`` (path from ``GENELIT_CONFIG``,
else ``./genelit.toml``, else the per-user config directory), built-in defaults.

The NCBI API key is held as a :class:`pydantic.SecretStr`: its ``repr``/``str`` is masked, so it can
never leak into logs, exceptions, exports or reports by accident.
"""
from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from genelit.errors import ConfigError

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
APP_NAME = "genelit"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'genelit.db'}"


# the password of a database URL: scheme://user:PASSWORD@host/...
_URL_PASSWORD = re.compile(r"(?<=://)([^/:@]*):[^/]*@")


def printable_db_url(url: str) -> str:
    """A database URL as it may be shown in a message or a log: any password replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1:***@", url)


class Settings(BaseModel):
    """Everything genelit can be configured with.  Field names map to ``GENELIT_*`` env vars."""

    model_config = ConfigDict(frozen=True)

    db_url: str = Field(default_factory=default_db_url)
    eutils_url: str = DEFAULT_EUTILS_URL
    ncbi_email: str | None = None
    ncbi_api_key: SecretStr | None = None
    ncbi_tool: str = APP_NAME
    # requests per second; None = NCBI's limit (3/s, 10/s with an API key)
    rate_limit: float | None = None
    batch_size: int = 200
    max_retries: int = 6
    # seconds; first retry waits up to this, doubling per retry (full jitter); tests use a tiny base
    backoff_base: float = 0.5
    timeout: float = 30.0
    # read PubMed Central full text where it is open (False: abstracts only, `--abstract-only`)
    full_text: bool = True
    # extraction
    use_scispacy_model: str | None = None  # e.g. "en_core_sci_sm" if installed
    trained_ner: bool = True

    @property
    def requests_per_second(self) -> float:
        if self.rate_limit is not None:
            return self.rate_limit
        return 10.0 if self.ncbi_api_key else 3.0


# env var -> field
_ENV = {
    "GENELIT_DB_URL": "db_url",
    "GENELIT_EUTILS_URL": "eutils_url",
    "NCBI_EMAIL": "ncbi_email",
    "NCBI_API_KEY": "ncbi_api_key",
    "NCBI_TOOL": "ncbi_tool",
    "GENELIT_RATE_LIMIT": "rate_limit",
    "GENELIT_BATCH_SIZE": "batch_size",
    "GENELIT_MAX_RETRIES": "max_retries",
    "GENELIT_BACKOFF_BASE": "backoff_base",
    "GENELIT_TIMEOUT": "timeout",
    "GENELIT_SCISPACY_MODEL": "use_scispacy_model",
    "GENELIT_TRAINED_NER": "trained_ner",
    "GENELIT_FULL_TEXT": "full_text",
}


def config_file_path() -> Path | None:
    explicit = os.environ.get("GENELIT_CONFIG")
    if explicit:
        return Path(explicit)
    for candidate in (Path.cwd() / "genelit.toml", Path(platformdirs.user_config_dir(APP_NAME)) / "genelit.toml"):
        if candidate.is_file():
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    section = data.get("genelit", data)
    unknown = set(section) - set(Settings.model_fields)
    if unknown:
        raise ConfigError(f"unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
    return dict(section)


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults < genelit.toml < environment < explicit overrides."""
    values: dict[str, Any] = {}
    path = config_file_path()
    if path is not None:
        values.update(_read_toml(path))
    for env, field in _ENV.items():
        raw = os.environ.get(env)
        if raw not in (None, ""):
            values[field] = raw
    values.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(values.get("eutils_url"), str):
        values["eutils_url"] = values["eutils_url"].rstrip("/")
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {describe_invalid(exc, values)}") from None


# settings whose values never appear in a message, a log or a store, whatever their type
SECRET_FIELDS = frozenset({"ncbi_api_key"})


def describe_invalid(error: ValidationError, values: dict[str, Any]) -> str:
    """One line per problem: the setting (with its env var), what is wrong, and the value given --
    except for secrets, which are never echoed (a list or a number is still a secret)."""
    env_of = {field: env for env, field in _ENV.items()}
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        field = str(item["loc"][0]) if item["loc"] else "?"
        name = f"{field} ({env_of[field]})" if field in env_of else field
        given = "" if field in SECRET_FIELDS or field not in values else f", got {values[field]!r}"
        problems.append(f"{name}: {item['msg']}{given}")
    return "; ".join(problems)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Process-wide settings (read once)."""
    return load_settings()
