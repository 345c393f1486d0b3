"""``genelit annotate`` on BioC XML and BioC JSON: read, annotated, written back; PubTator <-> BioC.

Documents are the real BioC files of ``tests/data/fulltext`` (a PubTator BioC XML full text with
GNorm2's annotations, a PubTator3 BioC JSON export, an EvAgg record wrapping PMC BioC XML).
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import Result
from genelit.extractors.pubtator import read_pubtator
from genelit.flows.cli.app import app
from typer.testing import CliRunner

from genelit.errors import InputError

DATA = Path(__file__).parent / "data" / "fulltext"
BIOC_XML = DATA / "biocxml.xml"  # PMID 30190511: RB1 c.751C>T in the body; GNorm2 Gene/Species annotations
PUBTATOR3_JSON = DATA / "10.1038_s41556-021-00642-9.json"  # PMID 33664495: title + abstract, relations
EVAGG = DATA / "paper_28554332.json"
BIORED_DEV = Path(__file__).resolve().parent.parent / "corpora" / "biored" / "Dev.PubTator"
# passages of the EvAgg record kept for the test (title, abstract, the first body paragraphs)
EVAGG_PASSAGES = 12


def annotate(source: Path, target: Path, *extra: str) -> Result:
    result = CliRunner().invoke(app, ["annotate", "--input", str(source), "--output", str(target), *extra])
    assert result.exit_code == 0, result.output
    return result


def xml_passages(path: Path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall("document/passage")


def xml_annotations(passage: ET.Element) -> list[tuple[int, int, str, str, str]]:
    """(offset, length, text, type, identifier) of a passage's annotations."""
    found = []
    for a in passage.findall("annotation"):
        infons = {i.get("key"): i.text or "" for i in a.findall("infon")}
        location = a.find("location")
        found.append((int(location.get("offset")), int(location.get("length")), a.findtext("text"),
                      infons["type"], infons.get("identifier", "")))
    return found


def json_annotations(passage: dict) -> list[tuple[int, int, str, str, str]]:
    return [(a["locations"][0]["offset"], a["locations"][0]["length"], a["text"], a["infons"]["type"],
             a["infons"].get("identifier", "")) for a in passage["annotations"]]


def assert_on_passage_text(text: str, offset: int, annotations: list[tuple[int, int, str, str, str]]) -> None:
    for start, length, written, _type, _id in annotations:
        assert text[start - offset : start - offset + length] == written, (offset, start, written)


def test_bioc_xml_round_trip_keeps_the_document_and_places_each_annotation_on_its_passage_text(tmp_path: Path) -> None:
    out = tmp_path / "annotated.xml"
    result = annotate(BIOC_XML, out)
    assert "BioC XML" in result.output
    assert out.read_text(encoding="utf-8").startswith("<?xml version='1.0' encoding='UTF-8'?><!DOCTYPE collection SYSTEM \"BioC.dtd\"><collection>")
    before, after = xml_passages(BIOC_XML), xml_passages(out)
    # the document itself is unchanged: same passages, offsets, texts, infons
    assert [(p.findtext("offset"), p.findtext("text"), [(i.get("key"), i.text) for i in p.findall("infon")]) for p in after] \
        == [(p.findtext("offset"), p.findtext("text"), [(i.get("key"), i.text) for i in p.findall("infon")]) for p in before]
    annotations = {}
    for passage in after:
        found = xml_annotations(passage)
        assert_on_passage_text(passage.findtext("text"), int(passage.findtext("offset")), found)
        annotations[int(passage.findtext("offset"))] = found
    every = [a for found in annotations.values() for a in found]
    assert not any(a[3] == "Species" for a in every)  # GNorm2's annotations are replaced, not copied
    assert ("Variant", "c.751C>T") in {(a[3], a[2]) for a in every}  # in a body paragraph
    assert any(a[3] == "Gene" and a[2] == "RB1" and a[4] == "5925" for a in every)
    ids = [a.get("id") for a in ET.parse(out).getroot().iter("annotation")]
    assert len(ids) == len(set(ids)) == len(every)
    # the same annotations when the output is BioC JSON (a conversion)
    converted = tmp_path / "annotated.json"
    annotate(BIOC_XML, converted)
    (document,) = json.loads(converted.read_text(encoding="utf-8"))["documents"]
    assert {p["offset"]: json_annotations(p) for p in document["passages"] if p["annotations"]} \
        == {k: v for k, v in annotations.items() if v}


