"""The compiled gene lexicon (:class:`GeneIndex`): HGNC synonyms and the corpus gazetteer by piece key.

The lexicon (approved symbols, previous symbols, aliases, names, derived Greek and first-member forms,
family names) is indexed by the key of its pieces (:mod:`extractors.gene_pieces`), with the tables the
scanner needs to try only pieces that can start a key.  HGNC lacks much of what abstracts call genes
("gankyrin", "Wnt", mouse "AT1a"): a gazetteer learned from BioRED **Train** gold (vendored as
``data/biored_train_gene_gazetteer.tsv.gz``, learned by ``training/learn_gene_gazetteer.py``) adds
strings annotators mark as genes most of the time, blocks strings they almost never mark, and maps human
genes to the mouse/rat NCBI ids BioRED gives them.

Separate because building the index is slow and done once per lexicon version: it is cached on disk
(:class:`genelit.files.PickleCache`) under a key of the lexicon version and of the code that decides the
index (this module and :mod:`extractors.gene_pieces`), so either change rebuilds it.
"""
from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from genelit.extractors import gene_pieces, hgnc
from genelit.extractors.gene_pieces import cased_key, piece_key, pieces

from genelit import files
from genelit.files import PickleCache

# synonym kinds, best first; GAZETTEER: a mention string learned from BioRED Train
# (training/learn_gene_gazetteer.py)
SYMBOL, PREVIOUS, ALIAS, NAME, ALIAS_NAME, PREVIOUS_NAME, FAMILY, GAZETTEER = range(8)
GAZETTEER_PATH = Path(__file__).parent / "data" / "biored_train_gene_gazetteer.tsv.gz"
# a gazetteer row: (action "add"/"block", surface, NCBI Gene id, HGNC id or "", annotated, occurrences)
GazetteerRow = tuple[str, str, str, str, int, int]
SYMBOL_KINDS = (SYMBOL, PREVIOUS, ALIAS, FAMILY)

# a symbol ending in a Greek initial: TGFB1 = "TGF-beta1", HIF1A = "HIF-1alpha", PPARG = "PPARgamma"
_SYMBOL_GREEK_END = re.compile(r"^([A-Z]{2,}?)(\d*)([ABGDK])(\d*)$")
_GREEK_INITIAL = {"A": "alpha", "B": "beta", "G": "gamma", "D": "delta", "K": "kappa"}
# a name ending in its first member's designator: "glutathione peroxidase 1" is what "glutathione
# peroxidase" usually means in an abstract
FIRST_MEMBER = re.compile(r"^(\S+ .{3,}?)[ -](1|A|alpha)$")
_PROTEIN_NAME_WORD = re.compile(r"[a-z]{4,}in")  # "podocin", "nephrin"


