"""HGNC lexicon: build from both HGNC layouts, update, offline failure, symbol resolution."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from genelit.extractors import hgnc
from genelit.extractors.gene_lookup import resolve_symbol

from genelit.errors import GenelitError, InputError

# real rows of the HGNC snapshot (custom-download layout, ", "-separated lists)
SNAPSHOT_HEADER = (
    "HGNC ID\tApproved symbol\tApproved name\tStatus\tAlias symbols\tNCBI Gene ID(supplied by NCBI)\t"
    "UniProt ID(supplied by UniProt)\tMouse genome database ID(supplied by MGI)\t"
    "Rat genome database ID(supplied by RGD)\tPrevious symbols\tEnsembl gene ID\tLocus type\tEnzyme IDs"
)
SNAPSHOT_ROWS = [
    "HGNC:5464\tIGF1\tinsulin like growth factor 1\tApproved\tIGF1A, IGFI, IGF-I, IGF\t3479\tP05019\t"
    "MGI:96432\tRGD:2868\t\tENSG00000017427\tgene with protein product\t",
    "HGNC:12469\tUBA1\tubiquitin like modifier activating enzyme 1\tApproved\tUBE1X, POC20, CFAP124\t7317\t"
    "P22314\tMGI:98890\tRGD:1359327\tA1S9T, GXP1, UBE1\tENSG00000130985\tgene with protein product\t6.2.1.45",
    "HGNC:6\tA1S9T\tsymbol withdrawn, see [HGNC:12469](/data/gene-symbol-report/#!/hgnc_id/HGNC:12469)\t"
    "Symbol Withdrawn\t\t\t\t\t\t\t\tunknown\t",
]
# the same genes in HGNC's complete-set layout ("|"-separated, quoted lists, lower-case columns)
COMPLETE_SET = (
    "hgnc_id\tsymbol\tname\tlocus_group\tlocus_type\tstatus\tlocation\talias_symbol\talias_name\tprev_symbol\t"
    "prev_name\tentrez_id\n"
    'HGNC:5464\tIGF1\tinsulin like growth factor 1\tprotein-coding gene\tgene with protein product\tApproved\t'
    '12q23.2\t"IGF1A|IGFI|IGF-I|IGF"\t"somatomedin C|mechano growth factor"\t\t\t3479\n'
    'HGNC:12469\tUBA1\tubiquitin like modifier activating enzyme 1\tprotein-coding gene\t'
    'gene with protein product\tApproved\tXp11.3\t"UBE1X|POC20"\t\t"A1S9T|GXP1|UBE1"\t\t7317\n'
)


def write_snapshot(path: Path) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join([SNAPSHOT_HEADER, *SNAPSHOT_ROWS]) + "\n")
    return path


def test_build_from_snapshot_layout(tmp_path: Path) -> None:
    src = write_snapshot(tmp_path / "hgnc_entries.tsv.gz")
    info = hgnc.build_lexicon(src.read_bytes(), tmp_path / "lex.tsv.gz", source=str(src), date="2024-01-01")
    assert (info.rows, info.approved, info.withdrawn) == (3, 2, 1)
    assert info.version.startswith("HGNC 2024-01-01 (3 rows, sha256:")
    _, records = hgnc.read_lexicon(tmp_path / "lex.tsv.gz")
    igf1 = next(r for r in records if r.symbol == "IGF1")
    assert igf1.aliases == ("IGF1A", "IGFI", "IGF-I", "IGF")
    assert (igf1.hgnc_id, igf1.ncbi_gene_id, igf1.locus_type) == ("HGNC:5464", "3479", "gene with protein product")
    uba1 = next(r for r in records if r.symbol == "UBA1")
    assert uba1.previous == ("A1S9T", "GXP1", "UBE1")
    withdrawn = next(r for r in records if r.symbol == "A1S9T")
    assert not withdrawn.approved and withdrawn.replaced_by == ("HGNC:12469",)


def test_build_from_complete_set_layout(tmp_path: Path) -> None:
    info = hgnc.build_lexicon(COMPLETE_SET.encode(), tmp_path / "lex.tsv.gz", source="complete set")
    assert info.rows == 2 and info.approved == 2
    _, records = hgnc.read_lexicon(tmp_path / "lex.tsv.gz")
    igf1 = next(r for r in records if r.symbol == "IGF1")
    assert igf1.aliases == ("IGF1A", "IGFI", "IGF-I", "IGF")
    assert igf1.alias_names == ("somatomedin C", "mechano growth factor")
    assert igf1.ncbi_gene_id == "3479"
    assert next(r for r in records if r.symbol == "UBA1").previous == ("A1S9T", "GXP1", "UBE1")


def test_not_an_hgnc_table_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not an HGNC table"):
        hgnc.build_lexicon(b"gene\tid\nIGF1\t3479\n", tmp_path / "lex.tsv.gz", source="x")
    assert not (tmp_path / "lex.tsv.gz").exists()


def test_update_from_local_file_takes_precedence_over_vendored(tmp_path: Path) -> None:
    data_dir = tmp_path / "data" / "genelit"
    assert hgnc.active_lexicon_path(data_dir) == hgnc.VENDORED_LEXICON
    src = tmp_path / "hgnc_complete_set.txt"
    src.write_text(COMPLETE_SET)
    info = hgnc.update_lexicon(str(src), data_dir)
    assert info.path == data_dir / hgnc.LEXICON_FILENAME
    assert hgnc.active_lexicon_path(data_dir) == info.path
    assert hgnc.lexicon_info(info.path).rows == 2


def test_update_missing_local_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read HGNC file"):
        hgnc.update_lexicon(str(tmp_path / "nope.txt"), tmp_path)


def test_offline_update_fails_cleanly_and_keeps_old_lexicon(tmp_path: Path) -> None:
    data_dir = tmp_path / "genelit"
    src = tmp_path / "complete.txt"
    src.write_text(COMPLETE_SET)
    old = hgnc.update_lexicon(str(src), data_dir)
    before = old.path.read_bytes()
    with pytest.raises(GenelitError, match="cannot download the HGNC complete set") as err:
        hgnc.update_lexicon("http://127.0.0.1:9/hgnc_complete_set.txt", data_dir)
    assert err.value.exit_code == 1 and "\n" not in str(err.value)
    assert old.path.read_bytes() == before


def test_cli_offline_update_exit_1_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-c", "from genelit.flows.cli import main; main()", "lexicon", "update",
         "--source", "http://127.0.0.1:9/hgnc_complete_set.txt"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 1
    assert "cannot download the HGNC complete set" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "data" / "genelit" / hgnc.LEXICON_FILENAME).exists()


def test_cli_info_reports_vendored_version() -> None:
    from genelit.flows.cli import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["lexicon", "info"])
    assert result.exit_code == 0
    assert hgnc.lexicon_info().version in result.output
    assert "approved" in result.output


def test_resolve_approved_symbol_case_insensitively() -> None:
    found = resolve_symbol("igf1")
    assert (found.status, found.symbol, found.hgnc_id, found.ncbi_gene_id) == ("approved", "IGF1", "HGNC:5464", "3479")
    assert "IGF-I" in found.aliases and found.name == "insulin like growth factor 1"


def test_resolve_previous_symbol() -> None:
    found = resolve_symbol("NCRNA00181")  # HGNC snapshot: previous symbol of A1BG-AS1
    assert (found.status, found.symbol, found.hgnc_id) == ("previous", "A1BG-AS1", "HGNC:37133")
    assert "NCRNA00181" in found.previous_symbols


def test_resolve_alias() -> None:
    found = resolve_symbol("IGF-I")
    assert (found.status, found.symbol, found.hgnc_id) == ("alias", "IGF1", "HGNC:5464")


def test_resolve_withdrawn_points_to_replacement() -> None:
    found = resolve_symbol("A1S9T")
    # A1S9T is also a previous symbol of UBA1, which wins; a symbol that is only withdrawn:
    assert found.status == "previous" and found.symbol == "UBA1"
    withdrawn = resolve_symbol("DYRK1AIP3")  # "symbol withdrawn, see" PHYHIP
    assert withdrawn.status == "withdrawn" and withdrawn.hgnc_id == "HGNC:14403"
    assert withdrawn.suggestions == ("PHYHIP",)
    entry_withdrawn = resolve_symbol("A12M1")  # withdrawn without a replacement
    assert entry_withdrawn.status == "withdrawn" and entry_withdrawn.suggestions == ()


def test_resolve_unknown_suggests_close_symbols() -> None:
    found = resolve_symbol("IGF11")
    assert found.status == "unknown" and not found.hgnc_id
    assert "IGF1" in found.suggestions


def test_updated_lexicon_is_what_resolution_uses(tmp_path: Path) -> None:
    # the autouse fixture points XDG_DATA_HOME at a fresh directory, so this is the user's data dir
    src = tmp_path / "hgnc_complete_set.txt"
    src.write_text(COMPLETE_SET)
    info = hgnc.update_lexicon(str(src))
    assert hgnc.active_lexicon_path() == info.path
    assert resolve_symbol("IGF1").hgnc_id == "HGNC:5464"
    assert resolve_symbol("TP53").status == "unknown"  # not in the two-gene update
    assert hgnc.lexicon_info().version == info.version
