"""A draft ClinGen gene–disease validity score, every point traceable to evidence records.

Source: ClinGen *Gene-Disease Validity Standard Operating Procedures, Version 11* (September 2024),
sections "Genetic Evidence" (Figure 2 and its worked examples), "Experimental Evidence" (Figure 8)
and "Summary & Final Matrix" (Figure 9).  The values used here:

Case-level variant evidence (per proband, default points; SOP range in brackets)
  * predicted or proven null variant (nonsense, frameshift, canonical splice, single/multi-exon or
    whole-gene deletion): 1.5 [0–3]; de novo: +0.5 (SOP example 3: null + de novo = 2)
  * other variant with gene impact (missense, in-frame, ...): 0.1 [0–1.5]; supportive functional
    data: +0.4; de novo: +0.4 (SOP examples 1–2)
  * biallelic (autosomal recessive): score each variant in trans and sum; a homozygous variant counts
    twice; the GCI caps a proband at 3 points (SOP AR example 5)
  * genetic evidence total (case-level + segregation + case-control): max 12
Experimental evidence (default points per item; group caps)
  * Function — biochemical function 0.5, protein interaction 0.5, expression 0.5: max 2
  * Functional alteration — patient cells 1, non-patient cells 0.5: max 2
  * Models & rescue — non-human model organism 2, cell culture model 1, rescue 1–2: max 4
  * experimental total: max 6
Classification (genetic + experimental, 0–18): Limited 0.1–6, Moderate 7–11, Strong 12–18,
Definitive 12–18 and replicated over time (> 2 publications and > 3 years since the first);
0 points -> No Known Disease Relationship.  Contradictory evidence is for experts to weigh and is
not scored here.

What is deliberately *not* automated (and shows as 0-point "not scored" lines for the curator):
segregation (needs a LOD score, SOP Figures 4–6), case-control studies, and upgrades/downgrades that
need judgement (phenotype specificity, consanguinity, prior testing).  Each paper-level record counts
as one proband, however many probands it reports: scoring further unrelated probands is the
curator's call (SOP "Recurrent variants").
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from genelit.models.evidence import EvidenceRecord, FunctionalCategory, VariantClass

SOP_VERSION = "ClinGen Gene-Disease Validity SOP v11 (September 2024)"

NULL_VARIANT_POINTS = 1.5
OTHER_VARIANT_POINTS = 0.1
FUNCTIONAL_UPGRADE = 0.4
DE_NOVO_UPGRADE_NULL = 0.5
DE_NOVO_UPGRADE_OTHER = 0.4
NULL_VARIANT_MAX = 3.0
OTHER_VARIANT_MAX = 1.5
BIALLELIC_PROBAND_MAX = 3.0
GENETIC_MAX = 12.0

EXPERIMENTAL_POINTS: dict[FunctionalCategory, float] = {
    FunctionalCategory.BIOCHEMICAL_FUNCTION: 0.5,
    FunctionalCategory.PROTEIN_INTERACTION: 0.5,
    FunctionalCategory.EXPRESSION: 0.5,
    FunctionalCategory.PATIENT_CELLS: 1.0,
    FunctionalCategory.NON_PATIENT_CELLS: 0.5,
    FunctionalCategory.MODEL_ORGANISM: 2.0,
    FunctionalCategory.CELL_CULTURE_MODEL: 1.0,
    # the SOP gives 2 for rescue in humans / model organisms and 1 in cell culture / patient cells;
    # the extractor does not tell which, so the lower default is used
    FunctionalCategory.RESCUE: 1.0,
}
FUNCTION_GROUP = "function"
FUNCTIONAL_ALTERATION_GROUP = "functional alteration"
MODELS_RESCUE_GROUP = "models & rescue"
EXPERIMENTAL_GROUPS: dict[FunctionalCategory, str] = {
    FunctionalCategory.BIOCHEMICAL_FUNCTION: FUNCTION_GROUP,
    FunctionalCategory.PROTEIN_INTERACTION: FUNCTION_GROUP,
    FunctionalCategory.EXPRESSION: FUNCTION_GROUP,
    FunctionalCategory.PATIENT_CELLS: FUNCTIONAL_ALTERATION_GROUP,
    FunctionalCategory.NON_PATIENT_CELLS: FUNCTIONAL_ALTERATION_GROUP,
    FunctionalCategory.MODEL_ORGANISM: MODELS_RESCUE_GROUP,
    FunctionalCategory.CELL_CULTURE_MODEL: MODELS_RESCUE_GROUP,
    FunctionalCategory.RESCUE: MODELS_RESCUE_GROUP,
}
GROUP_MAX = {FUNCTION_GROUP: 2.0, FUNCTIONAL_ALTERATION_GROUP: 2.0, MODELS_RESCUE_GROUP: 4.0}
EXPERIMENTAL_MAX = 6.0
# variant-level functional data (the variant damages the gene product) upgrades the case instead
VARIANT_FUNCTIONAL_CATEGORIES = frozenset(
    {FunctionalCategory.PATIENT_CELLS, FunctionalCategory.NON_PATIENT_CELLS}
)


class Inheritance(StrEnum):
    AUTOSOMAL_DOMINANT = "autosomal dominant"
    AUTOSOMAL_RECESSIVE = "autosomal recessive"
    X_LINKED = "X-linked"
    UNKNOWN = "unknown"


_INHERITANCE_HPO = {
    "HP:0000006": Inheritance.AUTOSOMAL_DOMINANT,
    "HP:0000007": Inheritance.AUTOSOMAL_RECESSIVE,
    "HP:0001417": Inheritance.X_LINKED,
    "HP:0001419": Inheritance.X_LINKED,
    "HP:0001423": Inheritance.X_LINKED,
}


class Classification(StrEnum):
    NO_KNOWN = "No Known Disease Relationship"
    LIMITED = "Limited"
    MODERATE = "Moderate"
    STRONG = "Strong"
    DEFINITIVE = "Definitive"


@dataclass(frozen=True)
class ScoreItem:
    """One line of the score sheet: what earned (or did not earn) points, and from which records."""

    category: str  # "case-level", "segregation", "experimental: function", ...
    points: float
    record_ids: tuple[str, ...]
    pmids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ClinGenScore:
    gene: str
    inheritance: Inheritance
    items: tuple[ScoreItem, ...]
    genetic_points: float
    experimental_points: float
    replicated_over_time: bool
    classification: Classification
    notes: tuple[str, ...] = field(default_factory=tuple)
    sop_version: str = SOP_VERSION

    @property
    def total_points(self) -> float:
        return round(self.genetic_points + self.experimental_points, 2)


def infer_inheritance(records: Sequence[EvidenceRecord]) -> Inheritance:
    """Mode of inheritance from the records: stated HPO/text first, else from zygosity.

    The most frequent stated mode wins; with none stated, biallelic zygosity means recessive,
    hemizygosity X-linked, heterozygosity dominant.
    """
    votes: dict[Inheritance, int] = {}
    for record in records:
        mode = _stated_inheritance(record)
        if mode is not Inheritance.UNKNOWN:
            votes[mode] = votes.get(mode, 0) + 1
    if votes:
        return max(votes, key=lambda m: votes[m])
    zygosities = {_zygosity(r) for r in records}
    if zygosities & {"homozygous", "compound heterozygous"}:
        return Inheritance.AUTOSOMAL_RECESSIVE
    if "hemizygous" in zygosities:
        return Inheritance.X_LINKED
    if "heterozygous" in zygosities:
        return Inheritance.AUTOSOMAL_DOMINANT
    return Inheritance.UNKNOWN


def _stated_inheritance(record: EvidenceRecord) -> Inheritance:
    if record.inheritance_hpo in _INHERITANCE_HPO:
        return _INHERITANCE_HPO[record.inheritance_hpo]
    text = (record.inheritance or "").lower()
    if "recessive" in text:
        return Inheritance.AUTOSOMAL_RECESSIVE if "x-linked" not in text else Inheritance.X_LINKED
    if "x-linked" in text or "x linked" in text:
        return Inheritance.X_LINKED
    if "dominant" in text:
        return Inheritance.AUTOSOMAL_DOMINANT
    return Inheritance.UNKNOWN


def _zygosity(record: EvidenceRecord) -> str:
    return re.sub(r"[\s_-]+", " ", (record.zygosity or "").lower()).strip()


def _is_null(record: EvidenceRecord) -> bool | None:
    """True for null variants, False for other scorable variants, None when there is no variant."""
    if record.variant_class is None:
        return None
    if record.variant_class is VariantClass.NULL:
        return True
    if record.variant_class is VariantClass.COPY_NUMBER:
        described = " ".join(x for x in (record.variant_key, record.variant, record.hgvs_c) if x).lower()
        return "del" in described
    return False


def _variant_name(record: EvidenceRecord) -> str:
    return " ".join(x for x in (record.hgvs_c, record.hgvs_p) if x) or record.variant_key or record.variant or "?"


def _allele_points(record: EvidenceRecord) -> tuple[float, str]:
    """Points for one allele of this record's variant, and why."""
    null = bool(_is_null(record))
    points = NULL_VARIANT_POINTS if null else OTHER_VARIANT_POINTS
    reasons = [f"{'predicted/proven null' if null else 'other variant with gene impact'} "
               f"({record.variant_class.value if record.variant_class else '?'}) default {points}"]
    if record.segregation and "de_novo" in record.segregation.replace(" ", "_").lower():
        upgrade = DE_NOVO_UPGRADE_NULL if null else DE_NOVO_UPGRADE_OTHER
        points += upgrade
        reasons.append(f"de novo +{upgrade}")
    variant_functional = [c for c in record.functional_evidence if c.category in VARIANT_FUNCTIONAL_CATEGORIES]
    if variant_functional and not null:
        points += FUNCTIONAL_UPGRADE
        reasons.append(f"functional data on the variant +{FUNCTIONAL_UPGRADE}")
    cap = NULL_VARIANT_MAX if null else OTHER_VARIANT_MAX
    if points > cap:
        reasons.append(f"capped at {cap}")
        points = cap
    return points, ", ".join(reasons)