# family / class names that curated corpora normalize to one representative gene
FAMILY_TERMS: dict[str, str] = {
    "ERK": "MAPK1", "MAPK": "MAPK1", "ERK1/2": "MAPK3", "p38 MAPK": "MAPK14", "JNK": "MAPK8",
    "PKC": "PRKCA", "PKA": "PRKACA", "AMPK": "PRKAA1", "Ras": "HRAS", "PI3K": "PIK3CA",
    "Akt": "AKT1", "COX-2": "PTGS2", "iNOS": "NOS2", "eNOS": "NOS3", "nNOS": "NOS1",
    "HIF-1": "HIF1A", "TGF-beta": "TGFB1", "IFN-gamma": "IFNG", "NF-kappaB": "NFKB1", "NF-kB": "NFKB1",
    "NFkB": "NFKB1", "mTORC1": "MTOR", "PDGF": "PDGFB", "14-3-3": "YWHAZ",
    "p38 mitogen-activated protein kinase": "MAPK14", "p38 MAP kinase": "MAPK14",
    # the superoxide dismutases by their metal cofactor (HGNC names them by number only)
    "manganese superoxide dismutase": "SOD2", "Mn superoxide dismutase": "SOD2", "Mn-SOD": "SOD2",
    "MnSOD": "SOD2", "copper/zinc superoxide dismutase": "SOD1", "Cu/Zn superoxide dismutase": "SOD1",
    "Cu/Zn-SOD": "SOD1", "CuZnSOD": "SOD1", "CuZn-SOD": "SOD1",
    # class I phosphoinositide 3-kinase, c-Jun N-terminal kinase and the plasminogen activators by the
    # names papers use
    "PI3-kinase": "PIK3CA", "PI 3-kinase": "PIK3CA", "PI-3 kinase": "PIK3CA", "PI3 kinase": "PIK3CA",
    "phosphatidylinositol 3-kinase": "PIK3CA", "phosphoinositide 3-kinase": "PIK3CA",
    "c-Jun N-terminal kinase": "MAPK8",
    "tissue-type plasminogen activator": "PLAT", "tissue plasminogen activator": "PLAT",
    "urokinase-type plasminogen activator": "PLAU", "urokinase plasminogen activator": "PLAU",
    "plasminogen activator inhibitor-1": "SERPINE1", "plasminogen activator inhibitor type 1": "SERPINE1",
    # the three nitric oxide synthases by the names papers use ("NO" for nitric oxide)
    "inducible nitric oxide synthase": "NOS2", "inducible NO synthase": "NOS2",
    "endothelial nitric oxide synthase": "NOS3", "endothelial NO synthase": "NOS3",
    "neuronal nitric oxide synthase": "NOS1", "neuronal NO synthase": "NOS1",
}

# an index entry: (record index, synonym kind, cased key, synonym contains a space)
Entry = tuple[int, int, str, bool]


@dataclass
class GeneIndex:
    """The compiled lexicon: synonym key -> entries, plus what the matcher needs to scan quickly."""

    version: str
    records: list[hgnc.HgncRecord]
    entries: dict[str, list[Entry]]  # "\x1f"-joined piece keys -> entries, best first
    max_len: dict[str, int]  # first piece -> longest key (in pieces) starting with it
    max_len2: dict[str, int]  # first two pieces -> longest key starting with them (keys of 3+ pieces)
    by_symbol: dict[str, int]  # upper-cased approved symbol -> record index
    previous: dict[str, list[int]]  # upper-cased previous symbol -> record indexes
    aliases: dict[str, list[int]]  # upper-cased alias -> record indexes
    withdrawn: dict[str, int]  # upper-cased withdrawn symbol -> record index
    # keys a lower-case word can match (names, lower-case synonyms): other lower-case words are skipped
    lowercase_ok: frozenset[str]
    # first pieces of keys a lower-case word may start ("alpha-synuclein", "p53", names): "the", "of",
    # "and" start only upper-case symbols and are skipped without a look-up unless a digit follows ("fth1")
    lower_starts: frozenset[str] = frozenset()
    # exact strings the lexicon matches but BioRED Train annotators almost never call a gene ("SRL", "AA")
    blocked: frozenset[str] = frozenset()
    # (NCBI taxon of a rodent, HGNC id) -> that rodent's NCBI Gene id, learned from BioRED Train
    orthologs: dict[tuple[str, str], str] = field(default_factory=dict)
    human_ncbi: dict[str, str] = field(default_factory=dict)  # HGNC id -> human NCBI Gene id
    rodent_genes: frozenset[str] = frozenset()  # HGNC ids in orthologs
    lookup_cache: dict[str, int | None] = field(default_factory=dict)  # lookup_record memo (text -> record)


