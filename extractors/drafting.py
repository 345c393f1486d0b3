"""Draft evidence records from a document's mentions: one per gene × allele × paper, with its role.

Why a separate pure function rather than a spaCy component: drafting is a *paper-level* judgement over
everything the components found (which mentions spell one allele, whether the allele is the patients'
own, which gene it belongs to, its zygosity and origin), and curators re-draft stored extractions when
the rules improve without re-running NLP.  Every choice is written into ``confidence_reasons`` (and the
role's into ``role_reason``) so that a curator can see why a record looks the way it does.

Steps: the variant mentions are grouped into alleles (:mod:`extractors.alleles`), each allele gets a role
(:mod:`extractors.roles`) and an HGNC gene, then its zygosity, origin and counts
(:mod:`extractors.allele_facts`).  Every allele becomes a record, so nothing is silently dropped; only
``case`` records are case-level evidence (the store and exports filter on the role).  An allele whose
gene is not an HGNC gene is never a case record ("gene not resolved").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from genelit.extractors.allele_facts import (
    AlleleFacts,
    allele_facts,
    alleles_by_sentence,
    anaphoric_origin,
    count_near,
    infer_hemizygosity,
    infer_pair_zygosity,
    patients_lean_male,
)
from genelit.extractors.alleles import Allele, group_alleles
from genelit.extractors.case_phenotypes import patient_phenotypes
from genelit.extractors.roles import RoleDecision, classify_alleles
from genelit.models.article import Article
from genelit.models.evidence import (
    EvidenceRecord,
    EvidenceSentence,
    FunctionalCategory,
    FunctionalCue,
    ParentalOrigin,
    Phenotype,
    VariantClass,
    VariantRole,
    Zygosity,
)
from genelit.models.mentions import DocumentExtraction, Mention, MentionKind

CASE_LEVEL_CUES = (MentionKind.ZYGOSITY, MentionKind.SEGREGATION, MentionKind.CONSANGUINITY, MentionKind.PROBAND_COUNT)
PROBAND_UNITS = ("probands", "patients")
FAMILY_UNITS = ("families",)
DOMINANT_GENE_RATIO = 2  # a gene mentioned twice as often as any other is "the paper's gene"
NAMED_BY_VARIANT_VOTE = 3  # "POGLUT1 D233E": a gene written against the allele outvotes a nearby one
MAX_EVIDENCE_SENTENCES = 6  # the deciding sentence, zygosity/origin sentences, then the first mentions
RECESSIVE_CUES = frozenset({"compound_heterozygous", "biallelic"})
AUTOSOMAL_RECESSIVE = ("Autosomal recessive inheritance", "HP:0000007")
GENE_NOT_RESOLVED = "gene not resolved"
MISPRINT_MAX_MENTIONS = 1  # a misprint is written once...
MISPRINT_RATIO = 5  # ...in a paper naming the right allele at least this many times as often

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


def _is_hgnc(gene: Mention) -> bool:
    return (gene.concept_id or "").startswith("HGNC:")


_DOMAIN_AFTER = re.compile(r"\s*(?:-like\s+)?(?:domains?|motifs?|repeats?|regions?|modules?)\b", re.IGNORECASE)


def _names_a_domain(text: str, gene: Mention) -> bool:
    """"in the TB5 domain of FBN1": a word naming a protein domain is not the allele's gene."""
    return _DOMAIN_AFTER.match(text, gene.end) is not None


def _distance(a: Mention, b: Mention) -> int:
    """Characters between two spans (0 when they touch or overlap: "IGF-I gene deletion")."""
    return max(a.start - b.end, b.start - a.end, 0)


def _sentence(m: Mention) -> tuple[int, int]:
    return (m.sentence_start, m.sentence_end)


