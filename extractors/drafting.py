"""Draft case-level evidence records (one per gene × variant × paper) from a document's mentions.

Why a separate pure function rather than a spaCy component: drafting is a *paper-level* judgement over
everything the components found (which gene a variant belongs to, which zygosity describes it, the
paper's inheritance and disease), and curators re-draft stored extractions when the rules improve without
re-running NLP.  Every choice made here is written into ``confidence_reasons`` so that a curator can see
why a record looks the way it does and how much to trust it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from genelit.models.article import Article
from genelit.models.evidence import (
    EvidenceRecord,
    EvidenceSentence,
    FunctionalCategory,
    FunctionalCue,
    Phenotype,
    VariantClass,
)
from genelit.models.mentions import DocumentExtraction, Mention, MentionKind

# Zygosity values that state a genotype, preferred over allele-count words ("biallelic") and origin
# words ("de novo", "mosaic") when several describe the same variant.
GENOTYPE_ZYGOSITY = ("compound_heterozygous", "homozygous", "hemizygous", "heterozygous")
CASE_LEVEL_CUES = (MentionKind.ZYGOSITY, MentionKind.SEGREGATION, MentionKind.CONSANGUINITY, MentionKind.PROBAND_COUNT)
CUE_KINDS = CASE_LEVEL_CUES + (MentionKind.INHERITANCE, MentionKind.FUNCTIONAL)
PROBAND_UNITS = ("probands", "patients", "affected")
DOMINANT_GENE_RATIO = 2  # a gene mentioned twice as often as any other is "the paper's gene"

# confidence: start, bonuses and penalties (each applied once, each explained in confidence_reasons)
BASE_VARIANT_CONFIDENCE = 0.4
BASE_GENE_LEVEL_CONFIDENCE = 0.3
BONUS = {
    "variant and gene in the same sentence": 0.2,
    "gene is the only gene discussed": 0.1,
    "zygosity attached to the variant": 0.1,
    "zygosity stated in the same sentence": 0.05,
    "HGVS-valid variant description": 0.1,
    "inheritance stated": 0.05,
    "proband count stated": 0.05,
    "HPO phenotypes found": 0.05,
    "segregation evidence": 0.05,
}
PENALTY = {
    "gene ambiguous": 0.15,
    "variant far from gene": 0.15,
    "retracted paper": 0.3,
}


def _gene_key(gene: Mention) -> str:
    return gene.concept_id or gene.label or gene.text


def _symbol(gene: Mention) -> str:
    return str(gene.attrs.get("symbol") or gene.label or gene.text)


def _variant_keys(variant: Mention) -> set[str]:
    keys = {variant.concept_id or variant.text}
    keys.update(str(variant.attrs[k]) for k in ("hgvs_c", "hgvs_p", "hgvs_g", "rsid") if variant.attrs.get(k))
    return keys


def _distance(a: Mention, b: Mention) -> int:
    """Characters between two spans (0 when they touch or overlap: "IGF-I gene deletion")."""
    return max(a.start - b.end, b.start - a.end, 0)


def _in_sentence(m: Mention, sentence: tuple[int, int]) -> bool:
    return sentence[0] <= m.start < sentence[1]


def _sentence(m: Mention) -> tuple[int, int]:
    return (m.sentence_start, m.sentence_end)


@dataclass(frozen=True)
class GeneChoice:
    """Which gene a variant mention belongs to and why."""

    gene: Mention
    reasons: tuple[str, ...]
    rank: int  # lower is more trustworthy


@dataclass
class Paper:
    """The non-negated mentions of one extraction, by kind (what every drafting rule reads)."""

    extraction: DocumentExtraction
    by_kind: dict[MentionKind, list[Mention]] = field(default_factory=dict)

    @classmethod
    def of(cls, extraction: DocumentExtraction) -> Paper:
        paper = cls(extraction)
        for m in sorted(extraction.mentions, key=lambda m: (m.start, m.end)):
            if not m.negated:
                paper.by_kind.setdefault(m.kind, []).append(m)
        return paper

    def kind(self, kind: MentionKind) -> list[Mention]:
        return self.by_kind.get(kind, [])

    def gene_counts(self) -> Counter[str]:
        return Counter(_gene_key(g) for g in self.kind(MentionKind.GENE))

    def only_gene(self) -> str | None:
        counts = self.gene_counts()
        return next(iter(counts)) if len(counts) == 1 else None

    def dominant_gene(self) -> str | None:
        ranked = self.gene_counts().most_common(2)
        if len(ranked) == 1 or (len(ranked) == 2 and ranked[0][1] >= DOMINANT_GENE_RATIO * ranked[1][1]):
            return ranked[0][0]
        return None

    def first_gene(self, key: str) -> Mention:
        return next(g for g in self.kind(MentionKind.GENE) if _gene_key(g) == key)


def choose_gene(variant: Mention, paper: Paper) -> GeneChoice | None:
    """The gene a variant mention belongs to: nearest gene in its sentence, else the paper's only or
    dominant gene, else the nearest gene anywhere (flagged)."""
    genes = paper.kind(MentionKind.GENE)
    if not genes:
        return None
    only = paper.only_gene()
    only_reason = ("gene is the only gene discussed",) if only else ()
    same = [g for g in genes if _in_sentence(g, _sentence(variant))]
    if same:
        nearest = min(same, key=lambda g: (_distance(g, variant), g.start))
        distinct = {_gene_key(g) for g in same}
        ambiguous = ("gene ambiguous",) if len(distinct) > 1 and not _named_by_variant(nearest, variant) else ()
        return GeneChoice(nearest, ("variant and gene in the same sentence",) + only_reason + ambiguous, 0)
    if only:
        return GeneChoice(paper.first_gene(only), only_reason, 1)
    dominant = paper.dominant_gene()
    if dominant:
        return GeneChoice(paper.first_gene(dominant), ("gene ambiguous",), 2)
    nearest = min(genes, key=lambda g: (_distance(g, variant), g.start))
    return GeneChoice(nearest, ("gene ambiguous", "variant far from gene"), 3)


def _named_by_variant(gene: Mention, variant: Mention) -> bool:
    """The gene is written inside or right against the variant ("IGF-I gene deletion", "IGF1 p.V92M")."""
    return _distance(gene, variant) <= 1


def allele_groups(variants: list[Mention]) -> list[list[Mention]]:
    """Variant mentions grouped by the allele they describe: mentions sharing any key (canonical key,
    hgvs_c, hgvs_p, hgvs_g, rsid) are one allele, so "c.274G>A (p.Val92Met)" and a later "p.V92M" merge."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for v in variants:
        keys = sorted(_variant_keys(v))
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
    groups: dict[str, list[Mention]] = {}
    for v in variants:
        groups.setdefault(find(v.concept_id or v.text), []).append(v)
    return sorted(groups.values(), key=lambda g: g[0].start)