def _synonyms(record: hgnc.HgncRecord) -> Iterator[tuple[str, int]]:
    """Every string HGNC gives for a gene, with its kind, plus derived forms (Greek, first member)."""
    yield record.symbol, SYMBOL
    for s in record.previous:
        yield s, PREVIOUS
    for s in record.aliases:
        yield s, ALIAS
    for s in (record.symbol, *record.aliases):
        m = _SYMBOL_GREEK_END.match(s)
        if m and (len(m.group(1)) >= 3 or m.group(2)):  # TGFB1, IL1B; not TOB1 ("TO-beta1")
            prefix, digits, initial, tail = m.groups()
            yield f"{prefix}-{digits}{_GREEK_INITIAL[initial]}{tail}", ALIAS
    yield record.name, NAME
    m = FIRST_MEMBER.match(record.name)
    if m:
        yield m.group(1), ALIAS_NAME
    if ", " in record.name:  # "NPHS2 stomatin family member, podocin": the protein's own name
        last = record.name.rsplit(", ", 1)[1]
        if _PROTEIN_NAME_WORD.fullmatch(last) and last not in english_words():
            yield last, ALIAS_NAME
    for s in record.alias_names:
        yield s, ALIAS_NAME
    for s in record.previous_names:
        yield s, PREVIOUS_NAME


def synonym_rank(record: hgnc.HgncRecord, kind: int) -> tuple[int, bool]:
    """Preference among entries sharing a key: synonym kind, then protein-coding genes."""
    return kind, record.locus_type != "gene with protein product"


def build_index(
    version: str, records: tuple[hgnc.HgncRecord, ...], gazetteer: tuple[GazetteerRow, ...] = (),
) -> GeneIndex:
    """Compile the lexicon (and the corpus gazetteer) into the matcher's lookup tables (cached on disk by
    :func:`gene_index`)."""
    recs = list(records)
    entries: dict[str, list[Entry]] = {}
    by_symbol: dict[str, int] = {}
    previous: dict[str, list[int]] = {}
    aliases: dict[str, list[int]] = {}
    withdrawn: dict[str, int] = {}
    for i, r in enumerate(recs):
        if not r.approved:
            withdrawn.setdefault(r.symbol.upper(), i)
            continue
        by_symbol[r.symbol.upper()] = i
        for s in r.previous:
            previous.setdefault(s.upper(), []).append(i)
        for s in r.aliases:
            aliases.setdefault(s.upper(), []).append(i)
        seen: set[str] = set()
        for synonym, kind in _synonyms(r):
            parts = pieces(synonym)
            key = piece_key(parts)
            if parts and len(parts) <= 12 and key not in seen:
                seen.add(key)
                entries.setdefault(key, []).append((i, kind, cased_key(parts), " " in synonym))
    for term, symbol in FAMILY_TERMS.items():
        if symbol.upper() in by_symbol:
            parts = pieces(term)
            entries.setdefault(piece_key(parts), []).append((by_symbol[symbol.upper()], FAMILY, cased_key(parts), " " in term))
    _add_gazetteer(recs, entries, gazetteer)
    for found in entries.values():
        found.sort(key=lambda e: (e[1] != GAZETTEER, e[1] != FAMILY, synonym_rank(recs[e[0]], e[1])))
    max_len: dict[str, int] = {}
    max_len2: dict[str, int] = {}
    for key in entries:
        parts = key.split("\x1f")
        max_len[parts[0]] = max(max_len.get(parts[0], 0), len(parts))
        if len(parts) > 2:
            two = "\x1f".join(parts[:2])
            max_len2[two] = max(max_len2.get(two, 0), len(parts))
    lowercase_ok = frozenset(
        key for key, found in entries.items() if any(e[1] not in SYMBOL_KINDS or e[2] == key for e in found)
    )
    lower_starts = frozenset(
        key.split("\x1f", 1)[0] for key, found in entries.items()
        if any(e[1] not in SYMBOL_KINDS and e[1] != GAZETTEER or e[2][:1].islower()
               or (e[1] == GAZETTEER and e[2][1:].islower()) for e in found)
    )
    blocked = frozenset(row[1] for row in gazetteer if row[0] == "block")
    orthologs = {(row[1], row[3]): row[2] for row in gazetteer if row[0] == "ortholog"}
    human_ncbi = {r.hgnc_id: r.ncbi_gene_id for r in recs if r.approved and r.ncbi_gene_id}
    return GeneIndex(version, recs, entries, max_len, max_len2, by_symbol, previous, aliases, withdrawn,
                     lowercase_ok, lower_starts, blocked, orthologs, human_ncbi,
                     frozenset(hgnc_id for _, hgnc_id in orthologs))