@dataclass
class Paper:
    """The non-negated mentions of one extraction, by kind (what every drafting rule reads)."""

    extraction: DocumentExtraction
    by_kind: dict[MentionKind, list[Mention]] = field(default_factory=dict)
    genes_by_sentence: dict[tuple[int, int], list[Mention]] = field(default_factory=dict)
    sentence_alleles: dict[tuple[int, int], list[Allele]] = field(default_factory=dict)  # set by _allele_drafts
    phenotypes: list[Phenotype] = field(default_factory=list)  # the patients' (extractors.case_phenotypes)

    @classmethod
    def of(cls, extraction: DocumentExtraction) -> Paper:
        paper = cls(extraction)
        for m in sorted(extraction.mentions, key=lambda m: (m.start, m.end)):
            if not m.negated:
                paper.by_kind.setdefault(m.kind, []).append(m)
        for g in paper.kind(MentionKind.GENE):
            if _is_hgnc(g) and not _names_a_domain(extraction.text, g):
                paper.genes_by_sentence.setdefault(_sentence(g), []).append(g)
        paper.phenotypes = patient_phenotypes(extraction.text, paper.kind(MentionKind.PHENOTYPE), extraction.sentences)
        return paper

    def kind(self, kind: MentionKind) -> list[Mention]:
        return self.by_kind.get(kind, [])

    def all_kind(self, kind: MentionKind) -> list[Mention]:
        """Negated ones too (zygosity cues carry their own negation flag)."""
        return [m for m in self.extraction.mentions if m.kind == kind]

    def hgnc_genes(self) -> list[Mention]:
        return [g for g in self.kind(MentionKind.GENE) if _is_hgnc(g)]

    def gene_counts(self) -> Counter[str]:
        return Counter(_gene_key(g) for g in self.hgnc_genes())

    def only_gene(self) -> str | None:
        counts = self.gene_counts()
        return next(iter(counts)) if len(counts) == 1 else None

    def dominant_gene(self) -> str | None:
        ranked = self.gene_counts().most_common(2)
        if len(ranked) == 1 or (len(ranked) == 2 and ranked[0][1] >= DOMINANT_GENE_RATIO * ranked[1][1]):
            return ranked[0][0]
        return None

    def first_gene(self, key: str) -> Mention:
        return next(g for g in self.hgnc_genes() if _gene_key(g) == key)


@dataclass(frozen=True)
class GeneChoice:
    """Which gene an allele belongs to and why."""

    gene: Mention
    reasons: tuple[str, ...]


def choose_gene(allele: Allele, paper: Paper) -> GeneChoice | None:
    """The HGNC gene of an allele, voted over its mentions: the nearest gene in each mention's sentence
    (a gene written against the allele counts more), else the paper's only or dominant gene, else the
    nearest gene anywhere (flagged).  None when the paper names no HGNC gene."""
    genes = paper.hgnc_genes()
    if not genes:
        return None
    votes: Counter[str] = Counter()
    nearest_of: dict[str, Mention] = {}
    for m in allele.mentions:
        same = paper.genes_by_sentence.get(_sentence(m))
        if not same:
            continue
        nearest = min(same, key=lambda g: (_distance(g, m), g.start))
        key = _gene_key(nearest)
        votes[key] += NAMED_BY_VARIANT_VOTE if _distance(nearest, m) <= 1 else 1
        nearest_of.setdefault(key, nearest)
    only = paper.only_gene()
    only_reason = ("gene is the only gene discussed",) if only else ()
    if votes:
        counts = paper.gene_counts()
        best = max(votes, key=lambda k: (votes[k], counts[k]))
        contested = any(k != best and 2 * n >= votes[best] for k, n in votes.items())
        return GeneChoice(nearest_of[best], ("variant and gene in the same sentence",) + only_reason
                          + (("gene ambiguous",) if contested else ()))
    if only:
        return GeneChoice(paper.first_gene(only), only_reason)
    dominant = paper.dominant_gene()
    if dominant:
        return GeneChoice(paper.first_gene(dominant), ("gene ambiguous",))
    first = allele.first
    nearest = min(genes, key=lambda g: (_distance(g, first), g.start))
    return GeneChoice(nearest, ("gene ambiguous", "variant far from gene"))


def _unresolved_gene_text(allele: Allele, paper: Paper) -> str:
    """The gene-like word nearest the allele (shown to the curator), when no HGNC gene could be chosen."""
    genes = [g for g in paper.kind(MentionKind.GENE) if _sentence(g) == _sentence(allele.first)]
    return min(genes, key=lambda g: _distance(g, allele.first)).text if genes else ""


def _most_frequent(mentions: list[Mention], near: Mention | None) -> Mention | None:
    """The mention of the most frequent concept (ties: nearest to ``near``, else first)."""
    if not mentions:
        return None
    counts = Counter(m.concept_id or m.text for m in mentions)
    best = max(counts.values())
    top = [m for m in mentions if counts[m.concept_id or m.text] == best]
    return min(top, key=lambda m: (_distance(m, near) if near else 0, m.start))


