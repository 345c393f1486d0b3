"""ClinGen-style scoring (SOP v11 point values) and the Markdown draft summary, on IGF1-like records."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from genelit.models.evidence import (
    EvidenceRecord,
    FunctionalCategory,
    FunctionalCue,
    Phenotype,
    RecordStatus,
    VariantClass,
)
from genelit.outputs.clingen import (
    Classification,
    Inheritance,
    classify,
    infer_inheritance,
    score_gene_disease,
)
from genelit.outputs.summary import draft_summary, select_records


def _cue(category: FunctionalCategory, text: str) -> FunctionalCue:
    return FunctionalCue(category=category, text=text, start=0, end=len(text))


def igf1_records() -> list[EvidenceRecord]:
    """The two IGF1 cases of the ClinGen example summary, as a curator would have accepted them."""
    deletion = EvidenceRecord(
        record_id=EvidenceRecord.make_id("9401537", "HGNC:5464", "IGF1:del(exons 4-5)"), pmid="9401537",
        year=1997, gene_symbol="IGF1", hgnc_id="HGNC:5464",
        variant="partial IGF-I gene deletion involving exons 4 and 5",
        variant_key="IGF1:del(exons 4-5)", variant_class=VariantClass.NULL, zygosity="homozygous",
        inheritance="autosomal recessive", inheritance_hpo="HP:0000007", consanguinity=True, proband_count=1,
        disease_label="growth delay due to insulin-like growth factor type 1 deficiency", disease_id="OMIM:608747",
        phenotypes=[Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation"),
                    Phenotype(hpo_id="HP:0000407", label="Sensorineural hearing impairment"),
                    Phenotype(hpo_id="HP:0001256", label="Intellectual disability, mild")],
        status=RecordStatus.ACCEPTED,
    )
    missense = EvidenceRecord(
        record_id=EvidenceRecord.make_id("15769976", "HGNC:5464", "p.Val92Met"), pmid="15769976", year=2005,
        gene_symbol="IGF1", hgnc_id="HGNC:5464", variant="V44M", variant_key="p.Val92Met", hgvs_c="c.274G>A",
        hgvs_p="p.Val92Met", variant_class=VariantClass.MISSENSE, zygosity="homozygous",
        disease_label="growth delay due to insulin-like growth factor type 1 deficiency", disease_id="OMIM:608747",
        phenotypes=[Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation"),
                    Phenotype(hpo_id="HP:0000252", label="Microcephaly")],
        functional_evidence=[
            _cue(FunctionalCategory.NON_PATIENT_CELLS, "90-fold lower affinity for the IGF1 receptor"),
            _cue(FunctionalCategory.PROTEIN_INTERACTION, "IGF1 binds the IGF1 receptor"),
        ],
        status=RecordStatus.EDITED,
    )
    return [deletion, missense]


def test_igf1_score_traces_every_point() -> None:
    deletion, missense = igf1_records()
    score = score_gene_disease([deletion, missense], as_of_year=2024)
    assert score.inheritance is Inheritance.AUTOSOMAL_RECESSIVE
    by_record = {item.record_ids: item for item in score.items}
    assert by_record[(deletion.record_id,)].points == 3.0  # null 1.5 × 2 alleles
    assert "consanguineous family" in by_record[(deletion.record_id,)].reason
    case_missense = [i for i in score.items if i.category == "case-level" and i.record_ids == (missense.record_id,)]
    assert case_missense[0].points == 1.0  # (0.1 + 0.4 functional) × 2 alleles
    experimental = [i for i in score.items if i.category.startswith("experimental")]
    assert [(i.category, i.points, i.pmids) for i in experimental] == [
        ("experimental: function", 0.5, ("15769976",))]  # non-patient-cell data already upgraded the case
    assert score.genetic_points == 4.0 and score.experimental_points == 0.5 and score.total_points == 4.5
    assert score.classification is Classification.LIMITED
    assert not score.replicated_over_time
    assert "SOP v11" in score.sop_version


def test_summary_for_igf1_cites_zygosity_classification_and_points() -> None:
    records = igf1_records()
    text = draft_summary("IGF1", records, as_of_year=2024)
    assert "MACHINE DRAFT — not reviewed" in text
    assert "PMID:9401537" in text and "PMID:15769976" in text
    assert "| partial IGF-I gene deletion involving exons 4 and 5 |  |  | null | homozygous | PMID:9401537 |" in text
    assert "| V44M | c.274G>A | p.Val92Met | missense | homozygous | PMID:15769976 |" in text
    assert "**Draft classification: Limited** — 4.5 points" in text
    assert "**Inheritance:** autosomal recessive." in text
    assert "consanguineous pedigree reported in PMID:9401537" in text
    assert "**Probands:** 2 from 2 publication(s)" in text
    assert "- HP:0001511 Intrauterine growth retardation (PMID:9401537, PMID:15769976)" in text
    assert f"| case-level | 3 | {records[0].record_id} | PMID:9401537 |" in text
    assert f"| case-level | 1 | {records[1].record_id} | PMID:15769976 |" in text
    assert "growth delay due to insulin-like growth factor type 1 deficiency (OMIM:608747)" in text


def test_only_reviewed_records_count_unless_drafts_are_included() -> None:
    deletion, missense = igf1_records()
    draft = missense.model_copy(update={"status": RecordStatus.DRAFT})
    rejected = deletion.model_copy(update={"status": RecordStatus.REJECTED, "record_id": "r" * 16})
    other_gene = deletion.model_copy(update={"gene_symbol": "GH1", "record_id": "g" * 16})
    records = [deletion, draft, rejected, other_gene]
    assert select_records("igf1", records) == [deletion]
    assert select_records("IGF1", records, include_drafts=True) == [deletion, draft]
    assert select_records("IGF1", records, disease="OMIM:608747") == [deletion]
    assert select_records("IGF1", records, disease="Marfan") == []
    text = draft_summary("IGF1", records)
    assert "accepted and edited records only (1 of 4 records given)" in text and "PMID:15769976" not in text
    assert "plus unreviewed drafts" in draft_summary("IGF1", records, include_drafts=True)


def _ad(pmid: str, variant_class: VariantClass, segregation: str | None = None,
        cues: tuple[FunctionalCategory, ...] = (), zygosity: str = "heterozygous", year: int = 2010) -> EvidenceRecord:
    return EvidenceRecord(
        record_id=EvidenceRecord.make_id(pmid, "HGNC:1", variant_class.value), pmid=pmid, year=year,
        gene_symbol="GENE1", variant_class=variant_class, variant_key=f"v{pmid}", zygosity=zygosity,
        inheritance_hpo="HP:0000006", segregation=segregation, status=RecordStatus.ACCEPTED,
        functional_evidence=[_cue(c, "assay") for c in cues],
    )


@pytest.mark.parametrize(("variant_class", "segregation", "cues", "points"), [
    (VariantClass.NULL, None, (), 1.5),
    (VariantClass.NULL, "de_novo", (), 2.0),  # SOP example 3
    (VariantClass.MISSENSE, None, (), 0.1),
    (VariantClass.MISSENSE, None, (FunctionalCategory.PATIENT_CELLS,), 0.5),  # SOP example 1
    (VariantClass.MISSENSE, "de_novo", (FunctionalCategory.NON_PATIENT_CELLS,), 0.9),  # SOP example 2
])
def test_dominant_case_level_points(variant_class: VariantClass, segregation: str | None,
                                    cues: tuple[FunctionalCategory, ...], points: float) -> None:
    score = score_gene_disease([_ad("1", variant_class, segregation, cues)])
    assert score.inheritance is Inheritance.AUTOSOMAL_DOMINANT
    assert [i.points for i in score.items if i.category == "case-level"] == [points]


def test_recessive_compound_heterozygotes_sum_and_single_alleles_do_not_score() -> None:
    first = _ad("7", VariantClass.NULL, zygosity="compound heterozygous")
    second = _ad("7", VariantClass.MISSENSE, zygosity="compound heterozygous").model_copy(
        update={"record_id": "b" * 16, "inheritance_hpo": "HP:0000007"})
    lone = _ad("8", VariantClass.NULL).model_copy(update={"record_id": "c" * 16})
    records = [r.model_copy(update={"inheritance_hpo": "HP:0000007"}) for r in (first, second, lone)]
    score = score_gene_disease(records)
    case = [i for i in score.items if i.category == "case-level"]
    assert [(i.points, len(i.record_ids)) for i in case] == [(0.0, 1), (1.6, 2)]
    assert "needs both alleles" in case[0].reason


def test_caps_and_definitive_needs_replication_over_time() -> None:
    homozygous_nulls = [
        _ad(str(100 + i), VariantClass.NULL, zygosity="homozygous", year=2000 + i).model_copy(
            update={"inheritance_hpo": "HP:0000007"}) for i in range(6)
    ]
    models = [_ad(str(200 + i), VariantClass.OTHER, cues=(FunctionalCategory.MODEL_ORGANISM,)) for i in range(3)]
    models = [m.model_copy(update={"variant_class": None, "inheritance_hpo": "HP:0000007"}) for m in models]
    score = score_gene_disease(homozygous_nulls + models, as_of_year=2024)
    assert score.genetic_points == 12.0 and "capped at 12" in score.notes[0]
    model_items = [i for i in score.items if i.category == "experimental: models & rescue"]
    assert [i.points for i in model_items] == [2.0, 2.0, 0.0]
    assert "maximum of 4.0" in model_items[2].reason
    assert score.experimental_points == 4.0
    assert score.replicated_over_time and score.classification is Classification.DEFINITIVE
    assert score_gene_disease(homozygous_nulls[:3] + models, as_of_year=2003).classification is Classification.STRONG


def test_classification_thresholds_and_inheritance_inference() -> None:
    assert classify(0, False) is Classification.NO_KNOWN
    assert classify(0.1, False) is Classification.LIMITED
    assert classify(6.9, False) is Classification.LIMITED
    assert classify(7, False) is Classification.MODERATE
    assert classify(11.5, True) is Classification.MODERATE
    assert classify(12, False) is Classification.STRONG
    assert classify(18, True) is Classification.DEFINITIVE
    hemizygous = _ad("9", VariantClass.NULL, zygosity="hemizygous").model_copy(update={"inheritance_hpo": None})
    assert infer_inheritance([hemizygous]) is Inheritance.X_LINKED
    assert score_gene_disease([]).classification is Classification.NO_KNOWN


def test_cli_summary_writes_markdown_from_the_store(tmp_path: Path) -> None:
    from genelit.models.store import Store

    url = f"sqlite:///{tmp_path / 'genelit.db'}"
    store = Store(url)
    for record in igf1_records():
        store.upsert_drafts(record.pmid, [record.model_copy(update={"status": RecordStatus.DRAFT})])
    store.review(igf1_records()[0].record_id, "accept", "J. Doe", None)
    store.close()
    env = {**os.environ, "GENELIT_DB_URL": url}

    def genelit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from genelit.flows.cli import main; main()", *args],
                              capture_output=True, text=True, env=env, timeout=300)

    out = tmp_path / "igf1.md"
    result = genelit("summary", "--gene", "IGF1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "MACHINE DRAFT" in text and "PMID:9401537" in text and "PMID:15769976" not in text
    result = genelit("summary", "--gene", "IGF1", "--include-drafts", "--out", str(out))
    assert "PMID:15769976" in out.read_text(encoding="utf-8")
    missing = genelit("summary", "--gene", "NOPE1", "--out", str(out))
    assert missing.returncode == 2 and "no evidence records" in missing.stderr
    matching = genelit("summary", "--gene", "IGF1", "--disease", "OMIM:608747", "--out", str(out))
    assert matching.returncode == 0, matching.stderr
    out.unlink()
    unmatched = genelit("summary", "--gene", "IGF1", "--disease", "Laron syndrome", "--out", str(out))
    assert unmatched.returncode == 2 and "Traceback" not in unmatched.stderr
    assert unmatched.stderr.strip() == (
        "error: no IGF1 record is about a disease matching 'Laron syndrome': its records name growth delay due "
        "to insulin-like growth factor type 1 deficiency (OMIM:608747) (give an id or part of a name)"
    )
    assert not out.exists()  # nothing written: no "No Known Disease Relationship" draft
