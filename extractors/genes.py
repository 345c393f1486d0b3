"""Gene recognition and normalization to HGNC (the ``genelit_genes`` component and lookup API).

Matching works on *pieces*: runs of letters, runs of digits, Greek letters and punctuation, lower-cased,
with hyphens, spaces and periods dropped, Greek letters spelled out (α, "a" in "HIF-1a" -> alpha) and
Roman numerals after a hyphen or space turned into digits.  So "IGF-I", "IGF-1", "IGF1" and "Igf1" share
one key, as do "insulin-like growth factor I" and HGNC's "insulin like growth factor 1".  The lexicon
(approved symbols, previous symbols, aliases, names) is indexed by key; the text is scanned once,
longest match first, only from pieces that can start a key.

Gene symbols collide with English words and lab abbreviations ("CAT", "SET", "MAX", "ACE", "HR", "PC").
Such short or ambiguous matches are kept only with supporting context: a following "gene", "protein",
"mutation", "expression"...; a definition by abbreviation whose long form is a gene name; or a list with
other, unambiguous genes.  An abbreviation whose long form is clearly not a gene ("multiple sclerosis
(MS)") vetoes the short form everywhere in the document.
"""
from __future__ import annotations

import difflib
import gzip
import hashlib
import os
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import platformdirs
from spacy.language import Language
from spacy.tokens import Doc

from extractors import hgnc
from extractors.base import add_mention, mentions
from models.mentions import MentionKind

SOURCE = "genelit_genes"

# synonym kinds, best first
SYMBOL, PREVIOUS, ALIAS, NAME, ALIAS_NAME, PREVIOUS_NAME, FAMILY = range(7)
_SYMBOL_KINDS = (SYMBOL, PREVIOUS, ALIAS, FAMILY)

# locus types the text matcher considers (pseudogenes, phenotype-only and withdrawn entries add noise)
MATCHED_LOCUS_TYPES = frozenset({
    "gene with protein product", "RNA, long non-coding", "RNA, micro", "immunoglobulin gene",
    "T cell receptor gene", "complex locus constituent", "RNA, ribosomal", "RNA, small nuclear",
    "RNA, misc", "RNA, vault", "RNA, Y", "RNA, cluster",
})

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
_GREEK_NAMES = frozenset(_GREEK.values())
_GREEK_WORDS = "alpha|beta|gamma|delta|epsilon|kappa|zeta|theta|lambda|sigma|omega"
# "a" in "HIF-1a", "b" in "TGF-b1", "g" in "IFN-g": one-letter Greek abbreviations BioRED-style texts use
_GREEK_LETTER_ABBREV = {"a": "alpha", "b": "beta", "g": "gamma", "d": "delta", "k": "kappa"}
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7", "VIII": "8",
          "IX": "9", "X": "10"}
_PIECE = re.compile(r"[A-Za-z]+|[0-9]+|[\u0391-\u03a9\u03b1-\u03c9]|[^\sA-Za-z0-9\u0391-\u03a9\u03b1-\u03c9]")
_GLUED_GREEK = re.compile(rf"^([A-Z][A-Za-z]*?[A-Z]|[A-Z]{{2,}})({_GREEK_WORDS})([A-Z]*)$")
_HUMAN_PREFIX = re.compile(r"^h([A-Z]{2,}[A-Za-z]*)$")
_DROPPED = frozenset("-.‐‑–_ ")  # noqa: RUF001  hyphen variants join pieces
# spelling variants folded into one key ("thymidylate synthase" vs HGNC's "thymidylate synthetase")
_KEY_VARIANTS = {"synthetase": "synthase", "tumour": "tumor", "oestrogen": "estrogen", "haem": "heme",
                 "haemoglobin": "hemoglobin", "haemopoietic": "hematopoietic", "oxydase": "oxidase"}
# a symbol ending in a Greek initial: TGFB1 = "TGF-beta1", HIF1A = "HIF-1alpha", PPARG = "PPARgamma"
_SYMBOL_GREEK_END = re.compile(r"^([A-Z]{2,}?)(\d*)([ABGDK])(\d*)$")
_GREEK_INITIAL = {"A": "alpha", "B": "beta", "G": "gamma", "D": "delta", "K": "kappa"}
# a name ending in its first member's designator: "glutathione peroxidase 1" is what "glutathione
# peroxidase" usually means in an abstract
_FIRST_MEMBER = re.compile(r"^(\S+ .{3,}?)[ -](1|A|alpha)$")
# a Greek isoform written after a gene ("NRG-1 beta", "tumor necrosis factor-alpha") belongs to it
_GREEK_TAIL = re.compile(rf"[ -]?(?:{_GREEK_WORDS}|[\u03b1-\u03c9])\d*(?![A-Za-z0-9])")
# HGNC keeps some phenotype-era names ("adrenoleukodystrophy"): in text they name the disease
_DISEASE_WORD = re.compile(r"(?i)(dystrophy|pathy|syndrome|disease|deficiency|itis|oma|emia|aemia|plasia|trophy)$")
_PROTEIN_NAME_WORD = re.compile(r"[a-z]{4,}in")  # "podocin", "nephrin"
_PROTEIN_MASS_NAME = re.compile(r"^p\d{2,3}$")
_AMINO_ACIDS = frozenset({"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE", "LEU",
                          "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL"})

