"""Curator edits checked against genelit's variant grammar and its HGNC, HPO and disease lexicons
(outputs.edits), as `review edit`, `review import` and the web app all use them."""
from __future__ import annotations

from pathlib import Path

import pytest
from genelit.models.evidence import EvidenceRecord, Phenotype
from genelit.models.review import Decision
from genelit.outputs.edits import checked_decisions, checked_hgvs, validated_edit
from genelit.outputs.tables import write_table
from genelit.outputs.xlsx import REVIEW_COLUMNS, read_decisions
from openpyxl import load_workbook

from genelit.errors import InputError


def igf1(**fields: object) -> EvidenceRecord:
    values: dict[str, object] = {
        "record_id": "0123456789abcdef", "pmid": "9401537", "gene_symbol": "IGF1", "hgnc_id": "HGNC:5464",
        "ncbi_gene_id": "3479", "hgvs_c": "c.274G>A", "hgvs_p": "p.Val92Met", "zygosity": "homozygous",
        "phenotypes": [Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation")],
    }
    values.update(fields)
    return EvidenceRecord.model_validate(values)


def problem(values: dict[str, str], record: EvidenceRecord | None = None) -> str:
    with pytest.raises(InputError) as error:
        validated_edit(values, record or igf1())
    return str(error.value)


def test_hgvs_is_read_by_the_variant_grammar_and_canonicalized() -> None:
    assert validated_edit({"hgvs_p": "p.V93M", "hgvs_c": "c.370-371insA"}, igf1()) == {
        "hgvs_p": "p.Val93Met", "hgvs_c": "c.370_371insA"}
    assert checked_hgvs("hgvs_c", "NM_000618.5:c.274G>A") == "NM_000618.5:c.274G>A"
    assert checked_hgvs("hgvs_g", "m.3243A>G") == "m.3243A>G"
    assert "is not c./n./r. HGVS" in problem({"hgvs_c": "c.274G>Z"})
    assert "is not p. HGVS" in problem({"hgvs_p": "p.Xyz92Met"})
    assert "not a change" in problem({"hgvs_c": "c.-511CC"})
    assert "not a change" in problem({"hgvs_p": "p.Asn62"})


def test_gene_symbol_must_be_approved_and_brings_its_ids() -> None:
    changes = validated_edit({"gene_symbol": "igf2"}, igf1())
    assert changes == {"gene_symbol": "IGF2", "hgnc_id": "HGNC:5466", "ncbi_gene_id": "3481"}
    assert "the approved symbol is IGF1" in problem({"gene_symbol": "IGF-I"}, igf1(gene_symbol="GH1"))
    assert "not an approved HGNC symbol (unknown)" in problem({"gene_symbol": "NOTAGENE1"})
    assert "HGNC:5466 is IGF2, but the gene is IGF1" in problem({"hgnc_id": "HGNC:5466"})
    assert "not a current HGNC gene" in problem({"hgnc_id": "HGNC:99999999"})


def test_inheritance_names_its_hpo_term_either_way() -> None:
    assert validated_edit({"inheritance": "autosomal recessive"}, igf1()) == {
        "inheritance": "Autosomal recessive inheritance", "inheritance_hpo": "HP:0000007"}
    assert validated_edit({"inheritance_hpo": "HP:0001417"}, igf1()) == {
        "inheritance": "X-linked inheritance", "inheritance_hpo": "HP:0001417"}
    recessive = igf1(inheritance="Autosomal recessive inheritance", inheritance_hpo="HP:0000007")
    assert validated_edit({"inheritance": ""}, recessive) == {"inheritance": None, "inheritance_hpo": None}
    assert "name different modes" in problem({"inheritance": "autosomal dominant", "inheritance_hpo": "HP:0000007"})
    assert "not a mode of inheritance HPO names" in problem({"inheritance": "Mendelian"})


def test_phenotypes_and_diseases_are_looked_up_in_the_lexicons() -> None:
    changes = validated_edit({"phenotypes_hpo": "HP:0001511|HP:0000365", "phenotypes": ""}, igf1())
    assert changes == {"phenotypes": [{"hpo_id": "HP:0001511", "label": "Intrauterine growth retardation"},
                                      {"hpo_id": "HP:0000365", "label": "Hearing impairment"}]}
    assert "HP:0000007 is not a current HPO phenotype term" in problem({"phenotypes_hpo": "HP:0000007"})
    assert validated_edit({"disease_id": "OMIM:608747"}, igf1()) == {
        "disease_id": "OMIM:608747", "disease_label": "Insulin-Like growth factor I deficiency"}
    assert "not in genelit's disease list" in problem({"disease_id": "OMIM:000001"})
    assert validated_edit({"disease_id": "MONDO:0012115"}, igf1()) == {"disease_id": "MONDO:0012115"}


def test_only_changed_values_are_checked_and_a_no_op_is_refused() -> None:
    legacy = igf1(gene_symbol="NOTAGENE1", hgnc_id=None, hgvs_p="p.Asn62")
    assert validated_edit({"gene_symbol": "NOTAGENE1", "hgvs_p": "p.Asn62", "zygosity": "heterozygous"},
                          legacy) == {"zygosity": "heterozygous"}
    assert "nothing to change" in problem({"zygosity": "homozygous"})


def test_spreadsheet_edits_are_checked_row_by_row(tmp_path: Path) -> None:
    records = [igf1(), igf1(record_id="fedcba9876543210", pmid="9401538")]
    path = tmp_path / "review.xlsx"
    write_table(records, path)
    workbook = load_workbook(path)
    sheet = workbook["review"]
    for row, column, value in ((2, "decision", "edit"), (2, "gene_symbol", "IGF-I"), (3, "decision", "edit"),
                               (3, "inheritance", "autosomal recessive")):
        sheet.cell(row=row, column=REVIEW_COLUMNS.index(column) + 1, value=value)
    workbook.save(path)
    decisions = read_decisions(path)
    with pytest.raises(InputError) as error:
        checked_decisions(decisions, {r.record_id: r for r in records}, path.name)
    assert "1 bad row(s)" in str(error.value) and "row 2: gene_symbol 'IGF-I'" in str(error.value)
    fixed = [d for d in decisions if d.row == 3]
    [checked] = checked_decisions(fixed, {r.record_id: r for r in records}, path.name)
    assert isinstance(checked, Decision)
    assert checked.changes == {"inheritance": "Autosomal recessive inheritance", "inheritance_hpo": "HP:0000007"}
