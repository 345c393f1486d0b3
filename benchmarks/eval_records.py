"""Score drafted evidence records against the record-level gold (``benchmarks/gold``), record by record.

Usage (from the repository root)::

    python benchmarks/eval_records.py --split dev                 # dev figures (case reports, abstracts)
    python benchmarks/eval_records.py --split dev --errors        # plus every miss, extra draft and wrong field
    python benchmarks/eval_records.py --split heldout             # once, at the end (never with --errors)

The driver runs the real pipeline (``extract_articles`` then ``draft_records``) on the gold documents'
texts (``corpora/casereports`` for case reports, BioRED Train / tmVar train for abstracts) and scores the
drafts whose role is ``case`` — what the store and exports show by default.

Matching: a draft matches a gold record when paper and gene (HGNC symbol) agree and any spelling of the
draft's allele (as written, canonical key, HGVS c./p./g., rsID, synonyms) is a spelling of the gold allele
(``variant_text``, ``hgvs_c``, ``hgvs_p``, ``other_forms``) — compared through the variant normalizer, so
``p.K307T`` and ``Lys307Thr`` are one spelling.  Each gold record is matched at most once: a second draft
of the same allele is a false positive (a curator would review it twice).

Two views: *all tiers* (every gold record is a patient's allele, polymorphisms and incidental findings
included) and *core + candidate* (gold = core and candidate records; a draft matching an incidental or
polymorphism record is neither right nor wrong there: it is a patient's allele, not a claimed cause).

Field accuracies are over matched records (all tiers): zygosity where the gold states it (not
``unknown``); de novo, parental origin, mode of inheritance and proband count on every matched record
(an unstated value is ``False`` / ``""`` / ``unknown`` in the gold and ``None`` in the draft; a draft
without a proband count is wrong);
phenotypes: micro precision and recall of the drafts' HPO ids against the gold ``phenotypes_hpo``
(outdated ids mapped through hp.obo ``alt_id`` / ``replaced_by``).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genelit.extractors.drafting import draft_records
from genelit.extractors.evaluation import hp_id_map
from genelit.extractors.pipeline import extract_articles, load_pipeline
from genelit.extractors.pubtator import read_pubtator
from genelit.extractors.variants import normalize_variant
from genelit.models.article import AbstractSection, Article
from genelit.models.evidence import EvidenceRecord

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "benchmarks" / "gold"
CORPORA = ROOT / "corpora"
TEXTS = {
    "casereports": (CORPORA / "casereports" / "casereports.PubTator",),
    "abstracts": (CORPORA / "biored" / "Train.PubTator", CORPORA / "tmvar" / "train.PubTator"),
}
CAUSAL_TIERS = frozenset({"core", "candidate"})
# inheritance labels of the drafts (HPO term names) -> the gold vocabulary
INHERITANCE = {
    "Autosomal recessive inheritance": "autosomal_recessive",
    "Autosomal dominant inheritance": "autosomal_dominant",
    "X-linked inheritance": "x_linked",
    "X-linked recessive inheritance": "x_linked_recessive",
    "X-linked dominant inheritance": "x_linked_dominant",
    "Mitochondrial inheritance": "mitochondrial",
}
_TRANSCRIPT = re.compile(r"^(?:[A-Z]{2}_\d+(?:\.\d+)?[/:]?\s*)+(?::\s*)?(?:exon\s*\d+:\s*)?")
_STARS = str.maketrans({"⁎": "*", "∗": "*", "→": ">"})


def spelling_keys(spelling: str) -> set[str]:
    """Comparable forms of one written spelling: the canonical variant key, else the text without spaces.

    Gold ``other_forms`` are verbatim ("NM_004698: exon10: c.1345C > G: p.R449G", "p.Val1084Glyfs⁎12"),
    so transcript prefixes are dropped and a combined c./p. spelling gives both keys.
    """
    text = spelling.strip().translate(_STARS)
    if not text:
        return set()
    keys = {re.sub(r"\s+", "", text).lower()}
    for part in re.split(r":\s*(?=[cpgPC]\.)", _TRANSCRIPT.sub("", text)):
        part = re.sub(r"^([CPG])\.", lambda m: m.group(1).lower() + ".", part.strip())
        key = normalize_variant(part)
        if key:
            keys.add(key)
    return keys


@dataclass
class GoldRecord:
    data: dict

    @property
    def pmid(self) -> str:
        return str(self.data["pmid"])

    @property
    def gene(self) -> str:
        return self.data["gene"].upper()

    @property
    def tier(self) -> str:
        return self.data.get("tier", "core")

    def keys(self) -> set[str]:
        spellings = [self.data.get("variant_text", ""), self.data.get("hgvs_c", ""), self.data.get("hgvs_p", "")]
        spellings += (self.data.get("other_forms") or "").split("|")
        return set().union(*(spelling_keys(s) for s in spellings))

    def label(self) -> str:
        return f"{self.data['gene']} {self.data['variant_text']} [{self.tier}]"


def draft_keys(record: EvidenceRecord) -> set[str]:
    spellings = [record.variant, record.variant_key, record.hgvs_c, record.hgvs_p, record.hgvs_g, record.rsid]
    spellings += list(getattr(record, "synonyms", None) or [])
    return set().union(*(spelling_keys(s) for s in spellings if s))


def role_of(record: EvidenceRecord) -> str:
    return str(getattr(record, "role", "case") or "case")


@dataclass
class Match:
    gold: GoldRecord
    draft: EvidenceRecord


@dataclass
class Scored:
    """Matches and errors of one set of documents."""

    matches: list[Match] = field(default_factory=list)
    missed: list[GoldRecord] = field(default_factory=list)
    extra: list[EvidenceRecord] = field(default_factory=list)

    def counts(self, causal_only: bool) -> tuple[int, int, int]:
        """(tp, fp, fn) for all tiers or core + candidate (see the module docstring)."""
        if not causal_only:
            return len(self.matches), len(self.extra), len(self.missed)
        tp = sum(m.gold.tier in CAUSAL_TIERS for m in self.matches)
        fn = sum(g.tier in CAUSAL_TIERS for g in self.missed)
        return tp, len(self.extra), fn


def match_paper(gold: Sequence[GoldRecord], drafts: Sequence[EvidenceRecord]) -> Scored:
    """One-to-one matching of one paper's drafts to its gold records (drafts in their order)."""
    scored = Scored()
    gold_keys = [(g, g.keys()) for g in gold]
    taken: set[int] = set()
    for draft in drafts:
        keys = draft_keys(draft)
        hit = next(
            (i for i, (g, gk) in enumerate(gold_keys)
             if i not in taken and g.gene == draft.gene_symbol.upper() and gk & keys),
            None,
        )
        if hit is None:
            scored.extra.append(draft)
        else:
            taken.add(hit)
            scored.matches.append(Match(gold_keys[hit][0], draft))
    scored.missed = [g for i, (g, _) in enumerate(gold_keys) if i not in taken]
    return scored