# family / class names that curated corpora normalize to one representative gene
FAMILY_TERMS: dict[str, str] = {
    "ERK": "MAPK1", "MAPK": "MAPK1", "ERK1/2": "MAPK3", "p38 MAPK": "MAPK14", "JNK": "MAPK8",
    "PKC": "PRKCA", "PKA": "PRKACA", "AMPK": "PRKAA1", "Ras": "HRAS", "PI3K": "PIK3CA",
    "Akt": "AKT1", "COX-2": "PTGS2", "iNOS": "NOS2", "eNOS": "NOS3", "nNOS": "NOS1",
    "HIF-1": "HIF1A", "TGF-beta": "TGFB1", "IFN-gamma": "IFNG", "NF-kappaB": "NFKB1", "NF-kB": "NFKB1",
    "NFkB": "NFKB1", "mTORC1": "MTOR", "PDGF": "PDGFB", "14-3-3": "YWHAZ",
}

# words after (or before) a symbol that show it is used as a gene
GENE_CONTEXT_AFTER = frozenset({
    "gene", "genes", "protein", "proteins", "mrna", "mrnas", "expression", "mutation", "mutations",
    "mutant", "mutants", "variant", "variants", "polymorphism", "polymorphisms", "promoter", "allele",
    "alleles", "locus", "loci", "transcript", "transcripts", "isoform", "isoforms", "knockout", "knockdown",
    "deficiency", "deficient", "null", "haplotype", "haplotypes", "genotype", "genotypes", "exon", "exons",
    "codon", "signaling", "signalling", "pathway", "activity", "inhibitor", "inhibitors", "receptor",
    "receptors", "kinase", "overexpression", "sirna", "shrna", "antibody", "antibodies", "levels",
    "phosphorylation", "deletion", "deletions", "-/-", "+/-", "(-/-)", "(+/-)", "homolog", "ortholog",
})
GENE_CONTEXT_BEFORE = frozenset({"gene", "genes", "protein", "anti", "encoding", "mutant", "human"})
# frequent non-gene abbreviations of biomedical prose that are also HGNC symbols or aliases
NON_GENE_ABBREVIATIONS = frozenset({
    "DNA", "RNA", "PCR", "CI", "OR", "HR", "SD", "SE", "BMI", "MRI", "CT", "PET", "ECG", "EEG", "ICU", "IQ",
    "PC", "CO", "MS", "AD", "PD", "HD", "ALS", "SLE", "RA", "IBD", "CD", "UC", "CKD", "ESRD", "COPD",
    "HIV", "HBV", "HCV", "CMV", "EBV", "HPV", "WT", "KO", "NS", "VS", "II", "III", "IV", "ROS", "NO",
    "ATP", "GTP", "ADP", "CAMP", "LPS", "FBS", "PBS", "SNP", "SNPS", "CNV", "GWAS", "MIM", "OMIM", "ID",
    "SCI", "TBI", "MI", "CAD", "CHD", "HF", "AF", "DM", "T1D", "T2D", "GDM", "PCOS", "NAFLD", "ASD", "ADHD",
    "MDD", "BD", "SZ", "OCD", "PTSD", "AML", "ALL", "CML", "CLL", "MM", "NHL", "HCC", "CRC", "NSCLC",
    "SCLC", "RCC", "GBM", "EMT", "UV", "IR", "IV", "IP", "SC", "MAP", "BP", "HB", "HBA1C", "LDL", "HDL",
    "TG", "TC", "FFA", "GFR", "AUC", "ROC", "RR", "MIC", "MRSA", "ESBL", "PHD", "MD", "RN", "USA",
    "UK", "EU", "WHO", "FDA", "NIH", "ANOVA", "PBMC", "PBMCS", "ELISA", "HPLC", "QPCR", "MLPA", "SSCP",
})
# a long form ending like this defines a disease, measure or method, not a gene ("... deficiency (VLCAD)")
_NON_GENE_LAST_WORD = re.compile(
    r"(?i)\b(diseases?|syndromes?|disorders?|cancers?|carcinomas?|tumou?rs?|deficiency|sclerosis|failure|"
    r"infection|index|ratio|score|scale|test|imaging|therapy|treatment|trial|study|analysis|assay|interval|"
    r"rate|pressure|volume|tomography|resonance|spectrometry|chromatography|reaction|sequencing|"
    r"association|criteria|questionnaire|patients?|cells?|tissue|acids?|dystrophy|atrophy|myopathy|"
    r"neuropathy|anemia|anaemia|paralysis|ataxia|epilepsy|leukemia|lymphoma|retinopathy|dysplasia|"
    r"hypertension|injury|cirrhosis|mellitus|method|model|region|polymorphism|lesions?|group|"
    r"\w+ides|\w+ates|\w+oids|\w+ols)$"
)
# words that make a long form plausibly a gene or gene product
_GENE_LIKE = re.compile(
    r"(?i)\b(\w+ases?|\w+ins?|\w*proteins?|\w*peptides?|receptors?|factors?|ligands?|channels?|transporters?|antigens?|"
    r"hormones?|subunits?|genes?|regulators?|homologs?|symporters?|exchangers?|pumps?|"
    r"activators?|inhibitors?|suppressors?|molecules?|globulins?|carriers?|binding|domain|finger|"
    r"box|[A-Za-z]*\d+[A-Za-z]*)\b"
)
_TRAILING_GENERIC = re.compile(
    r"(?i)[\s-]+(gene|genes|protein|proteins|mrna|transcripts?|expression|polymorphisms?|mutations?|"
    r"promoter|locus|alleles?|isoforms?|product|subunit|homolog|family)$"
)
_LEADING_SYMBOL = re.compile(r"^([A-Z][A-Za-z0-9]{1,6}(?:-[0-9IV]{1,3})?)[- ]((?:[a-z]+[ -])*(?:protein|receptor|factor)[- ]?\w*)$")
_KNOCKOUT_MARK = re.compile(r"\s*\(?[-+]/[-+]\)?$")
_EMBEDDED_ABBREVIATION = re.compile(r"\s*\(([A-Za-z][A-Za-z0-9]{1,7})\)")
_LEADING_SPECIES = re.compile(r"(?i)^(human|mouse|murine|rat|bovine|porcine|zebrafish|recombinant|mammalian)\s+")