@dataclass
class Draft:
    """A record being assembled: its allele (None for gene-level evidence), role, gene and facts."""

    allele: Allele | None
    role: RoleDecision
    gene: Mention | None
    gene_reasons: tuple[str, ...]
    facts: AlleleFacts = field(default_factory=AlleleFacts)
    used: list[Mention] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def variants(self) -> list[Mention]:
        return list(self.allele.mentions) if self.allele else []

    @property
    def is_case(self) -> bool:
        return self.role.role == VariantRole.CASE


def _gene_sentences(paper: Paper, gene_key: str) -> set[tuple[int, int]]:
    return {_sentence(g) for g in paper.kind(MentionKind.GENE) if _gene_key(g) == gene_key}


def _functional(paper: Paper, sentences: set[tuple[int, int]], whole_paper: bool) -> list[Mention]:
    return [f for f in paper.kind(MentionKind.FUNCTIONAL) if whole_paper or _sentence(f) in sentences]


def _evidence_sentences(draft: Draft, paper: Paper) -> list[tuple[int, int]]:
    """The deciding sentence, the zygosity/origin cue sentences, then the allele's first sentences."""
    chosen: list[tuple[int, int]] = []
    candidates = [draft.role.sentence] if draft.role.sentence else []
    candidates += [_sentence(c) for c in draft.facts.cues]
    candidates += [_sentence(m) for m in draft.variants]
    if not draft.variants and draft.gene:
        candidates += sorted({_sentence(m) for m in draft.used} or {_sentence(draft.gene)})
    for s in candidates:
        if s not in chosen:
            chosen.append(s)
        if len(chosen) == MAX_EVIDENCE_SENTENCES:
            break
    return sorted(chosen)


def _evidence(extraction: DocumentExtraction, draft: Draft, paper: Paper) -> list[EvidenceSentence]:
    """The sentences behind the record, each with its relevant spans highlighted."""
    gene_key = _gene_key(draft.gene) if draft.gene else None
    own = {(m.start, m.end, m.kind) for m in draft.variants + draft.used}
    out = []
    for s in _evidence_sentences(draft, paper):
        highlights = [
            (m.start, m.end, m.kind.value)
            for mentions_of_kind in paper.by_kind.values()
            for m in mentions_of_kind
            if s[0] <= m.start < s[1] and _highlighted(m, gene_key, own)
        ]
        out.append(EvidenceSentence(text=extraction.text[s[0] : s[1]], start=s[0], end=s[1], highlights=sorted(highlights)))
    return out


def _highlighted(m: Mention, gene_key: str | None, own: set[tuple[int, int, MentionKind]]) -> bool:
    """Highlight this record's gene and variant, its cues, and phenotypes/diseases; not other genes/variants."""
    if m.kind == MentionKind.GENE:
        return gene_key is not None and _gene_key(m) == gene_key
    if m.kind == MentionKind.VARIANT:
        return (m.start, m.end, m.kind) in own
    return True


def _confidence(reasons: list[str], base: float) -> float:
    score = base + sum(BONUS.get(r, 0.0) for r in reasons) - sum(PENALTY.get(r, 0.0) for r in reasons)
    return round(min(max(score, 0.0), 1.0), 3)


def _counts(draft: Draft, paper: Paper) -> tuple[int | None, int | None, list[Mention], list[str]]:
    """Proband and family counts of this allele: stated in a sentence naming it, else one each for a case
    allele (the paper's total counts every allele's patients)."""
    counts = paper.kind(MentionKind.PROBAND_COUNT)
    if draft.allele is None:
        return None, None, [], []
    found_in = draft.role.case_sentences
    text = paper.extraction.text
    probands, p_cue = count_near(text, draft.allele, counts, PROBAND_UNITS, paper.sentence_alleles, found_in)
    families, f_cue = count_near(text, draft.allele, counts, FAMILY_UNITS, paper.sentence_alleles, found_in)
    reasons = ["proband count stated"] if probands else []
    if draft.is_case and probands is None:
        probands = 1
        reasons.append("one proband: no count stated for this allele")
    if draft.is_case and families is None:
        families = 1
    return probands, families, [m for m in (p_cue, f_cue) if m], reasons