def _item(category: str, points: float, records: Sequence[EvidenceRecord], reason: str) -> ScoreItem:
    return ScoreItem(
        category=category,
        points=round(points, 2),
        record_ids=tuple(dict.fromkeys(r.record_id for r in records)),
        pmids=tuple(dict.fromkeys(r.pmid for r in records)),
        reason=reason,
    )


def _case_level_items(records: Sequence[EvidenceRecord], inheritance: Inheritance) -> list[ScoreItem]:
    items: list[ScoreItem] = []
    variant_records = [r for r in records if _is_null(r) is not None]
    if inheritance is Inheritance.AUTOSOMAL_RECESSIVE:
        compound: dict[str, list[EvidenceRecord]] = {}
        for record in variant_records:
            zygosity = _zygosity(record)
            name = _variant_name(record)
            if zygosity == "homozygous":
                points, why = _allele_points(record)
                total = min(points * 2, BIALLELIC_PROBAND_MAX)
                cap = " (proband capped at 3)" if points * 2 > BIALLELIC_PROBAND_MAX else ""
                consanguineous = ("; consanguineous family: the SOP suggests considering a downgrade "
                                  "(runs of homozygosity)") if record.consanguinity else ""
                items.append(_item("case-level", total, [record], f"homozygous {name}: ({why}) × 2 alleles"
                                   f"{cap}{consanguineous}{_proband_note(record)}"))
            elif zygosity == "compound heterozygous":
                compound.setdefault(record.pmid, []).append(record)
            else:
                items.append(_item("case-level", 0.0, [record],
                                   f"not scored: {name} is {zygosity or 'of unknown zygosity'}, "
                                   "a recessive case needs both alleles"))
        for pmid, alleles in compound.items():
            if len(alleles) < 2:
                items.append(_item("case-level", 0.0, alleles,
                                   f"not scored: only one compound-heterozygous allele found in PMID:{pmid}"))
                continue
            scored = [_allele_points(r) for r in alleles[:2]]
            total = min(sum(p for p, _ in scored), BIALLELIC_PROBAND_MAX)
            why = " + ".join(f"{_variant_name(r)} ({w})" for r, (_, w) in zip(alleles, scored))
            items.append(_item("case-level", total, alleles[:2],
                               f"compound heterozygous, alleles summed: {why}{_proband_note(alleles[0])}"))
    else:
        for record in variant_records:
            points, why = _allele_points(record)
            zygosity = _zygosity(record) or "zygosity not stated"
            items.append(_item("case-level", points, [record],
                               f"{zygosity} {_variant_name(record)}: {why}{_proband_note(record)}"))
    return items