@dataclass(frozen=True)
class GeneConcept:
    """An HGNC gene a mention was normalized to."""

    hgnc_id: str
    symbol: str
    name: str
    ncbi_gene_id: str
    locus_type: str


@dataclass(frozen=True)
class SymbolResolution:
    """What HGNC says about a symbol a curator typed (``genelit gene SYMBOL``)."""

    query: str
    status: str  # "approved", "previous", "alias", "withdrawn" or "unknown"
    symbol: str = ""
    hgnc_id: str = ""
    ncbi_gene_id: str = ""
    name: str = ""
    aliases: tuple[str, ...] = ()
    previous_symbols: tuple[str, ...] = ()
    # other approved genes that share the previous symbol or alias with the one reported
    other_matches: tuple[str, ...] = ()
    # withdrawn: the approved genes it was merged into; unknown: close approved symbols
    suggestions: tuple[str, ...] = ()


# a piece: (key, cased, start, end) -- key lower-cased, Greek spelled out, Roman numerals as digits;
# cased keeps the case (symbols are case-sensitive-ish); offsets index into the text
Piece = tuple[str, str, int, int]
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


# ---------------------------------------------------------------- pieces

def _greek_abbreviation(raw: str, start: int, end: int, text: str) -> str | None:
    """'a' in "HIF-1a", 'b' in "TGF-b1" / "b-catenin", 'g' in "IFN-g" (not 'a' in "Tuba1a")."""
    if raw not in _GREEK_LETTER_ABBREV:
        return None
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before == "-" and not after.isalpha():
        return _GREEK_LETTER_ABBREV[raw]
    if before.isdigit() and not after.isalpha():
        k = start - 1
        while k > 0 and text[k - 1].isdigit():
            k -= 1
        if k > 0 and text[k - 1] == "-":
            return _GREEK_LETTER_ABBREV[raw]
    if after == "-" and not before.isalnum():
        return _GREEK_LETTER_ABBREV[raw]
    return None


