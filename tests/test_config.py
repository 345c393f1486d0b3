"""Configuration: defaults < genelit.toml < environment < explicit overrides; bad files are one-line errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from genelit.config import DEFAULT_EUTILS_URL, load_settings
from genelit.errors import ConfigError


def test_defaults_follow_ncbi_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENELIT_EUTILS_URL")
    s = load_settings()
    assert s.eutils_url == DEFAULT_EUTILS_URL
    assert s.requests_per_second == 3.0
    assert load_settings(ncbi_api_key="k").requests_per_second == 10.0
    assert s.batch_size == 200


def test_toml_is_read_and_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "genelit.toml"
    config.write_text(
        '[genelit]\neutils_url = "http://mirror.example/eutils/"\nncbi_email = "curator@lab.org"\nbatch_size = 100\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("GENELIT_CONFIG", str(config))
    monkeypatch.delenv("GENELIT_EUTILS_URL")
    s = load_settings()
    assert s.eutils_url == "http://mirror.example/eutils"  # trailing slash dropped
    assert s.ncbi_email == "curator@lab.org" and s.batch_size == 100
    monkeypatch.setenv("GENELIT_EUTILS_URL", "http://127.0.0.1:8080/eutils")
    monkeypatch.setenv("GENELIT_BATCH_SIZE", "50")
    s = load_settings()
    assert s.eutils_url == "http://127.0.0.1:8080/eutils" and s.batch_size == 50
    assert load_settings(batch_size=20).batch_size == 20


def test_api_key_is_masked_everywhere_it_could_be_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "SECRET-KEY-123")
    s = load_settings()
    assert s.ncbi_api_key is not None and s.ncbi_api_key.get_secret_value() == "SECRET-KEY-123"
    for text in (repr(s), str(s), s.model_dump_json()):
        assert "SECRET-KEY-123" not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not = [valid", "not valid TOML"),
        ("[genelit]\nbogus_setting = 1\n", "unknown setting(s)"),
        ("[genelit]\nbatch_size = \"many\"\n", "invalid configuration"),
    ],
)
def test_bad_config_files_are_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str) -> None:
    config = tmp_path / "genelit.toml"
    config.write_text(content, encoding="utf-8")
    monkeypatch.setenv("GENELIT_CONFIG", str(config))
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings()


def test_missing_explicit_config_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENELIT_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="not found"):
        load_settings()


@pytest.mark.parametrize("value", ['["SECRET-KEY-1234"]', "12345678901234567890", '{key = "SECRET-KEY-1234"}'])
def test_an_api_key_of_the_wrong_type_is_never_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    config = tmp_path / "genelit.toml"
    config.write_text(f"[genelit]\nncbi_api_key = {value}\n", encoding="utf-8")
    monkeypatch.setenv("GENELIT_CONFIG", str(config))
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert "ncbi_api_key (NCBI_API_KEY)" in message
    assert "SECRET" not in message and "1234567890" not in message and "\n" not in message


def test_an_invalid_ordinary_setting_names_its_variable_and_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENELIT_BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match=r"batch_size \(GENELIT_BATCH_SIZE\).*got 'many'"):
        load_settings()
