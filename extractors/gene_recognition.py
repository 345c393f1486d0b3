"""Finding gene mentions in a text: the scanner over pieces, span refinement and abbreviation definitions.

The text is cut into pieces (:mod:`extractors.gene_pieces`) and scanned once, longest match first, only
from pieces that can start a key of the index (:mod:`extractors.gene_index`).  A match is kept when an
entry passes the case, locus-type and veto rules (:mod:`extractors.gene_filters`); ambiguous matches only
with supporting context: a following "gene", "protein", "mutation", "expression"...; a definition by
abbreviation whose long form is a gene name; or a list with other, unambiguous genes.  Matches are then
widened to how gene mentions are bounded in text ("TNF-alpha", "IGF-I receptor", "MMP-2/-9").

Separate from the component (:mod:`extractors.genes`) so the engine can be run and measured on its own
(:func:`find_genes` takes the index and settings explicitly).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from genelit.extractors.abbreviations import long_form_start
from genelit.extractors.base import doc_text, mentions
from genelit.extractors.gene_filters import (
    CELL_LINE,
    CELLS_AFTER,
    DISEASE_WORD,
    GENE_CONTEXT_BEFORE,
    GENE_LIKE,
    NON_GENE_ABBREVIATIONS_KEY,
    NON_GENE_LAST_WORD,
    abbreviation_genes,
    gene_word_after,
    named_otherwise,
    needs_context,
    surely_not_genes,
)
from genelit.extractors.gene_index import (
    ALIAS,
    GAZETTEER,
    NAME,
    PREVIOUS,
    SYMBOL,
    SYMBOL_KINDS,
    Entry,
    GeneIndex,
    english_words,
)
from genelit.extractors.gene_lookup import LEADING_SPECIES, lookup_record
from genelit.extractors.gene_pieces import (
    GREEK_WORDS,
    Piece,
    cased_key,
    piece_key,
    pieces,
)
from genelit.models.mentions import MentionKind
from spacy.tokens import Doc

# locus types the text matcher considers (pseudogenes, phenotype-only and withdrawn entries add noise)
MATCHED_LOCUS_TYPES = frozenset({
    "gene with protein product", "RNA, long non-coding", "RNA, micro", "immunoglobulin gene",
    "T cell receptor gene", "complex locus constituent", "RNA, ribosomal", "RNA, small nuclear",
    "RNA, misc", "RNA, vault", "RNA, Y", "RNA, cluster",
})
# a Greek isoform written after a gene ("NRG-1 beta", "tumor necrosis factor-alpha") belongs to it
_GREEK_TAIL = re.compile(rf"[ -]?(?:{GREEK_WORDS}|[\u03b1-\u03c9])\d*(?![A-Za-z0-9])")


@dataclass(frozen=True)
class GeneConfig:
    """Component settings (the ``genelit_genes`` factory config)."""

    min_symbol_length: int = 2
    use_aliases: bool = True
    ambiguity_filter: bool = True
    use_abbreviations: bool = True


UNLINKED = -1  # a candidate's record when the span is a gene HGNC does not name ("AT1a receptor")


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
    if entry[1] not in SYMBOL_KINDS:
        return True
    if " " in surface and not entry[3]:
        return False  # "and 1" is not the alias "AND-1"
    if entry[2] == cased or not any(c.isalpha() for c in surface):
        return True
    if cased[-1:] == "s" and entry[2][:-1] == cased[:-1] and cased[:-1].isupper():
        return False  # "HCCs" is the plural of an abbreviation, not the symbol HCCS
    if any(c.isupper() for c in surface):
        return True
    return any(c.isdigit() for c in surface) and len(surface) >= 3


def _scan(text: str, index: GeneIndex, config: GeneConfig) -> list[_Candidate]:
    """Longest dictionary matches over the text's pieces, with case and locus-type filters."""
    parts = pieces(text)
    found: list[_Candidate] = []
    n = len(parts)
    max_len, max_len2, entries, lowercase_ok = index.max_len, index.max_len2, index.entries, index.lowercase_ok
    # only pieces some key starts with are tried (a list comprehension: most pieces are skipped here)
    lower_starts = index.lower_starts
    starts = [i for i, p in enumerate(parts) if p[0] in max_len and (
        p[0] in lower_starts or not p[1].islower() or text[p[3]:p[3] + 1].isdigit())]  # "fth1"
    resume = 0
    for i in starts:
        if i < resume:
            continue
        first = parts[i]
        limit = max_len[first[0]]
        if not _is_word_start(text, first[2]):
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
            continue
        j, (record, kind, confident) = match
        refined = _refine(text, index, first[2], parts[j - 1][3], record)
        if refined is not None:
            found.append(_Candidate(_greek_prefix_start(text, refined[0]), refined[1], refined[2], kind, confident))
            while j < n and parts[j][2] < refined[1]:
                j += 1
        resume = j
    return found