def _expand(raw: str, start: int, text: str) -> Iterator[Piece]:
    """The pieces of one regex match, splitting glued Greek ("PKCalpha") and a human "h" prefix."""
    end = start + len(raw)
    if raw.lower() in _GREEK:
        name = _GREEK[raw.lower()]
        yield name, name, start, end
        return
    greek = _greek_abbreviation(raw, start, end, text)
    if greek:
        yield greek, greek, start, end
        return
    if raw in _ROMAN and start and text[start - 1] in "- " and not (end < len(text) and text[end].isalpha()):
        yield _ROMAN[raw], _ROMAN[raw], start, end
        return
    if raw in ("c", "v") and text[end:end + 1] == "-" and (start == 0 or not text[start - 1].isalnum()):
        return  # "c-kit", "v-src": the cellular/viral prefix of an oncogene (joined to the next piece)
    human = _HUMAN_PREFIX.match(raw)
    if human and (start == 0 or not text[start - 1].isalnum()):
        rest = human.group(1)  # "hOGG1": key without the species "h", span with it
        yield _KEY_VARIANTS.get(rest.lower(), rest.lower()), rest, start, end
        return
    glued = _GLUED_GREEK.match(raw)
    if glued:
        pos = start
        for part in glued.groups():
            if part:
                yield part.lower(), part, pos, pos + len(part)
                pos += len(part)
        return
    low = raw.lower()
    yield _KEY_VARIANTS.get(low, low), raw, start, end


def pieces(text: str) -> list[Piece]:
    """Split text into matching pieces (see module docstring)."""
    out: list[Piece] = []
    append = out.append
    oncogene_prefix = -1  # start of a "c-"/"v-" prefix the next piece absorbs
    for m in _PIECE.finditer(text):
        raw = m.group()
        if raw in _DROPPED:
            continue
        if len(raw) > 1 and raw.islower() and raw not in _GREEK_NAMES:  # fast path: ordinary words
            expanded: list[Piece] | tuple[Piece, ...] = ((_KEY_VARIANTS.get(raw, raw), raw, m.start(), m.end()),)
        else:
            expanded = list(_expand(raw, m.start(), text))
            if not expanded:
                oncogene_prefix = m.start()
                continue
        if oncogene_prefix >= 0:
            key, cased, _, end = expanded[0]
            expanded = [(key, cased.upper(), oncogene_prefix, end), *expanded[1:]]
            oncogene_prefix = -1
        out.extend(expanded)
    return out


def _key(parts: list[Piece]) -> str:
    return "\x1f".join(p[0] for p in parts)


def _cased(parts: list[Piece]) -> str:
    return "\x1f".join(p[1] for p in parts)


# ---------------------------------------------------------------- index

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
    m = _FIRST_MEMBER.match(record.name)
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


def _rank(record: hgnc.HgncRecord, kind: int) -> tuple[int, bool]:
    """Preference among entries sharing a key: synonym kind, then protein-coding genes."""
    return kind, record.locus_type != "gene with protein product"


def build_index(version: str, records: tuple[hgnc.HgncRecord, ...]) -> GeneIndex:
    """Compile the lexicon into the matcher's lookup tables (cached on disk by :func:`gene_index`)."""
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
            key = _key(parts)
            if parts and len(parts) <= 12 and key not in seen:
                seen.add(key)
                entries.setdefault(key, []).append((i, kind, _cased(parts), " " in synonym))
    for term, symbol in FAMILY_TERMS.items():
        if symbol.upper() in by_symbol:
            parts = pieces(term)
            entries.setdefault(_key(parts), []).append((by_symbol[symbol.upper()], FAMILY, _cased(parts), " " in term))
    for found in entries.values():
        found.sort(key=lambda e: (e[1] != FAMILY, _rank(recs[e[0]], e[1])))
    max_len: dict[str, int] = {}
    max_len2: dict[str, int] = {}
    for key in entries:
        parts = key.split("\x1f")
        max_len[parts[0]] = max(max_len.get(parts[0], 0), len(parts))
        if len(parts) > 2:
            two = "\x1f".join(parts[:2])
            max_len2[two] = max(max_len2.get(two, 0), len(parts))
    lowercase_ok = frozenset(
        key for key, found in entries.items() if any(e[1] not in _SYMBOL_KINDS or e[2] == key for e in found)
    )
    return GeneIndex(version, recs, entries, max_len, max_len2, by_symbol, previous, aliases, withdrawn, lowercase_ok)


def _cache_path(version: str) -> Path:
    """Cache file keyed by lexicon version and by this module's code (which decides the index)."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    lexicon = hashlib.sha256(version.encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("genelit")) / f"gene_index_{lexicon}_{code}.pickle"


@lru_cache(maxsize=2)
def _index_for(version: str) -> GeneIndex:
    path = _cache_path(version)
    if path.is_file():
        try:
            with path.open("rb") as fh:
                index = pickle.load(fh)
            if isinstance(index, GeneIndex) and index.version == version:
                return index
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass  # a stale or truncated cache is rebuilt below
    index = build_index(*hgnc.load_lexicon())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for stale in path.parent.glob(path.name.rsplit("_", 1)[0] + "_*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)  # same lexicon compiled by older code: never read again
    except OSError:
        pass  # an unwritable cache only costs start-up time
    return index


def gene_index() -> GeneIndex:
    """The compiled index of the active lexicon (built once per lexicon version, cached on disk)."""
    return _index_for(LEXICON_VERSION())


def LEXICON_VERSION() -> str:  # noqa: N802  name fixed by the extraction contract
    """Version of the active HGNC lexicon, recorded with every extraction."""
    return hgnc.active_version()


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words (wordfreq top 30k): symbols spelled like them need context to count."""
    path = Path(__file__).parent / "data" / "hgnc_lexicon.english_words.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


