"""What a paper says about one allele in its patients: zygosity, origin and counts.

Zygosity comes from the cue component's zygosity mentions attached to the allele's mentions ("homozygous
for c.X", "c.X in the homozygous state", "compound heterozygous for X and Y", genotype notation
``X/Y``), else from an unattached zygosity word in a sentence naming the allele; a relative's zygosity
("the mother was heterozygous") never counts.  Origin is kept apart from zygosity: ``de novo`` (or
"absent in both parents"), the parent an allele came from ("inherited from his mother", "maternal",
"the father and mother were carriers of X and Y, respectively"), mosaicism.

Paper-level inferences (a curator makes them too, and they are marked as inferred in the record's
reasons) are in :func:`infer_pair_zygosity` and :func:`infer_hemizygosity`.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from genelit.extractors.alleles import Allele
from genelit.models.evidence import ParentalOrigin, Zygosity
from genelit.models.mentions import Mention

# preferred when several zygosity words describe one allele (a genotype beats a bare "heterozygous",
# which compound heterozygotes' alleles are too)
GENOTYPE_ORDER = (Zygosity.COMPOUND_HETEROZYGOUS, Zygosity.HOMOZYGOUS, Zygosity.HEMIZYGOUS, Zygosity.HETEROZYGOUS)
_ZYGOSITY_OF_CUE = {z.value: z for z in Zygosity} | {"monoallelic": Zygosity.HETEROZYGOUS}
ORIGIN_CUES = frozenset({"de_novo", "mosaic"})

_MATERNAL = re.compile(r"\b(?:maternal(?:ly)?|mother(?:['’]s)?|mothers)\b", re.IGNORECASE)
_PATERNAL = re.compile(r"\b(?:paternal(?:ly)?|father(?:['’]s)?|fathers)\b", re.IGNORECASE)
# a parent named as the source, not as someone the allele is absent from
_TRANSMISSION = re.compile(r"\b(?:inherit\w*|derived|transmitted|from|carrier|carriers|carried|carries|carrying|heterozygous|"
                           r"heterozygote|origin|allele|present|harbou?r\w*|maternal\w*|paternal\w*|identified|detected|found)\b",
                           re.IGNORECASE)
_ABSENT_BEFORE = re.compile(r"\b(?:absent|not|not\s+(?:\w+\s+)?(?:present|found|detected|identified|carried|observed))\s+(?:\w+\s+){0,3}$",
                            re.IGNORECASE)
_ABSENT_IN_PARENTS = re.compile(
    r"\b(?:absent|not\s+(?:\w+\s+)?(?:present|found|detected|identified|carried|observed))\s+(?:in|from)\s+(?:[\w'’]+\s+){0,2}"
    r"(?:parents|either\s+parent|mother\s+and\s+(?:the\s+)?father|father\s+and\s+(?:the\s+)?mother)\b",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(r"\b(?:this|the|that|our|these)\s+(?:\w+\s+){0,3}?(?:variant|mutation|change|allele|substitution|deletion|"
                     r"duplication|insertion)s?\b|\bit\s+(?:was|is)\b", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_BOTH_PARENTS = re.compile(r"\b(?:both\s+parents|parents|mother\s+and\s+(?:the\s+)?father|father\s+and\s+(?:the\s+)?mother)\b"
                           r"[^.;]{0,60}?\b(?:heterozyg\w*|carriers?|carried)\b", re.IGNORECASE)
_CLAUSE = re.compile(r";|,\s+(?:and|whereas|while|but)\b|\b(?:whereas|while)\b", re.IGNORECASE)
_MALE = re.compile(r"\b(?:boy|boys|man|men|male|males|son|sons|brother|brothers|he|his|him|hemizygous)\b", re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:girl|girls|woman|women|female|females|daughter|daughters|sister|sisters|she|her)\b", re.IGNORECASE)


@dataclass
class AlleleFacts:
    zygosity: Zygosity | None = None
    de_novo: bool | None = None
    inherited_from: ParentalOrigin | None = None
    mosaic: bool | None = None
    reasons: list[str] = field(default_factory=list)
    cues: list[Mention] = field(default_factory=list)  # the cue mentions used (highlighted in the evidence)


LOCAL_WINDOW = 150  # characters from an allele's mention to an unattached cue about it (flattened tables are long "sentences")


def _sentences_match(a: Mention, b: Mention) -> bool:
    return (a.sentence_start, a.sentence_end) == (b.sentence_start, b.sentence_end)


def _sentences(allele: Allele) -> set[tuple[int, int]]:
    return {(m.sentence_start, m.sentence_end) for m in allele.mentions}


def _spans(allele: Allele) -> set[tuple[int, int]]:
    return {(m.start, m.end) for m in allele.mentions}


def _attached(cue: Mention, spans: set[tuple[int, int]]) -> bool:
    return any(tuple(s) in spans for s in cue.attrs.get("variant_spans", []))


def _genotype(cues: Sequence[Mention]) -> Zygosity | None:
    """The zygosity most cues say; genotype words first on a tie."""
    values = Counter(_ZYGOSITY_OF_CUE[c.concept_id] for c in cues if c.concept_id in _ZYGOSITY_OF_CUE)
    if not values:
        return None
    best = max(values.values())
    return next(z for z in GENOTYPE_ORDER if values.get(z) == best)


def allele_zygosity(allele: Allele, zygosity_cues: Sequence[Mention]) -> tuple[Zygosity | None, list[Mention], str | None]:
    """The allele's zygosity, the cues behind it and the reason (see the module docstring)."""
    own = [c for c in zygosity_cues if not c.negated and not c.attrs.get("carrier") and c.concept_id not in ORIGIN_CUES]
    spans = _spans(allele)
    attached = [c for c in own if _attached(c, spans)]
    value = _genotype(attached)
    if value:
        return value, attached, "zygosity attached to the variant"
    sentences = _sentences(allele)
    loose = [c for c in own if not c.attrs.get("variant_spans") and (c.sentence_start, c.sentence_end) in sentences]
    value = _genotype(loose)
    if value:
        return value, loose, "zygosity stated in the same sentence"
    return None, [], None