def _preferred(group: list[Mention], attr: str) -> str | None:
    return next((str(v.attrs[attr]) for v in group if v.attrs.get(attr)), None)


def variant_key(group: list[Mention]) -> str:
    """One key per allele: the cDNA form when known (most specific), else genomic, protein, rsID, canonical."""
    for attr in ("hgvs_c", "hgvs_g", "hgvs_p", "rsid"):
        value = _preferred(group, attr)
        if value:
            return value
    return group[0].concept_id or group[0].text


def _zygosity_value(cues: list[Mention]) -> str | None:
    """The zygosity that best describes a case: genotype words first, then the most frequent, then first."""
    if not cues:
        return None
    genotype = [c for c in cues if c.concept_id in GENOTYPE_ZYGOSITY] or cues
    counts = Counter(c.concept_id for c in genotype)
    best = max(counts.values())
    return next(c.concept_id for c in genotype if counts[c.concept_id] == best)


def _case_zygosity(paper: Paper) -> list[Mention]:
    """Zygosity words about the case itself, not about carrier relatives ("parents were heterozygous")."""
    return [z for z in paper.kind(MentionKind.ZYGOSITY) if not z.attrs.get("carrier")]


def zygosity_for(group: list[Mention], paper: Paper) -> tuple[list[Mention], str | None]:
    """Zygosity cues for an allele and the reason: attached by the cue component, else same-sentence."""
    spans = {(v.start, v.end) for v in group}
    cues = _case_zygosity(paper)
    attached = [z for z in cues if any(tuple(s) in spans for s in z.attrs.get("variant_spans", []))]
    if attached:
        return attached, "zygosity attached to the variant"
    sentences = {_sentence(v) for v in group}
    loose = [z for z in cues if not z.attrs.get("variant_spans") and _sentence(z) in sentences]
    return (loose, "zygosity stated in the same sentence") if loose else ([], None)


def _most_frequent(mentions: list[Mention], near: Mention | None) -> Mention | None:
    """The mention of the most frequent concept (ties: nearest to ``near``, else first)."""
    if not mentions:
        return None
    counts = Counter(m.concept_id or m.text for m in mentions)
    best = max(counts.values())
    top = [m for m in mentions if counts[m.concept_id or m.text] == best]
    return min(top, key=lambda m: (_distance(m, near) if near else 0, m.start))