# ---------------------------------------------------------------- lookup API

def _concept(record: hgnc.HgncRecord) -> GeneConcept:
    return GeneConcept(record.hgnc_id, record.symbol, record.name, record.ncbi_gene_id, record.locus_type)


def _best_entry(index: GeneIndex, parts: list[Piece]) -> Entry | None:
    """Best entry for a piece sequence: exact-case symbol matches before case-insensitive ones."""
    found = index.entries.get(_key(parts))
    if not found:
        return None
    cased = _cased(parts)
    for entry in found:
        if entry[1] not in _SYMBOL_KINDS or entry[2] == cased:
            return entry
    return found[0]


def _lookup_forms(text: str) -> Iterator[str]:
    """The mention, then variants a recognizer's span may need: without species words, generic heads
    ("gene", "protein"), knockout marks ("-/-"), an embedded abbreviation ("interleukin (IL)-6") or a
    plural s."""
    text = _KNOCKOUT_MARK.sub("", text.strip()).strip("()[]{},;:. ")
    yield text
    core = _TRAILING_GENERIC.sub("", _LEADING_SPECIES.sub("", text))
    if core != text:
        yield core
    embedded = _EMBEDDED_ABBREVIATION.search(core)
    if embedded:
        yield core[:embedded.start()] + core[embedded.end():]
        yield embedded.group(1) + core[embedded.end():]
    if len(core) > 4 and core.endswith("s") and not core.endswith("ss"):
        yield core[:-1]


def _expanded_family_forms(index: GeneIndex, text: str) -> Iterator[str]:
    """ "IGF-binding protein-3" -> "insulin like growth factor binding protein 3": a leading symbol
    spelled out with its gene's name, without the member designator."""
    m = _LEADING_SYMBOL.match(text)
    if not m:
        return
    entry = _best_entry(index, pieces(m.group(1)))
    if entry is not None and entry[1] in _SYMBOL_KINDS:
        name = index.records[entry[0]].name
        yield f"{name} {m.group(2)}"  # "IGF-I receptor" -> "insulin like growth factor 1 receptor"
        base = _FIRST_MEMBER.match(name)
        if base:
            yield f"{base.group(1)} {m.group(2)}"


def _lookup(index: GeneIndex, text: str) -> int | None:
    """Record index for a mention (see :func:`lookup_gene`)."""
    for form in (*_lookup_forms(text), *_expanded_family_forms(index, text)):
        parts = pieces(form)
        entry = _best_entry(index, parts) if parts else None
        if entry is not None:
            return entry[0]
    return None


def lookup_gene(text: str) -> GeneConcept | None:
    """Normalize a gene mention ("IGF-I", "insulin-like growth factor I", "Igf1 gene") to HGNC."""
    index = gene_index()
    i = _lookup(index, text)
    return None if i is None else _concept(index.records[i])


def resolve_symbol(symbol: str) -> SymbolResolution:
    """Resolve a symbol as HGNC would: approved, previous, alias, withdrawn or unknown."""
    index = gene_index()
    query = symbol.strip()
    upper = query.upper()
    if upper in index.by_symbol:
        return _resolution(index, query, "approved", index.by_symbol[upper], [])
    for status, table in (("previous", index.previous), ("alias", index.aliases)):
        if upper in table:
            found = table[upper]
            best = min(found, key=lambda i: _rank(index.records[i], 0))
            return _resolution(index, query, status, best, found)
    if upper in index.withdrawn:
        r = index.records[index.withdrawn[upper]]
        merged = tuple(
            index.records[index.by_symbol[s]].symbol for s in _approved_symbols(index, r.replaced_by)
        )
        return SymbolResolution(query=query, status="withdrawn", symbol=r.symbol, hgnc_id=r.hgnc_id,
                                name=r.name, suggestions=merged)
    close = difflib.get_close_matches(upper, list(index.by_symbol), n=5, cutoff=0.75)
    return SymbolResolution(query=query, status="unknown",
                            suggestions=tuple(index.records[index.by_symbol[c]].symbol for c in close))


