"""The HGNC gene lexicon: build it from an HGNC table, load it, refresh it from HGNC.

Two input layouts are understood because HGNC publishes both:

* the "custom downloads" layout of the project snapshot (``HGNC ID``, ``Approved symbol``,
  ``Approved name``, ``Status``, ``Alias symbols`` and ``Previous symbols`` as ``", "``-separated lists,
  ``NCBI Gene ID(supplied by NCBI)``, ``Locus type``);
* the complete set HGNC publishes monthly (``hgnc_id``, ``symbol``, ``name``, ``status``,
  ``alias_symbol``/``prev_symbol``/``alias_name``/``prev_name`` as ``"|"``-separated, quoted lists,
  ``entrez_id``, ``locus_type``).

Only what the gene extractor needs is kept, as a compact gzip TSV whose first line is a ``#`` JSON
header carrying the version (source, date, row count, sha256 of the source).  The copy vendored in
``extractors/data`` is used unless ``genelit lexicon update`` has written a newer one into the per-user
data directory.  Updating never replaces a working lexicon with a broken or partial one: the new file is
parsed and written beside the old and swapped in atomically.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from genelit.config import default_data_dir
from genelit.errors import GenelitError, InputError
from genelit.files import atomic_write

HGNC_COMPLETE_SET_URL = (
    "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt"
)
LEXICON_FILENAME = "hgnc_lexicon.tsv.gz"
VENDORED_LEXICON = Path(__file__).parent / "data" / LEXICON_FILENAME
DOWNLOAD_TIMEOUT_S = 60.0

# our field -> accepted source column names (snapshot layout first, complete-set layout second)
_COLUMNS: dict[str, tuple[str, ...]] = {
    "hgnc_id": ("HGNC ID", "hgnc_id"),
    "symbol": ("Approved symbol", "symbol"),
    "name": ("Approved name", "name"),
    "status": ("Status", "status"),
    "aliases": ("Alias symbols", "alias_symbol"),
    "previous": ("Previous symbols", "prev_symbol"),
    "ncbi_gene_id": ("NCBI Gene ID(supplied by NCBI)", "NCBI Gene ID", "entrez_id"),
    "locus_type": ("Locus type", "locus_type"),
    "alias_names": ("Alias names", "alias_name"),
    "previous_names": ("Previous name", "Previous names", "prev_name"),
}
_REQUIRED = ("hgnc_id", "symbol", "name", "status")
_LIST_FIELDS = ("aliases", "previous", "alias_names", "previous_names")
_STORED_FIELDS = (
    "hgnc_id", "symbol", "name", "status", "aliases", "previous", "ncbi_gene_id", "locus_type",
    "alias_names", "previous_names",
)
_WITHDRAWN_POINTER = re.compile(r"HGNC:\d+")


@dataclass(frozen=True)
class HgncRecord:
    """One HGNC entry, reduced to what gene recognition and symbol resolution use."""

    hgnc_id: str
    symbol: str
    name: str
    status: str  # "Approved", "Symbol Withdrawn" or "Entry Withdrawn"
    aliases: tuple[str, ...] = ()
    previous: tuple[str, ...] = ()
    ncbi_gene_id: str = ""
    locus_type: str = ""
    alias_names: tuple[str, ...] = ()
    previous_names: tuple[str, ...] = ()

    @property
    def approved(self) -> bool:
        return self.status == "Approved"

    @property
    def replaced_by(self) -> tuple[str, ...]:
        """For a withdrawn symbol, the HGNC ids HGNC points to ("symbol withdrawn, see HGNC:12469")."""
        return () if self.approved else tuple(dict.fromkeys(_WITHDRAWN_POINTER.findall(self.name)))


@dataclass(frozen=True)
class LexiconInfo:
    """Where the active lexicon came from and what it holds."""

    path: Path
    source: str
    date: str
    rows: int
    sha256: str
    approved: int
    withdrawn: int

    @property
    def version(self) -> str:
        return version_string(self.date, self.rows, self.sha256)


def version_string(date: str, rows: int, sha256: str) -> str:
    """The lexicon version recorded with every extraction: release date, size and source hash."""
    return f"HGNC {date} ({rows} rows, sha256:{sha256[:12]})"


def _split_list(value: str) -> tuple[str, ...]:
    """HGNC list cells: '"A|B"' in the complete set, 'A, B' in custom downloads."""
    value = value.strip().strip('"')
    if not value:
        return ()
    parts = value.split("|") if "|" in value else value.split(", ")
    return tuple(p.strip().strip('"') for p in parts if p.strip().strip('"'))


def _column_map(header: list[str]) -> dict[str, int]:
    """Our field -> column index; raises InputError when the table is not an HGNC table."""
    positions = {name.strip(): i for i, name in enumerate(header)}
    found = {}
    for field, names in _COLUMNS.items():
        for name in names:
            if name in positions:
                found[field] = positions[name]
                break
    missing = [f for f in _REQUIRED if f not in found]
    if missing:
        raise InputError(
            f"not an HGNC table: missing column(s) for {', '.join(missing)} "
            "(expected HGNC complete set or custom-download TSV)"
        )
    return found


def parse_hgnc_table(text: str) -> list[HgncRecord]:
    """Parse an HGNC TSV (either layout) into records; rows without an HGNC id are skipped."""
    rows = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    if header is None:
        raise InputError("HGNC table is empty")
    cols = _column_map(header)
    records = []
    for row in rows:
        cells = {f: (row[i].strip() if i < len(row) else "") for f, i in cols.items()}
        if not cells["hgnc_id"].startswith("HGNC:"):
            continue
        records.append(
            HgncRecord(
                hgnc_id=cells["hgnc_id"],
                symbol=cells["symbol"],
                name=cells["name"].strip('"'),
                status=cells["status"],
                aliases=_split_list(cells.get("aliases", "")),
                previous=_split_list(cells.get("previous", "")),
                ncbi_gene_id=cells.get("ncbi_gene_id", "").strip('"'),
                locus_type=cells.get("locus_type", "").strip('"'),
                alias_names=_split_list(cells.get("alias_names", "")),
                previous_names=_split_list(cells.get("previous_names", "")),
            )
        )
    if not records:
        raise InputError("HGNC table has no gene rows")
    return records


def _compact_name(record: HgncRecord) -> str:
    """Withdrawn rows keep only their pointer ("see HGNC:12469"), not HGNC's markdown link."""
    if record.replaced_by and record.name.startswith("symbol withdrawn"):
        return "symbol withdrawn, see " + ", ".join(record.replaced_by)
    return record.name