def score(gold: Sequence[GoldRecord], drafts: dict[str, list[EvidenceRecord]]) -> Scored:
    by_paper: dict[str, list[GoldRecord]] = {}
    for g in gold:
        by_paper.setdefault(g.pmid, []).append(g)
    total = Scored()
    for pmid, records in drafts.items():
        one = match_paper(by_paper.get(pmid, []), [r for r in records if role_of(r) == "case"])
        total.matches += one.matches
        total.missed += one.missed
        total.extra += one.extra
    return total


# ----- field accuracies ------------------------------------------------------------------------------


def _zygosity(m: Match) -> tuple[str, str] | None:
    gold = m.gold.data.get("zygosity") or "unknown"
    return None if gold == "unknown" else (gold, m.draft.zygosity or "unknown")


def _de_novo(m: Match) -> tuple[bool, bool]:
    return bool(m.gold.data.get("de_novo")), bool(getattr(m.draft, "de_novo", None))


def _inherited_from(m: Match) -> tuple[str, str]:
    return m.gold.data.get("inherited_from") or "", getattr(m.draft, "inherited_from", None) or ""


def _inheritance(m: Match) -> tuple[str, str]:
    return m.gold.data.get("inheritance") or "unknown", INHERITANCE.get(m.draft.inheritance or "", "unknown")


def _probands(m: Match) -> tuple[int, int | None]:
    return int(m.gold.data.get("proband_count") or 1), m.draft.proband_count


FIELDS = {
    "zygosity (where stated)": _zygosity,
    "de novo": _de_novo,
    "parental origin": _inherited_from,
    "inheritance (mode)": _inheritance,
    "proband count": _probands,
}


def field_accuracy(matches: Iterable[Match], judge) -> tuple[int, int, list[tuple[Match, object, object]]]:
    right = total = 0
    wrong = []
    for m in matches:
        pair = judge(m)
        if pair is None:
            continue
        total += 1
        if pair[0] == pair[1]:
            right += 1
        else:
            wrong.append((m, *pair))
    return right, total, wrong


def phenotype_scores(matches: Iterable[Match]) -> tuple[int, int, int]:
    """(tp, fp, fn) of HPO ids over matched records."""
    id_map = hp_id_map()
    tp = fp = fn = 0
    for m in matches:
        gold = {id_map.get(h, h) for h in m.gold.data.get("phenotypes_hpo") or []}
        pred = {id_map.get(h, h) for h in m.draft.hpo_ids}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return tp, fp, fn