def _resolution(index: GeneIndex, query: str, status: str, i: int, others: list[int]) -> SymbolResolution:
    r = index.records[i]
    return SymbolResolution(
        query=query, status=status, symbol=r.symbol, hgnc_id=r.hgnc_id, ncbi_gene_id=r.ncbi_gene_id,
        name=r.name, aliases=r.aliases, previous_symbols=r.previous,
        other_matches=tuple(index.records[o].symbol for o in others if o != i),
    )


def _approved_symbols(index: GeneIndex, hgnc_ids: tuple[str, ...]) -> list[str]:
    wanted = set(hgnc_ids)
    return [sym for sym, i in index.by_symbol.items() if index.records[i].hgnc_id in wanted]


# ---------------------------------------------------------------- recognition

@dataclass(frozen=True)
class GeneConfig:
    """Component settings (the ``genelit_genes`` factory config)."""

    min_symbol_length: int = 2
    use_aliases: bool = True
    ambiguity_filter: bool = True
    use_abbreviations: bool = True


@dataclass
class _Candidate:
    start: int
    end: int
    record: int
    kind: int
    confident: bool


def _is_word_start(text: str, pos: int) -> bool:
    return pos == 0 or not text[pos - 1].isalnum()


def _is_word_end(text: str, pos: int) -> bool:
    return pos >= len(text) or not text[pos].isalnum()


def _surface_ok(surface: str, entry: Entry, cased: str) -> bool:
    """Case rule for symbols: exact case, or some capital ("Igf1", "mTOR"), or letters with digits ("p53")."""
    if entry[1] not in _SYMBOL_KINDS:
        return True
    if " " in surface and not entry[3]:
        return False  # "and 1" is not the alias "AND-1"
    if entry[2] == cased or not any(c.isalpha() for c in surface):
        return True
    if any(c.isupper() for c in surface):
        return True
    return any(c.isdigit() for c in surface) and len(surface) >= 3


def _needs_context(surface: str, first_key: str, kind: int, exact_case: bool, min_symbol_length: int) -> bool | None:
    """None = reject; True = ambiguous (keep only with context); False = confident."""
    if kind not in _SYMBOL_KINDS:
        return False
    compact = "".join(c for c in surface if c.isalnum())
    if len(compact) < min_symbol_length:
        return None
    upper = compact.upper()
    letters = sum(c.isalpha() for c in compact)
    if compact.lower() in english_words() and not exact_case and not compact.isupper():
        return None  # "In", "An", "Cat" at a sentence start are words
    if upper in NON_GENE_ABBREVIATIONS or upper in _AMINO_ACIDS or compact.lower() in english_words():
        return True
    if _PROTEIN_MASS_NAME.match(compact):
        return False  # "p53", "p16", "p65": proteins named by mass
    if letters <= 1 or (first_key in _GREEK.values() and len(compact) <= 7):
        return True  # "D2", "T4", "Q10", "beta2"
    if compact.isalpha() and len(compact) <= (3 if kind == ALIAS else 2):
        return True
    return False


def _scan(text: str, index: GeneIndex, config: GeneConfig) -> list[_Candidate]:
    """Longest dictionary matches over the text's pieces, with case and locus-type filters."""
    parts = pieces(text)
    found: list[_Candidate] = []
    i, n = 0, len(parts)
    max_len, max_len2, entries, lowercase_ok = index.max_len, index.max_len2, index.entries, index.lowercase_ok
    while i < n:
        first = parts[i]
        limit = max_len.get(first[0], 0)
        if not limit or not _is_word_start(text, first[2]):
            i += 1
            continue
        if limit > 2 and i + 1 < n:
            limit = max(min(limit, 2), max_len2.get(first[0] + "\x1f" + parts[i + 1][0], 0))
        stop = i + 1  # a match may not jump over more than one separator character
        while stop < n and stop < i + limit and parts[stop][2] - parts[stop - 1][3] <= 1:
            stop += 1
        match = None
        for j in range(stop, i, -1):
            if j < n and parts[j][2] == parts[j - 1][3] and text[parts[j][2]].isalnum():
                continue  # not at a word end
            if j == i + 1:
                key = first[0]
                if key not in entries or (first[1].islower() and first[1].isalpha() and key not in lowercase_ok):
                    continue
            else:
                key = "\x1f".join([p[0] for p in parts[i:j]])
                if key not in entries:
                    continue
            accepted = _accepted_entry(text, index, parts[i:j], config)
            if accepted is not None:
                match = (j, accepted)
                break
        if match is None:
            i += 1
            continue
        j, (record, kind, confident) = match
        refined = _refine(text, index, first[2], parts[j - 1][3], record)
        if refined is not None:
            found.append(_Candidate(refined[0], refined[1], refined[2], kind, confident))
            while j < n and parts[j][2] < refined[1]:
                j += 1
        i = j
    return found