def _count(paper: Paper, units: Iterable[str], sentences: set[tuple[int, int]]) -> tuple[int | None, Mention | None]:
    """A proband/family count: one stated in the record's sentences first, else the paper's first one."""
    found = [m for m in paper.kind(MentionKind.PROBAND_COUNT) if m.attrs.get("unit") in tuple(units)]
    local = [m for m in found if _sentence(m) in sentences]
    chosen = (local or found or [None])[0]
    return (int(chosen.attrs["count"]), chosen) if chosen else (None, None)


@dataclass
class Draft:
    """A record being assembled: its mentions and the reasons behind each choice."""

    gene: Mention
    variants: list[Mention]
    gene_reasons: tuple[str, ...]
    gene_rank: int = 0  # GeneChoice.rank of the best mention: lower is more trustworthy
    used: list[Mention] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _phenotypes(paper: Paper) -> list[Phenotype]:
    seen: dict[str, Phenotype] = {}
    for m in paper.kind(MentionKind.PHENOTYPE):
        if m.concept_id and m.concept_id.startswith("HP:") and m.concept_id not in seen:
            seen[m.concept_id] = Phenotype(hpo_id=m.concept_id, label=m.label or m.text)
    return list(seen.values())


def _gene_sentences(paper: Paper, gene_key: str) -> set[tuple[int, int]]:
    return {_sentence(g) for g in paper.kind(MentionKind.GENE) if _gene_key(g) == gene_key}


def _functional(paper: Paper, sentences: set[tuple[int, int]], whole_paper: bool) -> list[Mention]:
    return [f for f in paper.kind(MentionKind.FUNCTIONAL) if whole_paper or _sentence(f) in sentences]


def _evidence(extraction: DocumentExtraction, draft: Draft, paper: Paper) -> list[EvidenceSentence]:
    """The sentences behind the record, each with its relevant spans highlighted."""
    gene_key = _gene_key(draft.gene)
    own = {(m.start, m.end, m.kind) for m in draft.variants + draft.used + [draft.gene]}
    sentences = sorted({_sentence(m) for m in draft.variants + draft.used} or {_sentence(draft.gene)})
    out = []
    for s in sentences:
        highlights = [
            (m.start, m.end, m.kind.value)
            for mentions_of_kind in paper.by_kind.values()
            for m in mentions_of_kind
            if _in_sentence(m, s) and _highlighted(m, gene_key, own)
        ]
        out.append(EvidenceSentence(text=extraction.text[s[0] : s[1]], start=s[0], end=s[1], highlights=sorted(highlights)))
    return out


def _highlighted(m: Mention, gene_key: str, own: set[tuple[int, int, MentionKind]]) -> bool:
    """Highlight this record's gene and variant, its cues, and phenotypes/diseases; not other genes/variants."""
    if m.kind == MentionKind.GENE:
        return _gene_key(m) == gene_key
    if m.kind == MentionKind.VARIANT:
        return (m.start, m.end, m.kind) in own
    return True


def _confidence(reasons: list[str], base: float) -> float:
    score = base + sum(BONUS.get(r, 0.0) for r in reasons) - sum(PENALTY.get(r, 0.0) for r in reasons)
    return round(min(max(score, 0.0), 1.0), 3)