def _proband_note(record: EvidenceRecord) -> str:
    if record.proband_count and record.proband_count > 1:
        return f"; paper reports {record.proband_count} probands, scored as one pending curator review"
    return ""


def _unscored_genetic_items(records: Sequence[EvidenceRecord]) -> list[ScoreItem]:
    segregating = [r for r in records if r.segregation and "de_novo" not in r.segregation.lower()]
    if not segregating:
        return []
    return [_item("segregation", 0.0, segregating,
                  "not scored: segregation points need a LOD score (SOP Figures 4-6, max 3); "
                  "curator to count segregations")]


def _experimental_items(records: Sequence[EvidenceRecord]) -> list[ScoreItem]:
    """One item per (paper, category); variant-level functional data already upgraded a case."""
    seen: dict[tuple[str, FunctionalCategory], list[EvidenceRecord]] = {}
    for record in records:
        for cue in record.functional_evidence:
            used_for_case = cue.category in VARIANT_FUNCTIONAL_CATEGORIES and _is_null(record) is False
            if not used_for_case:
                seen.setdefault((record.pmid, cue.category), []).append(record)
    items: list[ScoreItem] = []
    group_totals: dict[str, float] = {}
    for (pmid, category), recs in seen.items():
        group = EXPERIMENTAL_GROUPS[category]
        room = GROUP_MAX[group] - group_totals.get(group, 0.0)
        points = min(EXPERIMENTAL_POINTS[category], max(room, 0.0))
        group_totals[group] = group_totals.get(group, 0.0) + points
        reason = f"{category.value} in PMID:{pmid}: default {EXPERIMENTAL_POINTS[category]}"
        if points < EXPERIMENTAL_POINTS[category]:
            reason += f", limited by the {group} maximum of {GROUP_MAX[group]}"
        items.append(_item(f"experimental: {group}", points, recs, reason))
    return items