def _refine(text: str, index: GeneIndex, start: int, end: int, record: int) -> tuple[int, int, int] | None:
    """Adjust a dictionary match to how gene mentions are bounded in text; None drops it.

    * "transforming growth factor (TGF)-beta1": the abbreviation and isoform belong to the mention;
    * "NRG-1 beta", "TNF-alpha": a Greek isoform belongs to it; "caspase-3/7", "ERK1/2" too, and so do
      coordinated members ("MMP-2/-9", "SOCS-1 and -3") and a Greek initial after a name
      ("peroxisome proliferator-activated receptor a (PPARa)", how Greek letters reach plain-text corpora);
    * "AT1a receptor", "prolactin receptors": the receptor is the gene (unlinked when HGNC lacks it);
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
        found = lookup_record(index, text[prefix.start():end])
        return None if found is None else (prefix.start(), end, found)
    receptor = _RECEPTOR_SUFFIX.match(text, end)
    if receptor:  # "GH receptor", "IGF-I receptor": the receptor is its own gene
        found = lookup_record(index, text[start:receptor.end()])
        if found != record:
            return start, receptor.end(), UNLINKED if found is None else found
    designator = _DESIGNATOR.match(text, end) if _DESIGNATED_HEAD.search(surface) else None
    if designator:  # "glycoprotein Ib", "C-C chemokine receptor 5": a member of the family the name names
        found = lookup_record(index, text[start:designator.end()])
        return start, designator.end(), UNLINKED if found is None else found
    defined = _ABBREVIATION_SUFFIX.match(text, end)
    if defined:
        found = lookup_record(index, f"{defined.group(1)}-{defined.group(2)}")
        if found is not None:
            return start, defined.end(), found
    if surface[-1:].isdigit():
        tail = (_GREEK_TAIL.match(text, end) or _SLASH_NUMBERS.match(text, end)
                or _COORDINATED_MEMBERS.match(text, end) or _next_members(text, surface, end))
    elif " " in surface and surface[-1:].islower():
        tail = _GREEK_TAIL.match(text, end) or _GREEK_INITIAL_WORD.match(text, end)
    else:
        tail = _GREEK_TAIL.match(text, end)
    return start, (tail.end() if tail else end), record


# a Greek isoform letter hyphenated before a symbol ("gamma-H2AX", "alpha-SMA", "a-SMA", "beta-AR"), with the
# steroid position of an enzyme ("11beta-hydroxysteroid dehydrogenase"), belongs to the mention; not after
# a hyphen ("IFN-g-IL-17" is two genes)
_GREEK_PREFIX = re.compile(rf"(?<![\w-])(?:\d{{1,2}}(?=[a-z\u03b1-\u03c9]))?(?:{GREEK_WORDS}|[abgdk]|[\u03b1-\u03c9])-$")


def _greek_prefix_start(text: str, start: int) -> int:
    """Start of a mention with the Greek isoform prefix glued before it included."""
    m = _GREEK_PREFIX.search(text, max(0, start - 8), start)
    return m.start() if m else start


def _accepted_entry(text: str, index: GeneIndex, span: list[Piece], config: GeneConfig) -> tuple[int, int, bool] | None:
    entries = index.entries.get(piece_key(span))
    if not entries:
        return None
    surface = text[span[0][2]:span[-1][3]]
    if _ION.match(surface) and _CHARGE_AFTER.match(text, span[-1][3]):
        return None  # "Ca2+" is calcium, not CA2
    cased = cased_key(span)
    for entry in entries:
        if entry[1] == GAZETTEER:
            if _gazetteer_surface_ok(entry[2], cased):
                return entry[0], GAZETTEER, True
            continue
        record = index.records[entry[0]]
        if record.locus_type not in MATCHED_LOCUS_TYPES:
            continue
        if entry[1] == ALIAS and not config.use_aliases:
            continue
        if not _surface_ok(surface, entry, cased):
            continue
        need = needs_context(surface, span[0][0], entry[1], entry[2] == cased, config.min_symbol_length)
        if need is None:
            continue
        if DISEASE_WORD.search(surface) or (
            entry[1] not in SYMBOL_KINDS and _PHENOTYPE_COMPOUND.match(text, span[-1][3])
        ):
            return None
        if entry[1] in SYMBOL_KINDS and CELL_LINE.match(surface) and CELLS_AFTER.match(text, span[-1][3]):
            return None  # "PC-3 cells", "HuH-7 cells" are cell lines
        if entry[1] in (ALIAS, PREVIOUS) and _PEOPLE_AFTER.match(text, span[-1][3]):
            return None  # "HNPCC patients": an alias that is also a disease abbreviation, used as one
        if entry[1] in SYMBOL_KINDS and named_otherwise(text, surface, span[-1][3]):
            return None
        return entry[0], entry[1], not (need and config.ambiguity_filter)
    return None


def _gazetteer_surface_ok(learned: str, cased: str) -> bool:
    """A learned string matches as annotated; a plain word ("psoriasin", "Gankyrin") in any case."""
    if learned == cased:
        return True
    return learned.isalpha() and learned[1:].islower() and cased.isalpha() and cased[1:].islower()


_NUCLEOTIDES = re.compile(r"^[ACGTU]{3,}$")
_GLUED_NUMBER = re.compile(r"-\d(?![\w/])")
_COMPOUND_PREFIX = re.compile(r"(?<![\w-])(?:[A-Z]{1,3}|[LD])-$")
# a hyphenated word after a mention modifies it ("Toll-like receptor 4-dependent", "ghrelin receptor-null"),
# as does a suspended hyphen ("(RAR)a- and RARg-selective")
_NO_TAIL = r"(?!\w|-(?![a-z]{3}|\s))"
# "(TGF)-beta1", "(HIF)-1a", "(RAR)a": an abbreviation with the member designator glued after it
_ABBREVIATION_SUFFIX = re.compile(r" \(([A-Za-z]{2,6})\)-?(?=\w)((?:alpha|beta|gamma|delta|kappa|[a-zA-Z])?\d*"
                                  rf"(?:alpha|beta|gamma|delta|kappa|[a-z])?){_NO_TAIL}")
_RECEPTOR_SUFFIX = re.compile(rf"[ -](?:binding protein|[Rr]eceptors?)(?:[ -](?:type )?(?:\d+|[A-Z]\d?))?{_NO_TAIL}")
# a family name ending in one of these heads is followed by the member's number or letter in text
_DESIGNATED_HEAD = re.compile(r"(?:^|[a-z] )glycoprotein$|[a-z] (?:receptor|kinase|channel|transporter|mucin|subunit)$")
_DESIGNATOR = re.compile(rf"[ -](?:type |subtype )?(?:\d{{1,2}}[a-z]?|[IVX]{{1,4}}[a-d]?|[A-Z](?:[a-d]|\d)?){_NO_TAIL}")
_SLASH_NUMBERS = re.compile(r"(?:/\d+)+(?![\w-])")
_COORDINATED_MEMBERS = re.compile(rf"(?:(?:/|,|,? and|,? or) ?-(?:\d+[a-z]?|(?:{GREEK_WORDS})\d+))+(?![\w-])")
# later members of the family a mention's number belongs to: "CHL1 and 2", "cyclin D1 and D2", "PAK1-3",
# "NPHP1-9" (a range); the member keeps the mention's letter and comes a few numbers later ("IL-6 and 10
# patients" is no member)
_NEXT_MEMBER = re.compile(r"(?: (?:and|or) |-)([A-Z]?)(\d{1,2})(?![\w-]|[.,]\d)")
_MENTION_MEMBER = re.compile(r"(?:(?<=[\s-])([A-Z]))?(\d{1,2})$")  # "cyclin D1": D1; "CHL1": 1


def _next_members(text: str, surface: str, end: int) -> re.Match[str] | None:
    """The coordinated or range member after a mention ending in a number, or None."""
    after = _NEXT_MEMBER.match(text, end)
    own = _MENTION_MEMBER.search(surface) if after else None
    if after is None or own is None or after.group(1) != (own.group(1) or ""):
        return None
    step = int(after.group(2)) - int(own.group(2))
    return after if 0 < step <= (9 if text[end] == "-" else 3) else None


_GREEK_INITIAL_WORD = re.compile(r" [abgdk](?= ?[(),;:.]| ?$)")
_ION = re.compile(r"^[A-Z][a-z]?\d$")
_CHARGE_AFTER = re.compile(r" ?\+")
# "insulin resistance", "insulin-dependent diabetes": a phenotype named after the gene product
_PHENOTYPE_COMPOUND = re.compile(r"[ -](resistance|sensitivity|insensitivity|(in)?dependent)\b")
_PEOPLE_AFTER = re.compile(r"\s+(?:patients|families|kindreds|probands|cases|subjects)\b")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s-]+$")
_LIST_GLUE = re.compile(r"^\s*(,|and|or|/|,\s*and|,\s*or)\s*$")


def _has_context(text: str, c: _Candidate, confident: list[_Candidate]) -> bool:
    """Supporting context for an ambiguous symbol: a gene word next to it, or a list of genes."""
    if gene_word_after(text, c.end):
        return True
    before = _WORD_BEFORE.search(text, max(0, c.start - 20), c.start)
    if before and before.group(1).lower() in GENE_CONTEXT_BEFORE:
        return True
    for other in confident:
        gap = text[other.end:c.start] if other.end <= c.start else text[c.end:other.start]
        if len(gap) <= 8 and _LIST_GLUE.match(gap):
            return True
    return False


def _occurrences(text: str, short: str) -> Iterator[tuple[int, int]]:
    for m in re.finditer(re.escape(short), text):
        if _is_word_start(text, m.start()) and _is_word_end(text, m.end()):
            yield m.start(), m.end()


# a long form ending in one of these names a study, assay or phenotype of the gene ("LIF receptor
# expression (LIFR)", "AT1a knockout mice (AT1a)"), not the gene itself
_LONG_FORM_TAIL = re.compile(r"(?i)\b(genes?|knock-?outs?|expression|mice|rats|cells?|levels?|activity|mrna|"
                             r"sites?|fusions?|deletions?|mutations?|sequences?|littermates|pathways?|signaling)$")
_LONG_FORM_WORD_BEFORE = re.compile(r"(?<!\S)([A-Za-z][\w-]*) $")
_LONG_FORM_STOP = frozenset({"the", "to", "that", "this", "a", "an", "and", "as", "at", "by", "for", "from", "in",
                             "of", "on", "or", "with", "its", "their", "called", "termed", "named"})
_LONG_FORM_BREAK = re.compile(r"[.;:]\s|[\[\]]")
# a long form naming a disease ("Multiple endocrine neoplasia type 1 (MEN1)") defines no gene mention
_DISEASE_IN_LONG_FORM = re.compile(r"(?i)\b(diseases?|syndromes?|neoplasias?|disorders?|cancers?|tumou?rs?|deficiency)\b")


def _long_form_start(text: str, open_paren: int, short: str) -> int | None:
    """Start of the long form a parenthesized short form defines ("Delta-like 4 (Dll4)"), by Schwartz &
    Hearst's rule (:func:`extractors.abbreviations.long_form_start`) over the words before the parenthesis
    (at most min(|short| + 5, 2|short|) of them, not across a sentence break).  Character-level, so it does
    not depend on how the pipeline tokenizes, nor on the abbreviation detector being in the pipeline."""
    chars = [c.lower() for c in short if c.isalnum()]
    if len(chars) < 2 or not chars[0].isalpha():
        return None
    end = open_paren
    while end > 0 and text[end - 1] == " ":
        end -= 1
    budget = min(len(short) + 5, 2 * len(short))
    lo = end
    for _ in range(budget):
        k = text.rfind(" ", 0, lo - 1) if lo > 0 else -1
        lo = k + 1
        if k < 0:
            break
    window = text[lo:end]
    broken = list(_LONG_FORM_BREAK.finditer(window))
    if broken:
        lo += broken[-1].end()
        window = text[lo:end]
    start = long_form_start(window, "".join(chars))
    if start is None:
        return None
    while start > 0 and not window[start - 1].isspace():
        start -= 1
    # the shortest match can leave out a first word with the same initial: "Thyroid Transcription
    # Factor-1 (TTF-1)", "C-C chemokine receptor 5 (CCR5)"
    before = _LONG_FORM_WORD_BEFORE.search(window, 0, start)
    if before and before.group(1)[0].lower() == chars[0] and before.group(1).lower() not in _LONG_FORM_STOP and (
        not before.group(1).endswith(("ing", "ed"))  # "modulating mitogen-activated protein kinases (MAPKs)"
    ):
        start = before.start(1)
    return lo + start


def _defined_long_forms(text: str, index: GeneIndex, kept: list[_Candidate]) -> list[_Candidate]:
    """Gene mentions for the long forms of genes defined by abbreviation: "sodium/iodide symporter
    (NIS)", "mitochondrial uncoupling protein 3 (UCP3)", where the lexicon found only the short form
    or part of the long one.  The long form must look like a gene name (:data:`GENE_LIKE`), be no
    disease, method or measure, and not cut through another mention."""
    found: list[_Candidate] = []
    for c in kept:
        if text[c.start - 1:c.start] != "(" or text[c.end:c.end + 1] not in (")", ",", ";") or (
            text[c.end + 1:c.end + 2].isalnum() or text[c.end + 1:c.end + 2] == "-"
        ):
            continue  # "(ERK)-1/2": the abbreviation is part of a longer mention (see _refine)
        end = c.start - 1
        while end > 0 and text[end - 1] == " ":
            end -= 1
        start = _long_form_start(text, c.start - 1, text[c.start:c.end])
        if start is None or end - start < 4:
            continue
        species = LEADING_SPECIES.match(text[start:end])
        start += species.end() if species else 0
        long_form = text[start:end]
        inside = [o for o in kept if start <= o.start and o.end <= end]
        if (
            not long_form[0].isalnum() or long_form.count("(") != long_form.count(")")
            or len(inside) > 1 or any(o.start == start and o.end == end for o in inside)
            or any(o.start < start < o.end or o.start < end < o.end for o in kept)
            or re.search(rf"(?<!\w){re.escape(text[c.start:c.end])}(?!\w)", long_form)  # "p21(Cip1/WAF1) (p21)"
            or NON_GENE_LAST_WORD.search(long_form) or _LONG_FORM_TAIL.search(long_form)
            or DISEASE_WORD.search(long_form) or _DISEASE_IN_LONG_FORM.search(long_form)
            or not GENE_LIKE.search(long_form)
        ):
            continue
        record = lookup_record(index, long_form)
        found.append(_Candidate(start, end, c.record if record is None else record, NAME, True))
    return found


_NEXT_LIST_ITEM = re.compile(r"(?:, (?:and |or )?| and | or )([a-z][a-z0-9]{2,9})(?![\w-])")
_PREVIOUS_LIST_ITEM = re.compile(r"(?<![\w-])([a-z][a-z0-9]{2,9})(?:, (?:and |or )?| and | or )$")


def _lowercase_list_symbols(text: str, index: GeneIndex, kept: list[_Candidate]) -> list[_Candidate]:
    """Lower-case approved symbols listed next to lower-case genes already found: microarray and
    zebrafish-style lists ("dusp1, fth1, nfkbia, pax1, plaur").  Alone, a lower-case word is matched
    only when it is a name or has a digit ("fth1"); in such a list its neighbours show it is a symbol."""
    found: list[_Candidate] = []
    taken = {(c.start, c.end) for c in kept}
    queue = [c for c in kept if text[c.start:c.end].islower() and c.kind in SYMBOL_KINDS]
    english = english_words()
    while queue:
        c = queue.pop()
        after = _NEXT_LIST_ITEM.match(text, c.end)
        before = _PREVIOUS_LIST_ITEM.search(text, max(0, c.start - 16), c.start)
        for m in (after, before):
            if m is None or (m.start(1), m.end(1)) in taken:
                continue
            word = m.group(1)
            record = index.by_symbol.get(word.upper())
            if record is None or word in english or index.records[record].locus_type not in MATCHED_LOCUS_TYPES:
                continue
            new = _Candidate(m.start(1), m.end(1), record, SYMBOL, True)
            taken.add((new.start, new.end))
            found.append(new)
            queue.append(new)
    return found


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
    text = doc_text(doc)
    candidates = _scan(text, index, config)
    defined: dict[str, int] = {}
    if config.use_abbreviations and Doc.has_extension("abbreviations"):
        defined, vetoed = abbreviation_genes(doc, index)
        doc.user_data[NON_GENE_ABBREVIATIONS_KEY] = surely_not_genes(vetoed)
        if defined or vetoed:
            taken = {(c.start, c.end): c for c in candidates if text[c.start:c.end] not in vetoed}
            for short, record in defined.items():
                for s, e in _occurrences(text, short):
                    taken[(s, e)] = _Candidate(s, e, record, SYMBOL, True)
            candidates = _drop_overlaps(list(taken.values()))
    if index.blocked:
        defined_here = set(defined) if config.use_abbreviations and Doc.has_extension("abbreviations") else set()
        candidates = [c for c in candidates
                      if text[c.start:c.end] not in index.blocked or text[c.start:c.end] in defined_here]
    confident = [c for c in candidates if c.confident]
    kept = [c for c in candidates if c.confident or _has_context(text, c, confident)]
    kept.extend(_lowercase_list_symbols(text, index, kept))
    long_forms = _defined_long_forms(text, index, kept)
    if long_forms:  # a long form replaces the partial matches inside it ("uncoupling protein 3")
        kept = [*long_forms, *(c for c in kept if not any(f.start <= c.start and c.end <= f.end for f in long_forms))]
    kept.sort(key=lambda c: c.start)
    occupied = [(m.start, m.end) for m in mentions(doc) if m.kind == MentionKind.VARIANT]
    return [c for c in kept if not any(s < c.end and c.start < e for s, e in occupied)]