def write_lexicon(records: list[HgncRecord], dest: Path, *, source: str, date: str, sha256: str) -> None:
    """Write the compact lexicon (gzip TSV with a JSON version header), atomically."""
    header = {"source": source, "date": date, "rows": len(records), "sha256": sha256}
    dest.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.write("# " + json.dumps(header) + "\n")
            fh.write("\t".join(_STORED_FIELDS) + "\n")
            for r in records:
                values = {f: getattr(r, f) for f in _STORED_FIELDS}
                values["name"] = _compact_name(r)
                fh.write("\t".join("|".join(v) if isinstance(v, tuple) else v for v in values.values()) + "\n")

    atomic_write(dest, write)


def read_lexicon(path: Path) -> tuple[dict[str, str | int], list[HgncRecord]]:
    """Read a compact lexicon: (header, records)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = json.loads(fh.readline()[2:])
        fields = fh.readline().rstrip("\n").split("\t")
        records = []
        for line in fh:
            values = dict(zip(fields, line.rstrip("\n").split("\t")))
            for f in _LIST_FIELDS:
                values[f] = tuple(v for v in values.get(f, "").split("|") if v)
            records.append(HgncRecord(**{f: values.get(f, "") for f in _STORED_FIELDS}))
    return header, records


def build_lexicon(raw: bytes, dest: Path, *, source: str, date: str | None = None) -> LexiconInfo:
    """Build the compact lexicon at ``dest`` from the bytes of an HGNC table (plain or gzip)."""
    sha = hashlib.sha256(raw).hexdigest()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    records = parse_hgnc_table(raw.decode("utf-8", errors="replace"))
    write_lexicon(records, dest, source=source, date=date or dt.date.today().isoformat(), sha256=sha)
    return lexicon_info(dest)


def user_lexicon_path(data_dir: Path | None = None) -> Path:
    return (data_dir or default_data_dir()) / LEXICON_FILENAME


def active_lexicon_path(data_dir: Path | None = None) -> Path:
    """The user's updated lexicon if there is one, else the vendored copy."""
    user = user_lexicon_path(data_dir)
    return user if user.is_file() else VENDORED_LEXICON