def _add_gazetteer(recs: list[hgnc.HgncRecord], entries: dict[str, list[Entry]], rows: tuple[GazetteerRow, ...]) -> None:
    """Index the gazetteer's added strings.  Each gets its own record carrying the NCBI id BioRED gives
    it (a rodent or viral gene has no HGNC row): the human ortholog's HGNC id and symbol when known."""
    by_hgnc = {r.hgnc_id: i for i, r in enumerate(recs) if r.approved}
    made: dict[tuple[str, str], int] = {}
    for action, surface, ncbi_gene_id, hgnc_id, _, _ in rows:
        if action != "add":
            continue
        if (ncbi_gene_id, hgnc_id) not in made:
            human = recs[by_hgnc[hgnc_id]] if hgnc_id in by_hgnc else None
            if human is not None and human.ncbi_gene_id == ncbi_gene_id:
                made[ncbi_gene_id, hgnc_id] = by_hgnc[hgnc_id]
            else:
                recs.append(hgnc.HgncRecord(
                    hgnc_id=hgnc_id if human else "", symbol=human.symbol if human else surface,
                    name=human.name if human else surface, status="Corpus", ncbi_gene_id=ncbi_gene_id,
                    locus_type=human.locus_type if human else "gene with protein product",
                ))
                made[ncbi_gene_id, hgnc_id] = len(recs) - 1
        parts = pieces(surface)
        if parts:
            entries.setdefault(piece_key(parts), []).append((made[ncbi_gene_id, hgnc_id], GAZETTEER, cased_key(parts), " " in surface))


# the code that decides the index: how names are keyed (gene_pieces) and what is indexed (this module)
_INDEX_CODE = (Path(gene_pieces.__file__), Path(__file__))


def _cache_stem(version: str) -> str:
    """Lexicon version and the code that decides the index (:data:`_INDEX_CODE`): either change rebuilds."""
    code = hashlib.sha256(b"".join(path.read_bytes() for path in _INDEX_CODE)).hexdigest()[:12]
    lexicon = hashlib.sha256(version.encode()).hexdigest()[:12]
    return f"{lexicon}_{code}"


@lru_cache(maxsize=2)
def _index_for(version: str) -> GeneIndex:
    def build() -> GeneIndex:
        _, records = hgnc.load_lexicon()
        # the index carries the full version (lexicon + gazetteer) it was built for, checked on load
        return build_index(version, records, read_gazetteer(GAZETTEER_PATH))

    return PickleCache(files.cache_dir(), "gene_index").get(
        _cache_stem(version), build, accept=lambda index: isinstance(index, GeneIndex) and index.version == version
    )


def gene_index() -> GeneIndex:
    """The compiled index of the active lexicon (built once per lexicon version, cached on disk)."""
    return _index_for(LEXICON_VERSION())


def LEXICON_VERSION() -> str:  # name fixed by the extraction contract
    """Version of the active HGNC lexicon and of the vendored corpus gazetteer, recorded with every
    extraction (either changes what is found)."""
    return f"{hgnc.active_version()} + gazetteer sha256:{_gazetteer_digest(GAZETTEER_PATH)}"


@lru_cache(maxsize=2)
def _gazetteer_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "none"


def read_gazetteer(path: Path) -> tuple[GazetteerRow, ...]:
    """Rows of the vendored gazetteer (none when the file is absent)."""
    if not path.is_file():
        return ()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if not line.startswith("#")]
    return tuple((a, s, n, h, int(k), int(o)) for a, s, n, h, k, o in rows)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words (wordfreq top 30k): symbols spelled like them need context to count."""
    path = Path(__file__).parent / "data" / "hgnc_lexicon.english_words.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))