def _parent_at(text: str, start: int, end: int) -> list[tuple[int, ParentalOrigin]]:
    """Parent words in ``text[start:end]`` named as a source (not "absent in the mother"), with offsets."""
    found = []
    for pattern, origin in ((_MATERNAL, ParentalOrigin.MATERNAL), (_PATERNAL, ParentalOrigin.PATERNAL)):
        for m in pattern.finditer(text, start, end):
            if _ABSENT_BEFORE.search(text, max(start, m.start() - 40), m.start()):
                continue
            found.append((m.start(), origin))
    return sorted(found)


def _clause(text: str, sentence: tuple[int, int], mention: Mention, others: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The part of ``sentence`` that speaks of ``mention``: split at ';', ', and', 'whereas', 'while' and
    at other alleles' mentions ("X was detected in the father and the Y variant in the mother")."""
    lo, hi = sentence
    for m in _CLAUSE.finditer(text, lo, hi):
        if m.end() <= mention.start:
            lo = m.end()
        elif m.start() >= mention.end:
            hi = m.start()
            break
    for start, end in others:
        if end <= mention.start:
            lo = max(lo, end)
        elif start >= mention.end:
            hi = min(hi, start)
    return lo, hi


def _origin_in(text: str, lo: int, hi: int, anchor: int) -> ParentalOrigin | None:
    """The parent named as the source in ``text[lo:hi]``: the first after ``anchor`` ("X was inherited
    from his mother"), else the nearest before it ("the mother carried X")."""
    if not _TRANSMISSION.search(text, lo, hi):
        return None
    parents = _parent_at(text, lo, hi)
    after = [p for p in parents if p[0] >= anchor]
    if after:
        return after[0][1]
    return parents[-1][1] if parents else None


def parental_origin(text: str, allele: Allele, sentence_alleles: dict[tuple[int, int], list[Allele]]) -> tuple[ParentalOrigin | None, str | None]:
    """The parent the allele came from, from the sentences naming it.

    "respectively" maps parents to alleles in order ("the father and mother were carriers of X and Y,
    respectively"); otherwise the parent named in the allele's own clause (see :func:`_origin_in`).
    The parent most sentences name wins; a tie is left to the curator.
    """
    votes: Counter[ParentalOrigin] = Counter()
    seen: set[tuple[int, int]] = set()
    for m in allele.mentions:
        sentence = (m.sentence_start, m.sentence_end)
        ordered = sentence_alleles.get(sentence, [])
        if _RESPECTIVELY.search(text, *sentence):
            parents = list(dict.fromkeys(o for _, o in _parent_at(text, *sentence)))
            index = next((i for i, a in enumerate(ordered) if a is allele), None)
            if len(parents) == 2 and len(ordered) == 2 and index is not None:
                if sentence not in seen:
                    votes[parents[index]] += 1
                    seen.add(sentence)
                continue
        others = [(o.start, o.end) for a in ordered if a is not allele for o in a.mentions
                  if (o.sentence_start, o.sentence_end) == sentence]
        origin = _origin_in(text, *_clause(text, sentence, m, others), m.end)
        if origin and sentence not in seen:
            votes[origin] += 1
            seen.add(sentence)
    if not votes:
        return None, None
    ranked = votes.most_common()
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return ranked[0][0], f"{ranked[0][0].value} origin stated"
    return None, "maternal and paternal both stated: origin left to the curator"


def anaphoric_origin(text: str, sentences: Iterable[tuple[int, int]], zygosity_cues: Sequence[Mention],
                     segregation_cues: Sequence[Mention]) -> tuple[bool, ParentalOrigin | None, bool]:
    """Origin stated of "the variant" / "this mutation" / "it" in sentences naming no allele, for a
    paper with one case allele ("this is a de novo variant, as it was not identified in either parent";
    "the TINF2 gene mutation was inherited from her father").  Returns (de novo, parent, parents carriers)."""
    de_novo, parent, carriers = False, None, False
    cues = [c for c in list(zygosity_cues) + list(segregation_cues) if c.concept_id == "de_novo" and not c.negated]
    for s in sentences:
        if not _ANAPHOR.search(text, *s):
            continue
        if any(s[0] <= c.start < s[1] for c in cues) or _ABSENT_IN_PARENTS.search(text, *s):
            de_novo = True
        parent = parent or _origin_in(text, s[0], s[1], s[0])
        carriers = carriers or bool(_BOTH_PARENTS.search(text, *s))
    return de_novo, parent, carriers


def allele_facts(text: str, allele: Allele, zygosity_cues: Sequence[Mention], segregation_cues: Sequence[Mention],
                 sentence_alleles: dict[tuple[int, int], list[Allele]]) -> AlleleFacts:
    """Zygosity and origin of one allele (see the module docstring)."""
    facts = AlleleFacts()
    facts.zygosity, used, why = allele_zygosity(allele, zygosity_cues)
    facts.cues.extend(used)
    if why:
        facts.reasons.append(why)
    spans, sentences = _spans(allele), _sentences(allele)

    def about(cue: Mention) -> bool:
        """Attached to the allele, or unattached and close to one of its mentions in a sentence."""
        if cue.negated:
            return False
        if cue.attrs.get("variant_spans"):
            return _attached(cue, spans)
        return any(_sentences_match(cue, m) and abs(cue.start - m.start) <= LOCAL_WINDOW for m in allele.mentions)

    # the segregation component marks the same "de novo" words without saying which variant they describe
    zygosity_spans = {(c.start, c.end) for c in zygosity_cues}
    origin = list(zygosity_cues) + [c for c in segregation_cues if (c.start, c.end) not in zygosity_spans]
    de_novo = [c for c in origin if c.concept_id == "de_novo" and about(c)]
    absent = any(_ABSENT_IN_PARENTS.search(text, max(m.sentence_start, m.start - LOCAL_WINDOW), min(m.sentence_end, m.end + LOCAL_WINDOW))
                 for m in allele.mentions)
    if de_novo or absent:
        facts.de_novo = True
        facts.cues.extend(de_novo)
        facts.reasons.append("de novo stated")
    mosaic = [c for c in zygosity_cues if c.concept_id == "mosaic" and about(c)]
    if mosaic:
        facts.mosaic = True
        facts.cues.extend(mosaic)
        facts.reasons.append("mosaicism stated")
    if not facts.de_novo:
        if facts.zygosity == Zygosity.HOMOZYGOUS:
            # one carrier parent does not make a homozygous allele paternal or maternal
            if any(_BOTH_PARENTS.search(text, *s) for s in sentences):
                facts.inherited_from = ParentalOrigin.BOTH
                facts.reasons.append("homozygous, both parents carriers")
        else:
            facts.inherited_from, why = parental_origin(text, allele, sentence_alleles)
            if why:
                facts.reasons.append(why)
    return facts


def infer_pair_zygosity(facts: Sequence[AlleleFacts], recessive: bool) -> None:
    """Two alleles of one recessive gene in the paper's patients, neither said to be homozygous: compound
    heterozygous (the inference is named in the reasons).  With more alleles, patients cannot be told
    apart without the paper saying so."""
    if len(facts) != 2 or not recessive:
        return
    if any(f.zygosity in (Zygosity.HOMOZYGOUS, Zygosity.HEMIZYGOUS) for f in facts):
        return
    for f in facts:
        if f.zygosity != Zygosity.COMPOUND_HETEROZYGOUS:
            f.zygosity = Zygosity.COMPOUND_HETEROZYGOUS
            f.reasons.append("compound heterozygous inferred: two alleles of a recessive gene in the patient")


def patients_lean_male(text: str, sentences: Iterable[tuple[int, int]]) -> bool:
    """The paper speaks of male patients and never of female ones (mothers and sisters are relatives,
    not patients, and are not counted)."""
    male = sum(len(_MALE.findall(text, *s)) for s in sentences)
    female = sum(len(_FEMALE.findall(text, *s)) for s in sentences)
    return male > 0 and female == 0


def infer_hemizygosity(fact: AlleleFacts, x_linked: bool, text: str, sentences: Iterable[tuple[int, int]],
                       patients_male: bool = False) -> None:
    """An allele of an X-linked gene in male patients is hemizygous: by the words of its own sentences
    (male, never female), or, when the paper states no zygosity for it, by the paper's patients."""
    if not x_linked or fact.zygosity not in (None, Zygosity.HETEROZYGOUS):
        return
    male = female = 0
    for s in sentences:
        male += len(_MALE.findall(text, *s))
        female += len(_FEMALE.findall(text, *s))
    if female:
        return
    if male or (fact.zygosity is None and patients_male):
        fact.zygosity = Zygosity.HEMIZYGOUS
        fact.reasons.append("hemizygous inferred: X-linked gene, male patient")


_RELATIVES_COUNTED = re.compile(r"\b(?:siblings?|sibs?|brothers?|sisters?|children|members|relatives|twins|offspring)\b", re.IGNORECASE)


def count_near(text: str, allele: Allele, counts: Sequence[Mention], units: Iterable[str],
               sentence_alleles: dict[tuple[int, int], list[Allele]],
               case_sentences: Collection[tuple[int, int]]) -> tuple[int | None, Mention | None]:
    """A proband/family count stated of this allele alone: in a sentence describing it as found in the
    patients (``case_sentences``; not "three other cases have been reported"), in a clause naming no
    other allele ("Two patients were heterozygotes for D374Y, and one ... for D374Y and N157K"), near one
    of its mentions.  A count of siblings is not one of probands (four affected siblings are one family's
    one proband), and a count over several alleles is the paper's total, not this allele's."""
    wanted = tuple(units)
    for m in counts:
        if m.attrs.get("unit") not in wanted or _RELATIVES_COUNTED.search(m.text):
            continue
        sentence = (m.sentence_start, m.sentence_end)
        if sentence not in case_sentences:
            continue
        lo, hi = _clause(text, sentence, m, ())
        named = [a for a in sentence_alleles.get(sentence, []) if any(lo <= v.start < hi for v in a.mentions)]
        if len(named) != 1 or named[0] is not allele:
            continue
        if any(lo <= v.start < hi and abs(m.start - v.start) <= LOCAL_WINDOW for v in allele.mentions):
            return int(m.attrs["count"]), m
    return None, None


def alleles_by_sentence(alleles: Iterable[Allele]) -> dict[tuple[int, int], list[Allele]]:
    """For each sentence, the distinct alleles it names, in the order they are first named."""
    firsts: dict[tuple[int, int], list[tuple[int, int]]] = {}
    listed = list(alleles)
    for i, allele in enumerate(listed):
        for m in allele.mentions:
            firsts.setdefault((m.sentence_start, m.sentence_end), []).append((m.start, i))
    out = {}
    for sentence, pairs in firsts.items():
        order = list(dict.fromkeys(i for _, i in sorted(pairs)))
        out[sentence] = [listed[i] for i in order]
    return out