def _fetch(source: str) -> tuple[bytes, str]:
    """Bytes of ``source`` (URL or local file) and its date (Last-Modified / file mtime / today)."""
    if re.match(r"^[a-z]+://", source) and not source.startswith("file://"):
        try:
            with urllib.request.urlopen(source, timeout=DOWNLOAD_TIMEOUT_S) as resp:  # noqa: S310
                raw = resp.read()
                modified = resp.headers.get("Last-Modified")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GenelitError(
                f"cannot download the HGNC complete set from {source} ({reason}); the current lexicon is kept"
            ) from exc
        date = dt.date.today().isoformat()
        if modified:
            try:
                date = dt.datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S %Z").date().isoformat()
            except ValueError:
                pass
        return raw, date
    path = Path(source.removeprefix("file://")).expanduser()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read HGNC file {path}: {exc.strerror or exc}") from exc
    return raw, dt.date.fromtimestamp(path.stat().st_mtime).isoformat()


def update_lexicon(source: str | None = None, data_dir: Path | None = None) -> LexiconInfo:
    """Rebuild the per-user lexicon from HGNC (default: the published complete set).

    On any failure the previous lexicon stays in place and a :class:`GenelitError` explains why.
    """
    source = source or HGNC_COMPLETE_SET_URL
    raw, date = _fetch(source)
    return build_lexicon(raw, user_lexicon_path(data_dir), source=source, date=date)


def lexicon_info(path: Path | None = None) -> LexiconInfo:
    """Version and counts of a lexicon file (default: the active one)."""
    path = path or active_lexicon_path()
    header, records = read_lexicon(path)
    approved = sum(r.approved for r in records)
    return LexiconInfo(
        path=path,
        source=str(header.get("source", "")),
        date=str(header.get("date", "")),
        rows=int(header.get("rows", len(records))),
        sha256=str(header.get("sha256", "")),
        approved=approved,
        withdrawn=len(records) - approved,
    )


@lru_cache(maxsize=2)
def _load(path: Path, mtime_ns: int) -> tuple[str, tuple[HgncRecord, ...]]:
    header, records = read_lexicon(path)
    version = version_string(str(header.get("date", "")), int(header.get("rows", len(records))), str(header.get("sha256", "")))
    return version, tuple(records)


def _read_header(path: Path) -> dict[str, str | int]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.loads(fh.readline()[2:])


@lru_cache(maxsize=2)
def _version(path: Path, mtime_ns: int) -> str:
    header = _read_header(path)
    return version_string(str(header.get("date", "")), int(header.get("rows", 0)), str(header.get("sha256", "")))


def active_version() -> str:
    """Version of the active lexicon, from its header only (cheap: no rows are parsed)."""
    path = active_lexicon_path()
    return _version(path, path.stat().st_mtime_ns)


def load_lexicon() -> tuple[str, tuple[HgncRecord, ...]]:
    """(version, records) of the active lexicon, read once per process and file version.

    Keyed on the file's mtime so that a ``genelit lexicon update`` in the same process is picked up.
    """
    path = active_lexicon_path()
    return _load(path, path.stat().st_mtime_ns)