def _refine(text: str, index: GeneIndex, start: int, end: int, record: int) -> tuple[int, int, int] | None:
    """Adjust a dictionary match to how gene mentions are bounded in text; None drops it.

    * "transforming growth factor (TGF)-beta1": the abbreviation and isoform belong to the mention;
    * "NRG-1 beta", "TNF-alpha": a Greek isoform belongs to it; "caspase-3/7", "ERK1/2" too;
    * "CCK-8", "E-cadherin", "L-asparaginase": a compound the lexicon does not know is another entity;
    * "(GCG)6": a codon repeat, not a gene.
    """
    surface = text[start:end]
    if _NUCLEOTIDES.match(surface) and text[start - 1:start] == "(" and text[end:end + 1] == ")":
        return None
    if surface[-1:].isalpha() and _GLUED_NUMBER.match(text, end):
        return None  # "CCK-8" is a peptide fragment the lexicon does not know
    prefix = _COMPOUND_PREFIX.search(text, max(0, start - 4), start)
    if prefix:
        found = _lookup(index, text[prefix.start():end])
        return None if found is None else (prefix.start(), end, found)
    receptor = _RECEPTOR_SUFFIX.match(text, end)
    if receptor:  # "GH receptor", "IGF-I receptor": the receptor is its own gene
        found = _lookup(index, text[start:receptor.end()])
        if found is not None and found != record:
            return start, receptor.end(), found
    defined = _ABBREVIATION_SUFFIX.match(text, end)
    if defined:
        found = _lookup(index, f"{defined.group(1)}-{defined.group(2)}")
        if found is not None:
            return start, defined.end(), found
    tail = _GREEK_TAIL.match(text, end) or _SLASH_NUMBERS.match(text, end) if surface[-1:].isdigit() else _GREEK_TAIL.match(text, end)
    return start, (tail.end() if tail else end), record


def _accepted_entry(text: str, index: GeneIndex, span: list[Piece], config: GeneConfig) -> tuple[int, int, bool] | None:
    entries = index.entries.get(_key(span))
    if not entries:
        return None
    surface = text[span[0][2]:span[-1][3]]
    if _ION.match(surface) and _CHARGE_AFTER.match(text, span[-1][3]):
        return None  # "Ca2+" is calcium, not CA2
    cased = _cased(span)
    for entry in entries:
        record = index.records[entry[0]]
        if record.locus_type not in MATCHED_LOCUS_TYPES:
            continue
        if entry[1] == ALIAS and not config.use_aliases:
            continue
        if not _surface_ok(surface, entry, cased):
            continue
        need = _needs_context(surface, span[0][0], entry[1], entry[2] == cased, config.min_symbol_length)
        if need is None:
            continue
        if _DISEASE_WORD.search(surface) or (
            entry[1] not in _SYMBOL_KINDS and _PHENOTYPE_COMPOUND.match(text, span[-1][3])
        ):
            return None
        if entry[1] in _SYMBOL_KINDS and _CELL_LINE.match(surface) and _CELLS_AFTER.match(text, span[-1][3]):
            return None  # "PC-3 cells", "HuH-7 cells" are cell lines
        return entry[0], entry[1], not (need and config.ambiguity_filter)
    return None


_NUCLEOTIDES = re.compile(r"^[ACGTU]{3,}$")
_GLUED_NUMBER = re.compile(r"-\d(?![\w/])")
_COMPOUND_PREFIX = re.compile(r"(?<![\w-])(?:[A-Z]{1,3}|[LD])-$")
_ABBREVIATION_SUFFIX = re.compile(r" \(([A-Za-z]{2,6})\)-((?:alpha|beta|gamma|delta|kappa|[a-zA-Z])?\d*)(?![\w-])")
_RECEPTOR_SUFFIX = re.compile(r"[ -](?:binding protein|receptor)(?:[ -](?:type )?(?:\d+|[A-Z]\d?))?(?![\w-])")
_SLASH_NUMBERS = re.compile(r"(?:/\d+)+(?![\w-])")
_ION = re.compile(r"^[A-Z][a-z]?\d$")
_CHARGE_AFTER = re.compile(r" ?\+")
# "insulin resistance", "insulin-dependent diabetes": a phenotype named after the gene product
_PHENOTYPE_COMPOUND = re.compile(r"[ -](resistance|sensitivity|insensitivity|(in)?dependent)\b")
_CELL_LINE = re.compile(r"^(?=.*[-a-z])[A-Za-z]+-?\d+[A-Za-z]?$")
_CELLS_AFTER = re.compile(r"\s+cells?\b")
_WORD = re.compile(r"\(?[-+]/[-+]\)?|[A-Za-z]+")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s-]+$")
_LIST_GLUE = re.compile(r"^\s*(,|and|or|/|,\s*and|,\s*or)\s*$")


