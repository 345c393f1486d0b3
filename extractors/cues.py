"""Case-level cues a curator scores: zygosity, inheritance, consanguinity, proband counts, segregation and
functional (experimental) evidence.

Why rules: these cues are carried by a small closed vocabulary ("homozygous for", "compound
heterozygous", "autosomal recessive", "consanguineous pedigree", "segregated with the disease",
"knockout mice") whose exact wording a curator wants to see highlighted, and regexes over the whole text
cost a few microseconds per abstract.  Each kind is one compiled alternation of *named* alternatives:
the name of the alternative that matched (``Match.lastgroup``) is the normalized concept, so no per-match
lookup tables or per-doc loops over a lexicon are needed.

The component runs last so that it can attach each zygosity to the variant mention(s) it describes
(``attrs["variant_spans"]``): "homozygous for c.274G>A", "c.274G>A in the homozygous state", "compound
heterozygous for X and Y", genotype notation ("p.[E191K] + [E191K]", "R117H/ΔF508").  Negation ("no consanguinity was reported", "did not segregate") comes from
:mod:`extractors.negation`, the project's NegEx rules.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from genelit.extractors.base import add_mention, doc_text, mentions, sentence_of
from genelit.extractors.negation import is_negated
from genelit.models.evidence import FunctionalCategory
from genelit.models.mentions import Mention, MentionKind
from spacy.attrs import IDX, LOWER
from spacy.language import Language
from spacy.tokens import Doc

SOURCE = "genelit_cues"

# Mode-of-inheritance terms (HPO release hp/releases/2025-01-16; ids and names checked against hp.obo by
# tests/test_cues.py).  "de novo" is deliberately absent: it is a zygosity/segregation fact, not a mode.
INHERITANCE_TERMS: dict[str, str] = {
    "HP:0000007": "Autosomal recessive inheritance",
    "HP:0000006": "Autosomal dominant inheritance",
    "HP:0001417": "X-linked inheritance",
    "HP:0001419": "X-linked recessive inheritance",
    "HP:0001423": "X-linked dominant inheritance",
    "HP:0001427": "Mitochondrial inheritance",
    "HP:0001450": "Y-linked inheritance",
    "HP:0032113": "Semidominant inheritance",
    "HP:0010984": "Digenic inheritance",
    "HP:0034340": "Pseudoautosomal dominant inheritance",
    "HP:0034341": "Pseudoautosomal recessive inheritance",
}

_NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
_NUMBER_WORDS.update({"single": 1, "both": 2, "twin": 2})


@dataclass(frozen=True)
class CueGrammar:
    """One kind of cue: a compiled alternation whose group names map to (concept, tag).

    ``starts`` matches (lower-case) every word a cue of this kind can begin with; the alternation is then
    tried only at tokens starting with such a word (``Pattern.match``).  Scanning a big alternation at
    every character costs ~1 µs per character in ``re``; a per-token-type test, cached, costs nothing.
    """

    kind: MentionKind
    pattern: re.Pattern[str]
    groups: dict[str, tuple[str, str]]
    starts: re.Pattern[str]

    def matches(self, text: str, positions: Iterable[int]) -> Iterator[tuple[re.Match[str], str, str]]:
        """Non-overlapping matches starting at ``positions`` (ascending), with concept and tag."""
        end = -1
        for pos in positions:
            if pos < end:
                continue
            m = self.pattern.match(text, pos)
            if m:
                end = m.end()
                concept, tag = self.groups[m.lastgroup or ""]
                yield m, concept, tag


def _grammar(
    kind: MentionKind, starts: str, alternatives: list[tuple[str, str]], flags: int = re.IGNORECASE
) -> CueGrammar:
    """Compile ``[(concept[|tag], regex), ...]`` into one alternation; earlier alternatives win ties.
    ``starts``: lower-case regex of the words any alternative begins with."""
    groups: dict[str, tuple[str, str]] = {}
    parts = []
    for i, (name, regex) in enumerate(alternatives):
        concept, _, tag = name.partition("|")
        group = f"g{i}"
        groups[group] = (concept, tag)
        parts.append(f"(?P<{group}>{regex})")
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", flags)
    return CueGrammar(kind, pattern, groups, re.compile(starts))


# "with recessive osteogenesis imperfecta": the mode as an adjective of the disease, not of genes or effects
_DISEASE_ADJECTIVE_BEFORE = r"(?:(?<=with\s)|(?<=of\s)|(?<=in\s)|(?<=for\s)|(?<=causes\s)|(?<=causing\s))"
_DISEASE_AFTER = (r"(?=\s+(?!(?:genes?|mutations?|alleles?|variants?|models?|manner|traits?|inheritance|pattern|forms?|mode|"
                  r"fashion|effects?|state|phenotypes?|negative|allele|lethal|way|action|suppress\w*|expression)\b)[A-Za-z])")
_ZYG_SUFFIX = r"(?:ous(?:ly)?|osity|otes?|osis)"
_NOT_ZYGOSITY = r"(?!\s+(?:mapping|analysis|scan|region|interval|haplotype|by descent|for\s+(?:a|the)\s+haplotype))"


@lru_cache(maxsize=1)
def grammars() -> tuple[CueGrammar, ...]:
    """All cue grammars, compiled once per process."""
    zygosity = _grammar(
        MentionKind.ZYGOSITY,
        r"loss|wild|homo|hetero|hemi|compound|two|in$|bi|mono|de$|somatic|germline|gonadal|mosaic|obligate|asymptomatic|unaffected|healthy",
        [
            # "loss of heterozygosity" and wild-type genotypes are not the zygosity of a variant
            ("skip", r"loss\s+of\s+heterozygosity|(?:wild[- ]type\s+)homozyg\w*|homozyg\w*\s+(?:for\s+the\s+|of\s+)?wild[- ]type"),
            ("compound_heterozygous", rf"compound(?:[- ]|\s+)heterozyg{_ZYG_SUFFIX}"),
            ("compound_heterozygous", r"two\s+(?:(?:different|distinct|novel|pathogenic|truncating|separate)\s+)*"
                                      r"heterozygous\s+(?:(?:missense|nonsense|frameshift|splice|truncating|loss-of-function)\s+)?"
                                      r"(?:mutations|variants|alleles|changes)"),
            ("compound_heterozygous|post", r"in\s+trans"),
            ("homozygous|post", r"in\s+(?:the\s+|a\s+)?homozyg(?:ous\s+state|osis)|homozygously"),
            ("heterozygous|post", r"in\s+(?:the\s+|a\s+)?heterozyg(?:ous\s+state|osis)|heterozygously"),
            ("homozygous|carrier", r"homozygous\s+carriers?"),
            ("heterozygous|carrier", r"heterozygous\s+carriers?|(?:obligate|asymptomatic|unaffected|healthy)\s+(?:gene\s+)?carriers?"),
            ("homozygous", rf"homozyg{_ZYG_SUFFIX}{_NOT_ZYGOSITY}"),
            ("heterozygous", rf"heterozyg{_ZYG_SUFFIX}{_NOT_ZYGOSITY}"),
            ("hemizygous", rf"hemizyg{_ZYG_SUFFIX}"),
            ("biallelic", r"bi-?allelic(?!\s+(?:polymorphism|marker))"),
            ("monoallelic", r"mono-?allelic"),
            ("de_novo", r"de\s+novo"),
            ("mosaic", r"(?:somatic\s+|germline\s+|gonadal\s+)?mosaic(?:ism)?"),
        ],
    )
    inheritance = _grammar(
        MentionKind.INHERITANCE,
        r"autosomal|x|y|mitochondrial|matrilineal|semi|digenic|pseudoautosomal|recessive|dominant|inheritance|pattern|mode|manner",
        [
            ("HP:0000007", r"autosomal(?:[- ]|\s+)recessive(?:ly)?"),
            ("HP:0000006", r"autosomal(?:[- ]|\s+)dominant(?:ly)?(?![- ]negative)"),
            ("HP:0001419", r"X[- ](?:linked|chromosomal)\s+recessive(?:ly)?"),
            ("HP:0001423", r"X[- ](?:linked|chromosomal)\s+dominant(?:ly)?"),
            ("HP:0001417", r"X[- ]linked(?!\s+(?:gene|locus|marker|inhibitor|genes|loci|markers))"),
            ("HP:0001450", r"Y[- ]linked"),
            ("HP:0001427", r"mitochondrial(?:ly)?\s+(?:inheritance|inherited)|matrilineal\s+inheritance"),
            ("HP:0032113", r"semi-?dominant(?:ly)?"),
            ("HP:0010984", r"digenic\s+(?:inheritance|mode|pattern)"),
            ("HP:0034341", r"pseudoautosomal\s+recessive"),
            ("HP:0034340", r"pseudoautosomal\s+dominant"),
            # "recessive"/"dominant" alone only with an inheritance noun, or naming the patients' disease
            # ("a patient with recessive osteogenesis imperfecta"): autosomal is assumed
            ("HP:0000007|assumed", rf"{_DISEASE_ADJECTIVE_BEFORE}recessive{_DISEASE_AFTER}"),
            ("HP:0000006|assumed", rf"{_DISEASE_ADJECTIVE_BEFORE}dominant{_DISEASE_AFTER}"),
            ("HP:0000007|assumed", r"recessive(?:ly)?\s+(?:inheritance|inherited|trait|pattern|form|mode|manner|fashion)"
                                   r"|(?:inheritance|pattern|mode|manner)\s+(?:of\s+inheritance\s+)?(?:was|is|is\s+likely|was\s+likely)?\s*recessive"),
            ("HP:0000006|assumed", r"dominant(?:ly)?\s+(?:inheritance|inherited|trait|pattern|form|mode|manner|fashion)"
                                   r"|(?:inheritance|pattern|mode|manner)\s+(?:of\s+inheritance\s+)?(?:was|is|is\s+likely|was\s+likely)?\s*dominant"),
        ],
    )
    consanguinity = _grammar(
        MentionKind.CONSANGUINITY,
        r"non|unrelated|consanguin|first|second|double|born|offspring|parents|inbre",
        [
            ("consanguineous|neg", r"non-?consanguineous|unrelated\s+parents"),
            ("consanguineous", r"consanguin(?:eous|ity|eously)"),
            ("consanguineous", r"(?:first|second|double\s+first)[- ]cousin\s+(?:parents|marriage|union|mating|couple)"
                               r"|(?:born|offspring)\s+(?:of|to)\s+(?:first|second)[- ]cousins?"
                               r"|parents\s+(?:were|are)\s+(?:(?:first|second|double\s+first)[- ])?cousins"),
            ("consanguineous", r"inbred\s+(?:family|families|kindreds?|pedigrees?|population|community)|inbreeding"),
        ],
    )
    number = r"(?:\d{1,3}(?:,\d{3})+|\d+|(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)|" + "|".join(
        sorted((w for w in _NUMBER_WORDS if w != "zero"), key=len, reverse=True)
    ) + "))"
    modifier = r"(?:(?i:unrelated|affected|additional|further|novel|new|independent|different|distinct|large|small|sporadic|familial|other|more|male|female|adult|pediatric|paediatric|young|consanguineous|multiplex|simplex|index)|[A-Z][\w-]*)"
    proband = _grammar(
        MentionKind.PROBAND_COUNT,
        r"\d|an?$|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|single|both|twin",
        [
            ("affected", rf"(?P<n1>{number})\s+(?:{modifier}[\s,]+){{0,3}}?(?i:affected)\s+(?i:individuals|members|family\s+members|patients|siblings|sibs|children|subjects|persons|relatives|offspring)"),
            ("families", rf"(?P<n2>{number})\s+(?:{modifier}[\s,]+){{0,3}}(?i:families|family|kindreds?|pedigrees?)"),
            ("probands", rf"(?P<n3>{number})\s+(?:{modifier}[\s,]+){{0,3}}(?i:probands?|index\s+(?:cases|patients))"),
            ("patients", rf"(?P<n4>{number})\s+(?:{modifier}[\s,]+){{0,3}}(?i:patients|cases|individuals|subjects|children|siblings|sibs|boys|girls|brothers|sisters|sibling\s+pairs)"),
            ("probands|one", r"(?i:an?)\s+(?:\d+(?:\.\d+)?|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty))"
                             r"[- ](?i:years?|months?|weeks?|days?)[- ]old\s+(?:[A-Z][\w-]*\s+)?(?i:boy|girl|man|woman|male|female|patient|child|infant|proband|neonate|newborn|baby|adolescent)"),
        ],
        flags=0,
    )
    segregation = _grammar(
        MentionKind.SEGREGATION,
        r"absent|not|parents|mother|father|heterozygous|carrier|maternally|paternally|inherited|de$|co|segregat|maximum|max|peak|two|multipoint|parametric|combined|lod",
        [
            ("absent_in_unaffected|intrinsic", r"(?:absent|not\s+(?:found|detected|present|observed|identified))\s+in\s+(?:(?:the|all|any|\w+)\s+){0,3}"
                                               r"(?:unaffected|healthy)\s+(?:family\s+members|relatives|siblings|sibs|parents|members|individuals)"
                                               r"|not\s+in\s+(?:the\s+)?(?:\w+\s+){0,2}(?:unaffected|healthy)\s+(?:family\s+members|relatives|siblings|sibs|parents|members|individuals)"),
            ("parents_carriers", r"(?:parents|mother\s+and\s+father|father\s+and\s+mother)\s+(?:\w+\s+){0,3}?(?:were|are|was)\s+(?:both\s+|all\s+)?"
                                 r"(?:heterozygous|heterozygotes|(?:obligate\s+|heterozygous\s+)?carriers)"
                                 r"|(?:heterozygous|carrier)\s+parents|parents\s+(?:\w+\s+){0,2}(?:carry|carried)"),
            ("parent_carrier", r"(?:mother|father)\s+(?:\w+\s+){0,2}(?:was|is)\s+(?:a\s+)?(?:heterozygous|heterozygote|(?:an\s+)?(?:obligate\s+|heterozygous\s+)?carrier)"),
            ("inherited", r"(?:maternally|paternally)\s+inherited|inherited\s+from\s+(?:his|her|their|the)\s+(?:\w+\s+)?(?:mother|father|parent)"),
            ("de_novo", r"de\s+novo"),
            ("segregates", r"(?:co-?)?segregat(?:ed|es|ing|ion|e)"),
            ("linkage", r"(?:(?:maximum|max|peak|two-?point|multipoint|parametric|combined)\s+)*LOD(?:\s*\([^)]{0,40}\))?(?:\s+scores?)?"),
        ],
    )
    functional = _grammar(
        MentionKind.FUNCTIONAL,
        r"rescu|functional|complement|recombinant|replacement|wild|conditional|knock|null|deficient|mutant|transgenic|mouse|murine|animal"
        r"|zebrafish|rat|fly|drosophila|morph|c\.?$|caenorhab|induced|ipsc|organoid|crispr|sirna|shrna|patient|proband|propositus|affected"
        r"|fibroblast|lymphoblast|lymphocyte|myoblast|cells|transfect|transient|site|in$|luciferase|reporter|hek|cos|cho|hela|xenopus"
        r"|expression|interact|co|yeast|pull|binding|highly|predominantly|specifically|ubiquitously|abundantly|strongly|tissue"
        r"|enzym|catalytic|kinase|phosphatase|transport|receptor|ligand",
        [
            (FunctionalCategory.RESCUE.value, r"rescue[sd]?|rescuing|functional\s+rescue|complementation|complemented"
                                             r"|(?:recombinant|replacement|wild[- ]type)\b[^.;]{0,60}?\b(?:normali[sz]ed|restored|corrected|reversed)"),
            (FunctionalCategory.MODEL_ORGANISM.value, r"(?:conditional\s+)?knock-?(?:out|in)\s+(?:mice|mouse|rats?|zebrafish|animals|flies|models?)"
                                                     r"|(?:null|deficient|mutant|transgenic)\s+(?:mice|mouse|rats?|zebrafish|flies|animals)"
                                                     r"|(?:mouse|murine|animal|zebrafish|rat|fly|Drosophila)\s+models?"
                                                     r"|zebrafish|morphants?|morpholinos?|Drosophila|C\.\s*elegans|Caenorhabditis"),
            (FunctionalCategory.CELL_CULTURE_MODEL.value, r"induced\s+pluripotent\s+stem\s+cells?|iPSCs?|organoids?|CRISPR(?:[-/]Cas9)?"
                                                         r"|(?:siRNA|shRNA)(?:-mediated)?(?:\s+knock-?down)?|knock-?down"),
            (FunctionalCategory.PATIENT_CELLS.value, r"(?:patient|patients|patient's|patients'|proband's|propositus'|affected\s+individuals')[- ]?(?:derived\s+)?"
                                                    r"(?:fibroblasts|lymphoblasts|lymphoblastoid\s+cells|lymphocytes|cells|myoblasts|muscle|keratinocytes|leukocytes|erythrocytes|platelets|iPSCs)"
                                                    r"|(?:fibroblasts|lymphoblasts|lymphoblastoid\s+cell\s+lines|lymphocytes|myoblasts)\s+(?:from|of)\s+(?:the\s+|both\s+|two\s+|all\s+)?(?:patients?|proband|affected)"
                                                    r"|(?:fibroblasts|lymphoblasts|cells)\s+carrying\s+the\s+(?:mutation|variant)"),
            (FunctionalCategory.NON_PATIENT_CELLS.value, r"transfect(?:ed|ion|ions|ants)|transiently\s+expressed|site-directed\s+mutagenesis"
                                                        r"|in\s+vitro\s+(?:assays?|studies|analysis|analyses|expression|translation|functional\s+\w+)"
                                                        r"|(?:luciferase\s+)?reporter\s+(?:gene\s+)?assays?|(?:HEK\s?293T?|COS-?[17]|CHO|HeLa|Xenopus\s+oocytes?)(?:\s+cells)?"
                                                        r"|(?:expression|functional)\s+stud(?:y|ies)|recombinant\s+mutant|mutant\s+(?:protein|receptor|enzyme|channel)s?"),
            (FunctionalCategory.PROTEIN_INTERACTION.value, r"interacts?\s+with|interaction\s+(?:between|with)|co-?immunoprecipitat\w+|yeast\s+two-hybrid"
                                                          r"|pull-?down(?:\s+assays?)?|binding\s+partners?"),
            (FunctionalCategory.EXPRESSION.value, r"(?:highly|predominantly|specifically|ubiquitously|abundantly|strongly)\s+expressed\s+in"
                                                 r"|expression\s+pattern|tissue\s+distribution|in\s+situ\s+hybridi[sz]ation"),
            (FunctionalCategory.BIOCHEMICAL_FUNCTION.value, r"(?:enzyme|enzymatic|catalytic|kinase|phosphatase|transport|transporter)\s+activity"
                                                           r"|(?:receptor|binding|ligand)\s+(?:binding\s+)?affinity|ligand\s+binding"),
        ],
    )
    return (zygosity, inheritance, consanguinity, proband, segregation, functional)


# ----- zygosity → variant attachment ---------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r";|\.\s|\b(?:while|whereas|but|although|however|respectively)\b", re.IGNORECASE)
_CHAIN_GAP = re.compile(r"[\s,;:()\[\]/]*(?:(?:and|or|plus|as\s+well\s+as)\b[\s,;:()\[\]/]*)?(?:(?:the|a|an)\s+)?", re.IGNORECASE)
FORWARD_WINDOW = 100  # chars from a zygosity word to the variant it precedes ("homozygous nucleotide substitution (c.…)")
BACKWARD_WINDOW = 80  # chars back to the variant a postposed zygosity describes ("c.… was found heterozygous")


def _chain(variants: list[Mention], first: int, step: int, text: str) -> list[Mention]:
    """``variants[first]`` and its neighbours joined only by punctuation/conjunctions ("X and Y", "c. (p.)")."""
    out = [variants[first]]
    i = first + step
    while 0 <= i < len(variants):
        a, b = (out[-1], variants[i]) if step > 0 else (variants[i], out[-1])
        if a.end <= b.start and not _CHAIN_GAP.fullmatch(text, a.end, b.start):
            break
        out.append(variants[i])
        i += step
    return sorted(out, key=lambda m: m.start)


# "both parents were heterozygous", "her mother is a heterozygote", "the father had the same heterozygous
# mutation": the zygosity of relatives, not of the case
_RELATIVE = r"(?:parents?|mother|father|relatives|siblings?|sibs?|sisters?|brothers?|members|grand\w+|aunts?|uncles?|carriers?)"
_RELATIVE_BEFORE = re.compile(
    rf"\b{_RELATIVE}\b(?:\([^()]*\)|[^.;,()]){{0,40}}?\b(?:(?:were|was|are|is)\s+(?:both\s+|all\s+|also\s+|each\s+|an?\s+)?"
    rf"(?:(?:found|shown|confirmed)\s+to\s+be\s+)?"
    rf"|(?:had|has|have|carried|carries|carry|showed|harbou?red)\s+(?:\w+\s+){{0,6}}?)$",
    re.IGNORECASE,
)
# "... showed a heterozygous mutation, c.3250_3251insG, in the mother"
_RELATIVE_AFTER = re.compile(
    rf"^[^.;]{{0,60}}?\b(?:in|of)\s+(?:the\s+|his\s+|her\s+|their\s+|both\s+)?(?:unaffected\s+|healthy\s+)?{_RELATIVE}\b",
    re.IGNORECASE,
)
_ABSENT_IN_PARENTS = re.compile(
    r"\bnot\s+(?:\w+\s+)?(?:found|present|detected|identified|observed|carried)\s+in\s+(?:[\w'’]+\s+){0,2}?(?:parents|mother\s+and\s+father|father\s+and\s+mother)\b",
    re.IGNORECASE,
)
_PATIENT_WORD = re.compile(r"\b(?:patients?|proband|index|case|child|boy|girl|affected)\b", re.IGNORECASE)
RELATIVE_WINDOW = 70


def describes_relative(text: str, start: int, end: int | None = None, sentence_end: int | None = None) -> bool:
    """Whether the zygosity word at ``[start, end)`` is predicated of a relative ("the mother was
    heterozygous", "the father had the same heterozygous mutation", "a heterozygous c.X in the mother")."""
    if _RELATIVE_BEFORE.search(text, max(0, start - RELATIVE_WINDOW), start):
        return True
    if end is None:
        return False
    limit = min(len(text), end + RELATIVE_WINDOW, sentence_end if sentence_end is not None else len(text))
    after = _RELATIVE_AFTER.match(text[end:limit])
    return bool(after) and not _PATIENT_WORD.search(after.group(0))


def _no_break(text: str, lo: int, hi: int) -> bool:
    return lo >= hi or _CLAUSE_BREAK.search(text, lo, hi) is None


def attach_zygosity(text: str, start: int, end: int, concept: str, tag: str, variants: list[Mention]) -> list[Mention]:
    """The variant mentions (same sentence, sorted) that a zygosity cue at ``[start, end)`` describes.

    Compound heterozygosity describes every variant that follows it in its clause ("compound heterozygous
    for X and Y"); a postposed cue ("X in the homozygous state") prefers the preceding variant; otherwise
    the nearest following variant in the clause ("homozygous for X", "homozygous partial gene deletion"),
    then the nearest preceding one, each extended over variants listed right after it ("c.274G>A (p.Val92Met)").
    """
    following = [i for i, v in enumerate(variants) if v.start >= end and v.start - end <= FORWARD_WINDOW and _no_break(text, end, v.start)]
    preceding = [i for i, v in enumerate(variants) if v.end <= start and start - v.end <= BACKWARD_WINDOW and _no_break(text, v.end, start)]
    inside = [v for v in variants if v.start < end and v.end > start]
    if inside:
        return inside
    if concept == "compound_heterozygous" and tag != "post":
        after = [v for v in variants if v.start >= end and _no_break(text, end, v.start)]
        if after:
            return after
    if tag == "post" and preceding:
        return _chain(variants, preceding[-1], -1, text)
    if preceding and _PLURAL_PREDICATE.search(text, max(0, start - 40), start):
        # "p.Val1368Gly ... and c.331+1G>A were found to be homozygous": every variant of the clause
        return [variants[i] for i in preceding]
    if following:
        linked = _FORWARD_LINK.fullmatch(text, end, variants[following[0]].start) is not None
        if linked or not preceding or start - variants[preceding[-1]].end > TABLE_CELL_GAP:
            return _chain(variants, following[0], 1, text)
    if preceding:
        return _chain(variants, preceding[-1], -1, text)
    return []


# The words between a zygosity word and the variant it names ("homozygous novel missense mutation (c.X)",
# "heterozygous for the MED23 c.X"); anything else after it (a table's next cells) and a variant right
# before it ("p.Ser324Ala het “De novo”") make it describe that preceding variant.
_FORWARD_LINK = re.compile(
    r"[\s,:(\[“”\"'‐-]*(?:(?:for|of|the|a|an|novel|new|known|rare|recurrent|missense|nonsense|frameshift|frame-?shifting|"
    r"splice(?:-site)?|splicing|truncating|intronic|exonic|synonymous|silent|point|single|base|nucleotide|pathogenic|likely|"
    r"causative|mutations?|variants?|changes?|substitutions?|deletions?|insertions?|duplications?|alleles?|transitions?|"
    r"transversions?|in|exon|intron|\d+|[A-Z][A-Z0-9-]{1,9}|[NX][MP]_[\d.]+|gene|adenine|cytosine|guanine|thymine|pair|bp|"
    r"nucleotides?|sequence|germline|somatic)[\s,:(\[“”\"'‐-]*)*",
)
TABLE_CELL_GAP = 12
_PLURAL_PREDICATE = re.compile(r"\b(?:were|are)\s+(?:both\s+|all\s+|also\s+)?(?:(?:found|shown|confirmed)\s+to\s+be\s+)?$", re.IGNORECASE)  # characters from a variant to a cell describing it in a flattened table row


# ----- the component ------------------------------------------------------------------------------

# A digit right after one of these words (or after an abbreviation) belongs to a name, not a count:
# "MEN 1 patients", "type 2 families", "stage 3 cases", "CMT 1 kindreds".
_NAMED_NUMBER = re.compile(
    r"(?:\b(?i:type|types|stage|grade|class|group|groups|phase|cohort|day|week|month|year|exon|intron|codon|"
    r"chromosome|figure|table|study|trial|generation)|\b[A-Z][A-Z0-9]+)[\s-]*$"
)


def _count(match: re.Match[str], concept: str, tag: str) -> int | None:
    if tag == "one":
        return 1
    group = next((f"n{i}" for i in range(1, 5) if match.group(f"n{i}")), None)
    if group is None:
        return None
    raw = match.group(group).lower().replace(",", "")
    if raw.isdigit():
        start = match.start(group)
        if _NAMED_NUMBER.search(match.string, max(0, start - 24), start):
            return None
        return int(raw)
    if "-" in raw:
        tens, ones = raw.split("-", 1)
        return _NUMBER_WORDS[tens] + _NUMBER_WORDS[ones]
    return _NUMBER_WORDS.get(raw)


# token lower-case hash -> (offset in token, grammar index) pairs where a cue may start; offsets after
# a hyphen or slash too, since "disease-segregating" and "IGF1-deficient" are single tokens.  Filled
# lazily and bounded by the vocabulary of the texts seen.
_START_TABLE: dict[int, tuple[tuple[int, int], ...]] = {}
_INNER_START = re.compile(r"[-/(]")


def _starts_in(word: str) -> tuple[tuple[int, int], ...]:
    offsets = [0] + [m.end() for m in _INNER_START.finditer(word)]
    return tuple((o, i) for o in offsets for i, g in enumerate(grammars()) if g.starts.match(word, o))


def _candidate_starts(doc: Doc) -> list[list[int]]:
    """For each grammar, the ascending character offsets where a cue of that kind may start."""
    out: list[list[int]] = [[] for _ in grammars()]
    if not len(doc):
        return out
    rows = doc.to_array([LOWER, IDX]).tolist()
    types = {lower for lower, _ in rows}
    strings = doc.vocab.strings
    for lower in types.difference(_START_TABLE):
        _START_TABLE[lower] = _starts_in(strings[lower])
    starting = {lower for lower in types if _START_TABLE[lower]}
    for lower, idx in rows:
        if lower in starting:
            for offset, i in _START_TABLE[lower]:
                out[i].append(idx + offset)
    return out


# Genotype notation between two variant mentions: "p.[E191K] + [E191K]", "[c.1A>G];[c.2T>C]", "R117H/ΔF508".
_GENOTYPE_GAP = re.compile(r"\s*(?:\]\s*[;+]\s*\[|/)\s*")
_CHANGE_LEVELS = ("c.", "p.", "g.")


def genotype_notation(text: str, variants: list[Mention]) -> list[tuple[Mention, Mention, str]]:
    """Pairs of variant mentions written as a genotype, with its zygosity: the same change twice is
    homozygous, two changes of one level (two cDNA or two protein changes) compound heterozygous.
    ``c.274G>A/p.Val92Met`` names one allele twice, so mixed levels are no genotype."""
    found = []
    for a, b in pairwise(variants):
        if not _GENOTYPE_GAP.fullmatch(text, a.end, b.start):
            continue
        ka, kb = a.concept_id or a.text, b.concept_id or b.text
        if ka[:2] not in _CHANGE_LEVELS or ka[:2] != kb[:2]:
            continue
        found.append((a, b, "homozygous" if ka == kb else "compound_heterozygous"))
    return found


def find_cues(doc: Doc) -> None:
    """Add every cue mention of ``doc`` (see module docstring); variants must already be on the doc."""
    text = doc_text(doc)
    variants = sorted((m for m in mentions(doc) if m.kind == MentionKind.VARIANT), key=lambda m: m.start)
    for a, b, concept in genotype_notation(text, variants):
        add_mention(doc, MentionKind.ZYGOSITY, a.start, b.end, concept_id=concept, label=concept.replace("_", " "),
                    source=SOURCE, variant_spans=[[a.start, a.end], [b.start, b.end]], notation=True)
    for grammar, starts in zip(grammars(), _candidate_starts(doc)):
        for match, concept, tag in grammar.matches(text, starts):
            if concept == "skip":
                continue
            start, end = match.span()
            sentence = sentence_of(doc, start)
            intrinsic = tag in ("neg", "intrinsic")
            negated = tag == "neg" or (
                grammar.kind != MentionKind.PROBAND_COUNT and not intrinsic and is_negated(text, start, end, sentence)
            )
            if negated and concept == "de_novo" and _ABSENT_IN_PARENTS.search(text, end, sentence[1]):
                negated = False  # "de novo, as it was not found in the parents": the absence confirms it
            attrs: dict[str, object] = {}
            label = concept.replace("_", " ")
            if grammar.kind == MentionKind.ZYGOSITY:
                in_sentence = [v for v in variants if v.start >= sentence[0] and v.end <= sentence[1]]
                attached = attach_zygosity(text, start, end, concept, tag, in_sentence)
                attrs["variant_spans"] = [[v.start, v.end] for v in attached]
                if tag == "carrier" or describes_relative(text, start, end, sentence[1]):
                    attrs["carrier"] = True
            elif grammar.kind == MentionKind.INHERITANCE:
                label = INHERITANCE_TERMS[concept]
                if tag == "assumed":
                    attrs["autosomal_assumed"] = True
            elif grammar.kind == MentionKind.PROBAND_COUNT:
                count = _count(match, concept, tag)
                if not count:
                    continue
                attrs.update(count=count, unit="probands" if tag == "one" else concept)
            elif grammar.kind == MentionKind.FUNCTIONAL:
                attrs["category"] = concept
                label = concept.replace("_", " ")
            elif grammar.kind == MentionKind.SEGREGATION and concept == "linkage":
                lod = re.search(r"(?<![\w.])(\d+(?:\.\d+)?)", text[end : min(end + 40, sentence[1])])
                if lod:
                    attrs["lod"] = float(lod.group(1))
            add_mention(
                doc, grammar.kind, start, end, concept_id=concept, label=label, negated=negated, source=SOURCE, **attrs
            )


@Language.factory(
    "genelit_cues",
    default_config={},
    assigns=["doc._.mentions"],
    # zygosity attaches to the variant mentions already on the doc when there are any (the component also
    # runs alone); cues are sought within sentences
    requires=["token.is_sent_start"],
)
def make_cues(nlp: Language, name: str) -> CaseCues:
    grammars()  # compile at pipeline build time, not on the first document
    return CaseCues()


class CaseCues:
    """spaCy component: adds zygosity/inheritance/consanguinity/proband/segregation/functional mentions."""

    def __call__(self, doc: Doc) -> Doc:
        find_cues(doc)
        return doc