def test_pubtator3_json_round_trip_keeps_its_wrapper_and_annotates_as_pubtator(tmp_path: Path) -> None:
    out = tmp_path / "annotated.json"
    annotate(PUBTATOR3_JSON, out)
    source, written = json.loads(PUBTATOR3_JSON.read_text(encoding="utf-8")), json.loads(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in written.items() if k not in ("passages", "relations")} \
        == {k: v for k, v in source.items() if k not in ("passages", "relations", "relations_display")}
    assert written["relations"] == []  # PubTator3's relations pointed at the annotations replaced
    assert [(p["offset"], p["text"], p["infons"]) for p in written["passages"]] \
        == [(p["offset"], p["text"], p["infons"]) for p in source["passages"]]
    found = []
    for passage in written["passages"]:
        annotations = json_annotations(passage)
        assert_on_passage_text(passage["text"], passage["offset"], annotations)
        found += annotations
    assert ("Variant", "S161A") in {(a[3], a[2]) for a in found}
    # title + " " + abstract read as one text: the same annotations as PubTator output of the same file
    as_pubtator = tmp_path / "annotated.PubTator"
    annotate(PUBTATOR3_JSON, as_pubtator)
    (doc,) = read_pubtator(as_pubtator)
    assert doc.pmid == "33664495"
    assert sorted((a.start, a.end - a.start, a.text, a.type, a.concept_id) for a in doc.annotations) == sorted(found)


def test_pubtator_to_bioc_xml_gives_the_same_annotations(tmp_path: Path) -> None:
    sample = tmp_path / "sample.PubTator"
    sample.write_text(BIORED_DEV.read_text(encoding="utf-8").split("\n\n")[0] + "\n\n", encoding="utf-8")
    annotate(sample, tmp_path / "pred.PubTator")
    annotate(sample, tmp_path / "pred", "--format", "bioc-xml")
    (doc,) = read_pubtator(tmp_path / "pred.PubTator")
    assert doc.annotations
    passages = xml_passages(tmp_path / "pred")
    assert [(p.findtext("offset"), p.findtext("text")) for p in passages] == [("0", doc.title), (str(len(doc.title) + 1), doc.abstract)]
    found = [a for p in passages for a in xml_annotations(p)]
    assert sorted(found) == sorted((a.start, a.end - a.start, a.text, a.type, a.concept_id) for a in doc.annotations)


def test_evagg_record_is_annotated_inside_its_fulltext_xml(tmp_path: Path) -> None:
    record = json.loads(EVAGG.read_text(encoding="utf-8"))
    document = ET.fromstring(record["fulltext_xml"])
    for passage in document.findall("passage")[EVAGG_PASSAGES:]:
        document.remove(passage)
    record["fulltext_xml"] = ET.tostring(document, encoding="unicode")
    source, out = tmp_path / "paper.json", tmp_path / "paper.annotated.json"
    source.write_text(json.dumps(record), encoding="utf-8")
    annotate(source, out)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in written.items() if k != "fulltext_xml"} == {k: v for k, v in record.items() if k != "fulltext_xml"}
    passages = ET.fromstring(written["fulltext_xml"]).findall("passage")
    assert len(passages) == EVAGG_PASSAGES
    found = []
    for passage in passages:
        annotations = xml_annotations(passage)
        assert_on_passage_text(passage.findtext("text"), int(passage.findtext("offset")), annotations)
        found += annotations
    assert any(a[3] == "Gene" for a in found) and any(a[3] == "Phenotype" or a[3] == "Disease" for a in found)


@pytest.mark.parametrize("args, message", [
    (["--output", "out.PubTator"], "holds more than a title and its abstract"),
    (["--output", "out.xml", "--format", "bioc"], "unknown --format 'bioc'"),
])
def test_what_cannot_be_written_is_a_one_line_input_error(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["annotate", "--input", str(BIOC_XML), *[str(tmp_path / a) if a.startswith("out") else a for a in args]])
    # flows.cli.main prints an InputError as one line and exits with its code (2)
    assert isinstance(result.exception, InputError) and result.exception.exit_code == 2
    assert message in str(result.exception) and "\n" not in str(result.exception)
    assert not list(tmp_path.iterdir())  # nothing written