def _record(article: Article, extraction: DocumentExtraction, paper: Paper, draft: Draft) -> EvidenceRecord:
    """Fill one record from a draft plus the paper-level cues."""
    allele, gene = draft.allele, draft.gene
    reasons = list(draft.gene_reasons) + draft.facts.reasons + draft.reasons
    gene_key = _gene_key(gene) if gene else None
    sentences = {_sentence(v) for v in draft.variants} or (_gene_sentences(paper, gene_key) if gene_key else set())
    draft.used.extend(draft.facts.cues)
    inheritance = _most_frequent(paper.kind(MentionKind.INHERITANCE), None)
    inheritance_label = inheritance.label if inheritance else None
    inheritance_hpo = inheritance.concept_id if inheritance else None
    if inheritance is None and draft.facts.zygosity == Zygosity.COMPOUND_HETEROZYGOUS:
        inheritance_label, inheritance_hpo = AUTOSOMAL_RECESSIVE
        reasons.append("inheritance inferred: compound heterozygous alleles are recessive")
    disease = _most_frequent(paper.kind(MentionKind.DISEASE), allele.first if allele else gene)
    proband_count, family_count, count_cues, count_reasons = _counts(draft, paper)
    reasons += count_reasons
    consanguinity = paper.kind(MentionKind.CONSANGUINITY)
    segregation = sorted(paper.kind(MentionKind.SEGREGATION), key=lambda m: (_sentence(m) not in sentences, m.start))
    whole = gene_key is not None and paper.only_gene() == gene_key
    functional = _functional(paper, sentences | (_gene_sentences(paper, gene_key) if gene_key else set()), whole)
    phenotypes = paper.phenotypes
    draft.used.extend(m for m in [inheritance, *count_cues] if m)
    draft.used.extend(consanguinity + segregation + functional)
    hgvs = {level: allele.key_at(prefix) if allele else None
            for level, prefix in (("hgvs_c", "c."), ("hgvs_p", "p."), ("hgvs_g", "g."), ("rsid", "rs"))}
    variant_class = next((str(v.attrs["variant_class"]) for v in draft.variants
                          if v.attrs.get("variant_class") and v.attrs["variant_class"] != VariantClass.OTHER.value), None)
    variant_class = variant_class or next((str(v.attrs["variant_class"]) for v in draft.variants if v.attrs.get("variant_class")), None)
    if hgvs["hgvs_c"] or hgvs["hgvs_p"] or hgvs["hgvs_g"]:
        reasons.append("HGVS-valid variant description")
    if inheritance:
        reasons.append("inheritance stated")
    if phenotypes:
        reasons.append("HPO phenotypes found")
    if segregation:
        reasons.append("segregation evidence")
    if allele and allele.merges:
        reasons.extend(f"spellings merged: {m}" for m in allele.merges)
    if article.is_retracted:
        reasons.append("retracted paper")
    key = allele.canonical_key if allele else None
    symbol = _symbol(gene) if gene else (_unresolved_gene_text(allele, paper) if allele else "")
    return EvidenceRecord(
        record_id=EvidenceRecord.make_id(article.pmid, (gene.concept_id or symbol) if gene else (symbol or "-"), key),
        pmid=article.pmid,
        title=article.title,
        year=article.year,
        journal=article.journal,
        is_retracted=article.is_retracted,
        gene_symbol=symbol,
        hgnc_id=gene.concept_id if gene and _is_hgnc(gene) else None,
        ncbi_gene_id=str(gene.attrs["ncbi_gene_id"]) if gene and gene.attrs.get("ncbi_gene_id") else None,
        variant=allele.first.text if allele else None,
        variant_key=key,
        variant_class=VariantClass(variant_class) if variant_class else None,
        synonyms=allele.spellings if allele else [],
        role=draft.role.role,
        role_reason=draft.role.reason,
        zygosity=draft.facts.zygosity.value if draft.facts.zygosity else None,
        de_novo=draft.facts.de_novo,
        inherited_from=draft.facts.inherited_from,
        mosaic=draft.facts.mosaic,
        inheritance=inheritance_label,
        inheritance_hpo=inheritance_hpo,
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
        confidence=_confidence(reasons, BASE_VARIANT_CONFIDENCE if allele else BASE_GENE_LEVEL_CONFIDENCE),
        confidence_reasons=reasons,
        pipeline_version=extraction.pipeline_version,
        lexicon_version=extraction.lexicon_version,
        **hgvs,
    )