def _record(article: Article, extraction: DocumentExtraction, paper: Paper, draft: Draft) -> EvidenceRecord:
    """Fill one record from a draft's gene and variant mentions plus the paper-level cues."""
    gene, variants = draft.gene, draft.variants
    reasons = list(draft.gene_reasons)
    gene_key = _gene_key(gene)
    if variants:
        sentences = {_sentence(v) for v in variants}
        zygosity_cues, why = zygosity_for(variants, paper)
    else:
        sentences = _gene_sentences(paper, gene_key)
        reasons.append("gene-level evidence: no variant found")
        whole = paper.only_gene() == gene_key
        zygosity_cues = [z for z in _case_zygosity(paper) if whole or _sentence(z) in sentences]
        why = "zygosity stated in the same sentence" if zygosity_cues else None
    if why:
        reasons.append(why)
    draft.used.extend(zygosity_cues)
    inheritance = _most_frequent(paper.kind(MentionKind.INHERITANCE), None)
    disease = _most_frequent(paper.kind(MentionKind.DISEASE), variants[0] if variants else gene)
    proband_count, proband = _count(paper, PROBAND_UNITS, sentences)
    family_count, family = _count(paper, ("families",), sentences)
    consanguinity = paper.kind(MentionKind.CONSANGUINITY)
    segregation = sorted(paper.kind(MentionKind.SEGREGATION), key=lambda m: (_sentence(m) not in sentences, m.start))
    functional = _functional(paper, sentences | _gene_sentences(paper, gene_key), paper.only_gene() == gene_key)
    phenotypes = _phenotypes(paper)
    draft.used.extend(m for m in (inheritance, proband, family) if m)
    draft.used.extend(consanguinity + segregation + functional)
    hgvs = {attr: _preferred(variants, attr) for attr in ("hgvs_c", "hgvs_p", "hgvs_g", "rsid")}
    variant_class = _preferred(variants, "variant_class")
    if hgvs["hgvs_c"] or hgvs["hgvs_p"] or hgvs["hgvs_g"]:
        reasons.append("HGVS-valid variant description")
    if inheritance:
        reasons.append("inheritance stated")
    if proband_count:
        reasons.append("proband count stated")
    if phenotypes:
        reasons.append("HPO phenotypes found")
    if segregation:
        reasons.append("segregation evidence")
    if article.is_retracted:
        reasons.append("retracted paper")
    key = variant_key(variants) if variants else None
    return EvidenceRecord(
        record_id=EvidenceRecord.make_id(article.pmid, gene.concept_id or _symbol(gene), key),
        pmid=article.pmid,
        title=article.title,
        year=article.year,
        journal=article.journal,
        is_retracted=article.is_retracted,
        gene_symbol=_symbol(gene),
        hgnc_id=gene.concept_id if (gene.concept_id or "").startswith("HGNC:") else None,
        ncbi_gene_id=str(gene.attrs["ncbi_gene_id"]) if gene.attrs.get("ncbi_gene_id") else None,
        variant=variants[0].text if variants else None,
        variant_key=key,
        variant_class=VariantClass(variant_class) if variant_class else None,
        zygosity=_zygosity_value(zygosity_cues),
        inheritance=inheritance.label if inheritance else None,
        inheritance_hpo=inheritance.concept_id if inheritance else None,
        disease_id=disease.concept_id if disease else None,
        disease_label=(disease.label or disease.text) if disease else None,
        phenotypes=phenotypes,
        proband_count=proband_count,
        family_count=family_count,
        consanguinity=bool(consanguinity),
        segregation="; ".join(dict.fromkeys(m.concept_id or m.text for m in segregation)) or None,
        functional_evidence=[
            FunctionalCue(category=FunctionalCategory(f.attrs["category"]), text=f.text, start=f.start, end=f.end)
            for f in functional
        ],
        evidence=_evidence(extraction, draft, paper),
        confidence=_confidence(reasons, BASE_VARIANT_CONFIDENCE if variants else BASE_GENE_LEVEL_CONFIDENCE),
        confidence_reasons=reasons,
        pipeline_version=extraction.pipeline_version,
        lexicon_version=extraction.lexicon_version,
        **hgvs,
    )


def _variant_drafts(paper: Paper) -> list[Draft]:
    """One draft per (gene, allele): each variant mention goes to its gene, mentions of one allele merge."""
    drafts: dict[tuple[str, int], Draft] = {}
    for index, group in enumerate(allele_groups(paper.kind(MentionKind.VARIANT))):
        for variant in group:
            choice = choose_gene(variant, paper)
            if choice is None:
                continue
            key = (_gene_key(choice.gene), index)
            draft = drafts.get(key)
            if draft is None:
                drafts[key] = Draft(choice.gene, [variant], choice.reasons, choice.rank)
                continue
            draft.variants.append(variant)
            if choice.rank < draft.gene_rank:
                draft.gene, draft.gene_reasons, draft.gene_rank = choice.gene, choice.reasons, choice.rank
    return list(drafts.values())


def _gene_level_drafts(paper: Paper, with_variants: set[str]) -> list[Draft]:
    """Genes with case-level cues but no variant: the paper's only gene, or a gene sharing a cue's sentence."""
    cue_sentences = {_sentence(m) for kind in CASE_LEVEL_CUES for m in paper.kind(kind)}
    if not cue_sentences:
        return []
    only = paper.only_gene()
    drafts: dict[str, Draft] = {}
    for gene in paper.kind(MentionKind.GENE):
        key = _gene_key(gene)
        if key in with_variants or key in drafts:
            continue
        if key == only:
            drafts[key] = Draft(gene, [], ("gene is the only gene discussed",))
        elif _sentence(gene) in cue_sentences:
            drafts[key] = Draft(gene, [], ("gene ambiguous",) if len(paper.gene_counts()) > 1 else ())
    return list(drafts.values())


def draft_records(article: Article, extraction: DocumentExtraction) -> list[EvidenceRecord]:
    """Draft evidence records for one paper (pure: same inputs, same records, same ids)."""
    paper = Paper.of(extraction)
    drafts = _variant_drafts(paper)
    drafts += _gene_level_drafts(paper, {_gene_key(d.gene) for d in drafts})
    return [_record(article, extraction, paper, d) for d in drafts]