def _has_context(text: str, c: _Candidate, confident: list[_Candidate]) -> bool:
    """Supporting context for an ambiguous symbol: a gene word next to it, or a list of genes."""
    after = _WORD.search(text, c.end, min(len(text), c.end + 20))
    if after and text[c.end:after.start()].strip(" -") == "" and after.group().lower() in GENE_CONTEXT_AFTER:
        return True
    before = _WORD_BEFORE.search(text, max(0, c.start - 20), c.start)
    if before and before.group(1).lower() in GENE_CONTEXT_BEFORE:
        return True
    for other in confident:
        gap = text[other.end:c.start] if other.end <= c.start else text[c.end:other.start]
        if len(gap) <= 8 and _LIST_GLUE.match(gap):
            return True
    return False


def _defines_non_gene(long_form: str, short: str, index: GeneIndex) -> bool:
    """The long form is a disease, measure or method ("oculopharyngeal muscular dystrophy (OPMD)").

    An approved symbol is only vetoed by a long form that ends like a disease or method; aliases (the
    noisy part of HGNC) also by a long form with nothing gene-like in it.
    """
    if _NON_GENE_LAST_WORD.search(long_form):
        return True
    return short.upper() not in index.by_symbol and not _GENE_LIKE.search(long_form)


def _abbreviation_genes(doc: Doc, index: GeneIndex) -> tuple[dict[str, int], set[str]]:
    """Short forms defined as genes ("growth hormone (GH)") and short forms defined as something else."""
    genes: dict[str, int] = {}
    vetoed: set[str] = set()
    for short in getattr(doc._, "abbreviations", None) or ():
        long_form = short._.long_form
        if long_form is None:
            continue
        if _DISEASE_WORD.search(long_form.text):
            vetoed.add(short.text)  # "adrenoleukodystrophy (ALD)": HGNC's phenotype-era name, a disease
            continue
        record = _lookup(index, long_form.text)
        if record is not None:
            genes[short.text] = record
        elif _defines_non_gene(long_form.text, short.text, index):
            vetoed.add(short.text)
    return genes, vetoed


def _occurrences(text: str, short: str) -> Iterator[tuple[int, int]]:
    for m in re.finditer(re.escape(short), text):
        if _is_word_start(text, m.start()) and _is_word_end(text, m.end()):
            yield m.start(), m.end()


def _drop_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the earliest, then longest, of overlapping candidates."""
    out: list[_Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.start, c.start - c.end)):
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


def find_genes(doc: Doc, index: GeneIndex, config: GeneConfig) -> list[_Candidate]:
    """All gene mentions of a document, non-overlapping, sorted by offset."""
    text = doc.text
    candidates = _scan(text, index, config)
    if config.use_abbreviations and Doc.has_extension("abbreviations"):
        defined, vetoed = _abbreviation_genes(doc, index)
        if defined or vetoed:
            taken = {(c.start, c.end): c for c in candidates if text[c.start:c.end] not in vetoed}
            for short, record in defined.items():
                for s, e in _occurrences(text, short):
                    taken[(s, e)] = _Candidate(s, e, record, SYMBOL, True)
            candidates = _drop_overlaps(list(taken.values()))
    confident = [c for c in candidates if c.confident]
    kept = [c for c in candidates if c.confident or _has_context(text, c, confident)]
    occupied = [(m.start, m.end) for m in mentions(doc) if m.kind == MentionKind.VARIANT]
    return [c for c in kept if not any(s < c.end and c.start < e for s, e in occupied)]


class GeneRecognizer:
    """spaCy component: records gene mentions normalized to HGNC on ``doc._.mentions``."""

    def __init__(self, config: GeneConfig) -> None:
        self.config = config
        self.index = gene_index()  # compile (or load) the lexicon when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        records = self.index.records
        for c in find_genes(doc, self.index, self.config):
            r = records[c.record]
            add_mention(doc, MentionKind.GENE, c.start, c.end, concept_id=r.hgnc_id, label=r.symbol,
                        source=SOURCE, symbol=r.symbol, ncbi_gene_id=r.ncbi_gene_id)
        return doc


@Language.factory(
    "genelit_genes",
    default_config={"min_symbol_length": 2, "use_aliases": True, "ambiguity_filter": True,
                    "use_abbreviations": True},
)
def make_gene_recognizer(
    nlp: Language, name: str, min_symbol_length: int, use_aliases: bool, ambiguity_filter: bool,
    use_abbreviations: bool,
) -> GeneRecognizer:
    """Factory: ``nlp.add_pipe("genelit_genes", config={"min_symbol_length": 3})``."""
    return GeneRecognizer(GeneConfig(min_symbol_length, use_aliases, ambiguity_filter, use_abbreviations))