def _section_lookup(article: Article) -> Callable[[int], str | None]:
    """The section kind at an offset, when the article has passages (full text); else always None."""
    passage_at = getattr(article, "passage_at", None)
    if passage_at is None:
        return lambda _offset: None

    def kind(offset: int) -> str | None:
        passage = passage_at(offset)
        return str(getattr(passage, "kind", "") or "") or None if passage is not None else None

    return kind


def _allele_drafts(article: Article, paper: Paper) -> list[Draft]:
    """One draft per allele, with its role, gene and facts."""
    text = paper.extraction.text
    alleles = group_alleles(paper.kind(MentionKind.VARIANT), text)
    decisions = classify_alleles(text, alleles, _section_lookup(article))
    zygosity = paper.all_kind(MentionKind.ZYGOSITY)
    segregation = paper.kind(MentionKind.SEGREGATION)
    sentence_alleles = paper.sentence_alleles = alleles_by_sentence(alleles)
    drafts = []
    for allele, decision in zip(alleles, decisions):
        choice = choose_gene(allele, paper)
        if choice is None:
            role = decision
            if decision.role == VariantRole.CASE:
                role = RoleDecision(VariantRole.OTHER, f"{GENE_NOT_RESOLVED} (would be a case allele: {decision.reason})",
                                    decision.sentence)
            drafts.append(Draft(allele, role, None, (GENE_NOT_RESOLVED,)))
            continue
        facts = allele_facts(text, allele, zygosity, segregation, sentence_alleles)
        drafts.append(Draft(allele, decision, choice.gene, choice.reasons, facts))
    _misprints_are_not_case_alleles(drafts)
    _infer_across_alleles(drafts, paper)
    _origin_of_the_only_case_allele(drafts, paper)
    return _merge_same_record(drafts)


_KEY_PARTS = re.compile(r"^(\D+?)(\d+)(\D.*)$")


def _one_digit_off(a: str, b: str) -> bool:
    """Same change at a position one digit apart: ``p.Asp223Glu`` and ``p.Asp233Glu``."""
    ma, mb = _KEY_PARTS.match(a), _KEY_PARTS.match(b)
    if not ma or not mb or ma[1] != mb[1] or ma[3] != mb[3] or len(ma[2]) != len(mb[2]):
        return False
    return sum(x != y for x, y in zip(ma[2], mb[2])) == 1


def _misprints_are_not_case_alleles(drafts: list[Draft]) -> None:
    """A case allele named once, one digit off a case allele of its gene named many times over, is that
    allele misprinted ("D223E patients" in a paper about D233E): kept, as ``other``, with the reason."""
    case = [d for d in drafts if d.is_case and d.allele is not None and d.gene is not None]
    for d in case:
        if len(d.allele.mentions) > MISPRINT_MAX_MENTIONS:
            continue
        for main in case:
            if main is d or _gene_key(main.gene) != _gene_key(d.gene):
                continue
            if len(main.allele.mentions) < MISPRINT_RATIO * len(d.allele.mentions):
                continue
            if any(_one_digit_off(k, m) for k in d.allele.keys for m in main.allele.keys):
                d.role = RoleDecision(VariantRole.OTHER, f"likely a misprint of {main.allele.first.text} "
                                      f"(named once, one digit off)", d.role.sentence)
                break


def _origin_of_the_only_case_allele(drafts: list[Draft], paper: Paper) -> None:
    """With one case allele in the paper, origin stated of "the variant" in sentences naming no allele is
    its origin (see ``allele_facts.anaphoric_origin``)."""
    case = [d for d in drafts if d.is_case and d.allele is not None]
    if len(case) != 1 or case[0].facts.de_novo or case[0].facts.inherited_from:
        return
    facts = case[0].facts
    with_variants = {_sentence(m) for m in paper.kind(MentionKind.VARIANT)}
    sentences = [s for s in paper.extraction.sentences if tuple(s) not in with_variants]
    de_novo, parent, carriers = anaphoric_origin(paper.extraction.text, sentences, paper.all_kind(MentionKind.ZYGOSITY),
                                                 paper.kind(MentionKind.SEGREGATION))
    if de_novo:
        facts.de_novo = True
        facts.reasons.append("de novo stated of the paper's only case allele")
    elif facts.zygosity == Zygosity.HOMOZYGOUS:
        if carriers:
            facts.inherited_from = ParentalOrigin.BOTH
            facts.reasons.append("homozygous, both parents carriers")
    elif parent:
        facts.inherited_from = parent
        facts.reasons.append(f"{parent.value} origin stated of the paper's only case allele")