# ----- driver ----------------------------------------------------------------------------------------


def load_gold(kind: str, split: str) -> tuple[list[GoldRecord], list[str]]:
    """Gold records and every curated PMID (documents with no records count for precision)."""
    records = [GoldRecord(json.loads(line)) for line in (GOLD_DIR / f"{kind}.{split}.jsonl").open(encoding="utf-8") if line.strip()]
    docs = [json.loads(line)["pmid"] for line in (GOLD_DIR / f"{kind}.{split}.documents.jsonl").open(encoding="utf-8") if line.strip()]
    return records, list(dict.fromkeys(str(p) for p in docs))


def load_articles(kind: str, pmids: Sequence[str]) -> list[Article]:
    wanted = set(pmids)
    found: dict[str, Article] = {}
    for path in TEXTS[kind]:
        for doc in read_pubtator(path):
            if doc.pmid in wanted and doc.pmid not in found:
                sections = [AbstractSection(text=doc.abstract)] if doc.abstract else []
                found[doc.pmid] = Article(pmid=doc.pmid, title=doc.title, abstract_sections=sections)
    missing = wanted - set(found)
    if missing:
        sys.exit(f"gold documents without a text in {', '.join(map(str, TEXTS[kind]))}: {', '.join(sorted(missing))}")
    return [found[p] for p in pmids]


def draft_all(articles: Sequence[Article]) -> dict[str, list[EvidenceRecord]]:
    nlp = load_pipeline()
    by_pmid = {a.pmid: a for a in articles}
    return {e.pmid: draft_records(by_pmid[e.pmid], e) for e in extract_articles(articles, nlp)}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"


def _prf(tp: int, fp: int, fn: int) -> tuple[str, str, str]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"


def figures(name: str, scored: Scored, drafts: dict[str, list[EvidenceRecord]], n_gold: int) -> list[str]:
    """Markdown lines: P/R/F1 in both views, then field accuracies."""
    all_drafts = sum(len(v) for v in drafts.values())
    case_drafts = sum(role_of(r) == "case" for v in drafts.values() for r in v)
    lines = [f"**{name}** — {len(drafts)} documents, {n_gold} gold records; {case_drafts} case-level drafts "
             f"({all_drafts} drafts of every role)", "",
             "| view | precision | recall | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|"]
    for label, causal in (("all tiers", False), ("core + candidate", True)):
        tp, fp, fn = scored.counts(causal)
        lines.append(f"| {label} | " + " | ".join(_prf(tp, fp, fn)) + f" | {tp} | {fp} | {fn} |")
    lines += ["", "| field (matched records) | accuracy |", "|---|---|"]
    for label, judge in FIELDS.items():
        right, total, _ = field_accuracy(scored.matches, judge)
        lines.append(f"| {label} | {_ratio(right, total)} |")
    tp, fp, fn = phenotype_scores(scored.matches)
    p, r, _ = _prf(tp, fp, fn)
    lines.append(f"| phenotypes (HPO ids) | precision {p}, recall {r} ({tp} right, {fp} extra, {fn} missed) |")
    return lines


def errors(scored: Scored) -> list[str]:
    out = ["missed gold records:"]
    out += [f"  {g.pmid} {g.label()}" for g in scored.missed]
    out.append("extra case-level drafts:")
    out += [f"  {r.pmid} {r.gene_symbol} {r.variant!r} key={r.variant_key} conf={r.confidence}" for r in scored.extra]
    for label, judge in FIELDS.items():
        _, _, wrong = field_accuracy(scored.matches, judge)
        out.append(f"wrong {label}:")
        out += [f"  {m.gold.pmid} {m.gold.label()}: gold {g!r}, draft {d!r}" for m, g, d in wrong]
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--set", choices=("casereports", "abstracts", "all"), default="all", dest="which")
    parser.add_argument("--errors", action="store_true", help="list misses, extra drafts and wrong fields (dev only)")
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        parser.error("--errors lists the held-out gold's content; it is for the dev split only")
    kinds = ("casereports", "abstracts") if args.which == "all" else (args.which,)
    lines: list[str] = []
    for kind in kinds:
        gold, pmids = load_gold(kind, args.split)
        drafts = draft_all(load_articles(kind, pmids))
        scored = score(gold, drafts)
        lines += figures(f"{kind}.{args.split}", scored, drafts, len(gold)) + [""]
        if args.errors:
            print("\n".join([f"== {kind}.{args.split} errors", *errors(scored)]))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
