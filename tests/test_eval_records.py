"""The record-level scorer (benchmarks/eval_records.py): matching by paper, HGNC gene and any spelling,
one draft per gold record, and the two views (all tiers; core + candidate)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_records
from genelit.models.evidence import EvidenceRecord

# curated records of CDH3 (28061825), spelled as the curator wrote them
GOLD = [
    eval_records.GoldRecord({"pmid": "28061825", "gene": "CDH3", "variant_text": "p.Val205Met", "hgvs_c": "c.613G>A",
                             "hgvs_p": "p.Val205Met", "other_forms": "c.613G > A|NM_001793.5:c.613G > A", "tier": "core",
                             "zygosity": "compound_heterozygous"}),
    eval_records.GoldRecord({"pmid": "28061825", "gene": "CDH3", "variant_text": "c.830del", "hgvs_c": "c.830del",
                             "hgvs_p": "p.Gly277AlafsTer20", "other_forms": "p.Gly277Alafs*20", "tier": "core",
                             "zygosity": "compound_heterozygous"}),
    eval_records.GoldRecord({"pmid": "28061825", "gene": "ABCA4", "variant_text": "p.Val2050Leu", "hgvs_c": "c.6148G>C",
                             "hgvs_p": "p.Val2050Leu", "other_forms": "c.6148G > C", "tier": "incidental",
                             "zygosity": "heterozygous"}),
]


def draft(gene: str, variant: str, key: str, **fields) -> EvidenceRecord:
    return EvidenceRecord(record_id=EvidenceRecord.make_id("28061825", gene, key), pmid="28061825", gene_symbol=gene,
                          variant=variant, variant_key=key, **fields)


def test_spellings_match_through_the_normalizer():
    assert {"p.Val205Met"} <= eval_records.spelling_keys("p.V205M")
    assert {"c.613G>A"} <= eval_records.spelling_keys("NM_001793.5:c.613G > A")
    assert {"c.1345C>G", "p.Arg449Gly"} <= eval_records.spelling_keys("NM_004698: exon10: c.1345C > G: p.R449G")


def test_one_draft_per_gold_record_and_the_two_views():
    drafts = {"28061825": [
        draft("CDH3", "c.613G > A", "c.613G>A", zygosity="compound_heterozygous"),
        draft("CDH3", "p.V205M", "p.Val205Met"),  # the same allele drafted twice: a curator reviews it twice
        draft("CDH3", "c.830del", "c.830del", synonyms=["p.Gly277Alafs*20"]),
        draft("ABCA4", "p.Val2050Leu", "p.Val2050Leu"),
        draft("CDH3", "p.Val205Leu", "p.Val205Leu", role="population"),  # not a case draft: not scored
    ]}
    scored = eval_records.score(GOLD, drafts)
    assert scored.counts(causal_only=False) == (3, 1, 0)
    assert scored.counts(causal_only=True) == (2, 1, 0)  # the incidental ABCA4 allele is neither right nor wrong
    right, total, _ = eval_records.field_accuracy(scored.matches, eval_records.FIELDS["zygosity (where stated)"])
    assert (right, total) == (1, 3)


def test_a_draft_under_the_wrong_gene_does_not_match():
    scored = eval_records.score(GOLD, {"28061825": [draft("ANNOVAR", "c.613G > A", "c.613G>A")]})
    assert scored.counts(causal_only=True) == (0, 1, 2)