def _recessive(paper: Paper) -> bool:
    """The paper's mode is recessive, or it names no mode but speaks of compound heterozygosity or
    biallelic alleles (a background sentence listing every mode does not make a paper recessive)."""
    mode = _most_frequent(paper.kind(MentionKind.INHERITANCE), None)
    if mode is not None:
        return mode.concept_id == "HP:0000007"
    return any(m.concept_id in RECESSIVE_CUES and not m.attrs.get("carrier") for m in paper.kind(MentionKind.ZYGOSITY))


def _infer_across_alleles(drafts: list[Draft], paper: Paper) -> None:
    """Inferences over a gene's case alleles: a compound-heterozygous pair; hemizygosity in males; one
    allele (heterozygous) in an autosomal dominant disorder when the paper states no zygosity."""
    by_gene: dict[str, list[Draft]] = {}
    for d in drafts:
        if d.is_case and d.gene is not None:
            by_gene.setdefault(_gene_key(d.gene), []).append(d)
    recessive = _recessive(paper)
    inheritance = _most_frequent(paper.kind(MentionKind.INHERITANCE), None)
    x_linked = bool(inheritance and (inheritance.label or "").startswith("X-linked"))
    text = paper.extraction.text
    dominant = bool(inheritance and inheritance.concept_id == "HP:0000006")
    patients_male = patients_lean_male(text, paper.extraction.sentences)
    for group in by_gene.values():
        infer_pair_zygosity([d.facts for d in group], recessive)
        for d in group:
            infer_hemizygosity(d.facts, x_linked, text, {_sentence(m) for m in d.variants}, patients_male)
            if dominant and d.facts.zygosity is None:
                d.facts.zygosity = Zygosity.HETEROZYGOUS
                d.facts.reasons.append("heterozygous inferred: the paper's disorder is autosomal dominant")


def _merge_same_record(drafts: list[Draft]) -> list[Draft]:
    """Drafts that would share a record id (same gene and canonical allele) become one; the first wins."""
    seen: dict[tuple[str, str], Draft] = {}
    out = []
    for d in drafts:
        key = (_gene_key(d.gene) if d.gene else "-", d.allele.canonical_key if d.allele else "-")
        if key in seen:
            first = seen[key]
            if d.is_case and not first.is_case:
                first.role, first.facts = d.role, d.facts
            if first.allele and d.allele:
                first.allele = Allele(first.allele.mentions + d.allele.mentions, first.allele.keys | d.allele.keys,
                                      first.allele.merges + d.allele.merges)
            continue
        seen[key] = d
        out.append(d)
    return out


def _gene_level_drafts(paper: Paper, with_case_alleles: set[str]) -> list[Draft]:
    """Case-level cues about an HGNC gene with no case allele named: the paper's only gene, or a gene sharing
    a cue's sentence (gene-level evidence a curator may still count)."""
    cue_sentences = {_sentence(m) for kind in CASE_LEVEL_CUES for m in paper.kind(kind)}
    if not cue_sentences:
        return []
    only = paper.only_gene()
    drafts: dict[str, Draft] = {}
    for gene in paper.hgnc_genes():
        key = _gene_key(gene)
        if key in with_case_alleles or key in drafts:
            continue
        reason = RoleDecision(VariantRole.CASE, "gene-level: case-level cues about the gene, no allele named", _sentence(gene))
        if key == only:
            drafts[key] = Draft(None, reason, gene, ("gene is the only gene discussed", "gene-level evidence: no variant found"))
        elif _sentence(gene) in cue_sentences:
            ambiguous = ("gene ambiguous",) if len(paper.gene_counts()) > 1 else ()
            drafts[key] = Draft(None, reason, gene, ambiguous + ("gene-level evidence: no variant found",))
    return list(drafts.values())


def draft_records(article: Article, extraction: DocumentExtraction) -> list[EvidenceRecord]:
    """Draft evidence records for one paper (pure: same inputs, same records, same ids)."""
    paper = Paper.of(extraction)
    drafts = _allele_drafts(article, paper)
    case_genes = {_gene_key(d.gene) for d in drafts if d.is_case and d.gene is not None}
    if not case_genes:
        drafts += _gene_level_drafts(paper, {_gene_key(d.gene) for d in drafts if d.gene is not None})
    return [_record(article, extraction, paper, d) for d in drafts]
