"""Variant roles: is an allele the paper's patients' own, or a published, population, engineered or
spurious one?  The cues are in :mod:`extractors.role_cues`; this module says how they combine.

Per mention, the cues in its sentence (within each cue's reach, on its side, not across a clause break):

1. a strong ``other`` cue (a figure label, a primer) says the mention is not a patient's allele at all;
2. a strong ``case`` cue (the paper's own finding: "we identified", "the proband carried") makes the
   mention a case mention, even beside "previously reported" — a patient's allele is often a known one;
3. else the nearest strong ``reported`` / ``population`` / ``experimental`` cue;
4. else a mention among many distinct alleles (a list or flattened table) is ``reported``;
5. else weak cues: patient or zygosity words (``case``), controls, mutant proteins.

Per allele (all its mentions, counted per sentence): ``case`` when its sentences stating a finding
outweigh half of those saying it is published, a polymorphism or engineered; else the role most of its
strongly-cued sentences have; else the weak evidence (patient words alone make it background,
``reported``); an allele with no cue at all is ``other`` (``population`` when it is named by an rsID only).  The
reason names the deciding cue as written, so a curator sees *why* ("sentence cue 'we identified'").
A section kind, when the article has passages (full text), is one more cue: an allele met only in the
introduction or discussion leans ``reported``, in methods/results/case ``case``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from genelit.extractors.alleles import Allele, coding_position_implausible, has_position
from genelit.extractors.role_cues import (
    LIST_CUE_REACH,
    LIST_MIN_ALLELES,
    LIST_WINDOW,
    ROLE_CUES,
    RoleCue,
    Side,
    Strength,
)
from genelit.models.evidence import VariantRole

_CLAUSE_BREAK = re.compile(r";|\.\s|\b(?:whereas|while|but|although|however|in\s+contrast)\b", re.IGNORECASE)
_MAX_BEFORE = max(c.reach for c in ROLE_CUES if c.side != Side.AFTER) + 80
_MAX_AFTER = max(c.reach for c in ROLE_CUES if c.side != Side.BEFORE) + 80
# Section kinds (``Article.passage_at``) that describe the paper's own patients, and those that mostly
# describe others' findings.
CASE_SECTIONS = frozenset({"case", "results", "methods", "abstract", "title"})
BACKGROUND_SECTIONS = frozenset({"introduction", "discussion", "background", "review"})

# An allele is a case allele when its sentences with a finding of the paper's own outweigh this share of
# those saying it is published, a polymorphism or engineered: a patient's allele is often also known.
CASE_SHARE = 0.5
# A sentence stating a finding ("we identified") is a full case vote; one only calling the allele
# "novel" or "maternal" half of one (papers call others' alleles novel too).
CASE_VOTE = {Strength.FINDING: 1.0, Strength.STRONG: 0.5, Strength.WEAK: 0.0}
# A mention in a case-describing section (full text) counts this many strong votes.
SECTION_VOTE = 1

# role priority among equally many votes: an allele that is both "reported" and "population" in a paper
# is most often a known polymorphism
_TIE_ORDER = (VariantRole.POPULATION, VariantRole.REPORTED, VariantRole.EXPERIMENTAL, VariantRole.OTHER)


@dataclass(frozen=True)
class CueHit:
    cue: RoleCue
    text: str
    distance: int  # characters between the cue and the mention
    start: int  # offset of the cue in the text


@dataclass(frozen=True)
class MentionRole:
    role: VariantRole | None
    strength: Strength | None  # STRONG: decided by a clear cue (or a list); WEAK: by a hint
    reason: str
    cue_strength: Strength = Strength.WEAK  # strength of the deciding cue itself (FINDING for a finding)


@dataclass(frozen=True)
class RoleDecision:
    role: VariantRole
    reason: str
    sentence: tuple[int, int] | None = None  # where the deciding cue is (the record's first evidence)
    # the sentences where the allele is described as found in the patients (counts are read there)
    case_sentences: frozenset[tuple[int, int]] = frozenset()


def cues_near(text: str, start: int, end: int, sentence: tuple[int, int], others: Sequence[int] = ()) -> list[CueHit]:
    """Every cue that applies to the mention at ``[start, end)`` (see the module docstring).

    ``others``: start offsets of other alleles' mentions.  A cue before the mention describes the nearest
    allele after it: in "a previously reported R211H mutation and a novel 899dupC", "previously reported"
    is R211H's, not 899dupC's; a finding ("analysis revealed X and Y") or another group's report ("Fu et
    al. reported a patient with X and Y") governs its whole clause (``RoleCue.governs``).
    """
    lo, hi = max(sentence[0], start - _MAX_BEFORE), min(sentence[1], end + _MAX_AFTER)
    before, after = text[lo:start], text[end:hi]
    between = [o for o in others if lo <= o < start]
    hits = []
    for cue in ROLE_CUES:
        if cue.side != Side.AFTER:
            for m in cue.pattern.finditer(before):
                gap = len(before) - m.end()
                if gap > cue.reach or _CLAUSE_BREAK.search(before, m.end()) is not None:
                    continue
                if not cue.governs and any(o >= lo + m.end() for o in between):
                    continue
                hits.append(CueHit(cue, m.group(0), gap, lo + m.start()))
        if cue.side != Side.BEFORE:
            for m in cue.pattern.finditer(after):
                if m.start() > cue.reach:
                    break
                if _CLAUSE_BREAK.search(after, 0, m.start()) is None:
                    hits.append(CueHit(cue, m.group(0), m.start(), end + m.start()))
    return hits


def _quoted(hit: CueHit) -> str:
    return f"sentence cue '{' '.join(hit.text.split())}'"


def mention_role(hits: Sequence[CueHit], alleles_nearby: int, start: int) -> MentionRole:
    """One mention's role from the cues near it and the number of distinct alleles around it
    (``start``: the mention's offset)."""
    def nearest(keep: Callable[[CueHit], bool]) -> CueHit | None:
        found = [h for h in hits if keep(h)]
        return min(found, key=lambda h: h.distance) if found else None

    # "Gianna et al reported four cases that harbored c.563G>T": a reporting clause governs the finding
    findings = [h.start for h in hits if h.cue.strength == Strength.FINDING]
    governing = nearest(lambda h: h.cue.role == VariantRole.REPORTED and h.cue.strength == Strength.STRONG
                        and h.start < min(findings + [start])) if findings else None
    in_list = alleles_nearby >= LIST_MIN_ALLELES
    if in_list:
        hits = [h for h in hits if h.distance <= LIST_CUE_REACH]
    other = nearest(lambda h: h.cue.role == VariantRole.OTHER and h.cue.strength >= Strength.STRONG)
    if other:
        return MentionRole(VariantRole.OTHER, Strength.STRONG, _quoted(other))
    finding = nearest(lambda h: h.cue.strength == Strength.FINDING)
    if finding:
        if governing is None:
            return MentionRole(VariantRole.CASE, Strength.STRONG, _quoted(finding), Strength.FINDING)
        return MentionRole(VariantRole.REPORTED, Strength.STRONG, _quoted(governing), Strength.STRONG)
    hit = nearest(lambda h: h.cue.strength == Strength.STRONG)
    if hit:
        return MentionRole(hit.cue.role, Strength.STRONG, _quoted(hit), Strength.STRONG)
    if in_list:
        return MentionRole(VariantRole.REPORTED, Strength.WEAK, f"in a list or table of {alleles_nearby} variants")
    hit = nearest(lambda h: h.cue.role != VariantRole.CASE) or nearest(lambda h: True)
    if hit:
        return MentionRole(hit.cue.role, Strength.WEAK, _quoted(hit))
    return MentionRole(None, None, "no cue")


def _section_role(kind: str | None) -> VariantRole | None:
    if kind in CASE_SECTIONS:
        return VariantRole.CASE
    if kind in BACKGROUND_SECTIONS:
        return VariantRole.REPORTED
    return None


def allele_role(roles: Sequence[tuple[tuple[int, int], MentionRole]], sections: Sequence[str | None] = ()) -> RoleDecision:
    """Combine an allele's mention roles, given with their sentences (see the module docstring).

    Votes are counted per sentence, not per mention, so that an allele repeated down a table, or written
    "c.X (p.Y)", is not outvoted by its own repetitions.  The decision carries the deciding cue and its
    sentence (a finding first), which becomes the record's first evidence sentence.
    """
    strong = [(s, r) for s, r in roles if r.strength == Strength.STRONG and r.role is not None]
    votes = Counter(role for _, role in {(s, r.role) for s, r in strong})
    case_weight = sum(max(CASE_VOTE[r.cue_strength] for r in group) for group in _by_sentence(roles, VariantRole.CASE).values())
    by_section = Counter(s for s in map(_section_role, sections) if s)
    case_weight += by_section[VariantRole.CASE] * SECTION_VOTE
    votes[VariantRole.REPORTED] += by_section[VariantRole.REPORTED] * SECTION_VOTE
    against = sum(n for role, n in votes.items() if role not in (VariantRole.CASE, VariantRole.OTHER))
    case = sorted(((s, r) for s, r in strong if r.role == VariantRole.CASE), key=lambda p: -p[1].cue_strength)
    if case and case_weight > CASE_SHARE * against:
        return RoleDecision(VariantRole.CASE, case[0][1].reason, case[0][0])
    weak_case = next(((s, r) for s, r in roles if r.role == VariantRole.CASE), None)
    if weak_case and by_section[VariantRole.CASE] and case_weight > CASE_SHARE * against:
        section = next(k for k in sections if _section_role(k) == VariantRole.CASE)
        return RoleDecision(VariantRole.CASE, f"{weak_case[1].reason} in the {section} section", weak_case[0])
    non_case = Counter({role: n for role, n in votes.items() if role != VariantRole.CASE and n})
    if non_case:
        best = max(non_case.values())
        role = next(r for r in _TIE_ORDER if non_case.get(r) == best)
        return _first(role, strong) or RoleDecision(role, "mentioned in a background section")
    weak = [(s, r) for s, r in roles if r.role is not None and r.role != VariantRole.CASE]
    if weak:
        role = Counter(r.role for _, r in weak).most_common(1)[0][0]
        return _first(role, weak) or RoleDecision(role, "")
    background = next(((s, r) for s, r in roles if r.role == VariantRole.CASE), None)
    if background:
        return RoleDecision(VariantRole.REPORTED, f"{background[1].reason} but no finding of this paper (background)", background[0])
    return RoleDecision(VariantRole.OTHER, "no cue for any role near its mentions")


def _first(role: VariantRole, roles: Sequence[tuple[tuple[int, int], MentionRole]]) -> RoleDecision | None:
    return next((RoleDecision(role, r.reason, s) for s, r in roles if r.role == role), None)


def _by_sentence(roles: Sequence[tuple[tuple[int, int], MentionRole]], role: VariantRole) -> dict[tuple[int, int], list[MentionRole]]:
    out: dict[tuple[int, int], list[MentionRole]] = {}
    for sentence, r in roles:
        if r.role == role and r.strength == Strength.STRONG:
            out.setdefault(sentence, []).append(r)
    return out


def _alleles_nearby(starts: list[int], owners: list[int], start: int, sentence: tuple[int, int]) -> int:
    lo = bisect_left(starts, max(sentence[0], start - LIST_WINDOW))
    hi = bisect_right(starts, min(sentence[1], start + LIST_WINDOW))
    return len(set(owners[lo:hi]))


def classify_alleles(text: str, alleles: Sequence[Allele],
                     section_of: Callable[[int], str | None] = lambda _offset: None) -> list[RoleDecision]:
    """The role of each allele of a paper (same order)."""
    spans = sorted((m.start, i) for i, a in enumerate(alleles) for m in a.mentions)
    starts, owners = [s for s, _ in spans], [i for _, i in spans]
    decisions = []
    for allele in alleles:
        roles = []
        own = {m.start for m in allele.mentions}
        for m in allele.mentions:
            sentence = (m.sentence_start, m.sentence_end)
            nearby = starts[bisect_left(starts, sentence[0]) : bisect_left(starts, m.start)]
            hits = cues_near(text, m.start, m.end, sentence, [o for o in nearby if o not in own])
            roles.append((sentence, mention_role(hits, _alleles_nearby(starts, owners, m.start, sentence), m.start)))
        if not has_position(allele.keys):
            decisions.append(RoleDecision(VariantRole.OTHER, "a change without a position names no allele"))
            continue
        if all(coding_position_implausible(k) for k in allele.keys):
            decisions.append(RoleDecision(VariantRole.OTHER, "a genome coordinate read as a cDNA position (beyond any coding sequence)"))
            continue
        decision = allele_role(roles, [section_of(m.start) for m in allele.mentions])
        if decision.role == VariantRole.OTHER and all(k.startswith("rs") for k in allele.keys):
            decision = RoleDecision(VariantRole.POPULATION, "named by an rsID only (a catalogued polymorphism), no finding of this paper")
        case_sentences = frozenset(sentence for sentence, r in roles if r.role == VariantRole.CASE and r.strength == Strength.STRONG)
        decisions.append(replace(decision, case_sentences=case_sentences))
    return decisions