def classify(total_points: float, replicated_over_time: bool) -> Classification:
    """SOP Figure 9: points (0–18) and replication over time -> calculated classification."""
    if total_points >= 12:
        return Classification.DEFINITIVE if replicated_over_time else Classification.STRONG
    if total_points >= 7:
        return Classification.MODERATE
    if total_points > 0:
        return Classification.LIMITED
    return Classification.NO_KNOWN


def score_gene_disease(
    records: Sequence[EvidenceRecord],
    inheritance: Inheritance | None = None,
    as_of_year: int | None = None,
) -> ClinGenScore:
    """Score ``records`` (one gene–disease pair; callers choose which records count).

    ``inheritance`` overrides :func:`infer_inheritance`; ``as_of_year`` (default: this year) decides
    whether more than 3 years have passed since the first scored publication.
    """
    mode = inheritance or infer_inheritance(records)
    genetic_items = _case_level_items(records, mode) + _unscored_genetic_items(records)
    experimental_items = _experimental_items(records)
    genetic_raw = sum(i.points for i in genetic_items)
    experimental_raw = sum(i.points for i in experimental_items)
    genetic = min(genetic_raw, GENETIC_MAX)
    experimental = min(experimental_raw, EXPERIMENTAL_MAX)
    notes: list[str] = []
    if genetic_raw > GENETIC_MAX:
        notes.append(f"genetic evidence {genetic_raw:g} points capped at {GENETIC_MAX:g}")
    if experimental_raw > EXPERIMENTAL_MAX:
        notes.append(f"experimental evidence {experimental_raw:g} points capped at {EXPERIMENTAL_MAX:g}")
    if mode is Inheritance.UNKNOWN:
        notes.append("mode of inheritance unknown: variants scored as single alleles")
    scored_papers = {r.pmid: r.year for r in records
                     if any(r.record_id in i.record_ids and i.points > 0 for i in genetic_items)}
    years = [y for y in scored_papers.values() if y]
    this_year = as_of_year or date.today().year
    replicated = len(scored_papers) > 2 and bool(years) and this_year - min(years) > 3
    return ClinGenScore(
        gene=records[0].gene_symbol if records else "",
        inheritance=mode,
        items=tuple(genetic_items + experimental_items),
        genetic_points=round(genetic, 2),
        experimental_points=round(experimental, 2),
        replicated_over_time=replicated,
        classification=classify(round(genetic + experimental, 2), replicated),
        notes=tuple(notes),
    )
