"""extractors.evaluation: HP ids are compared as today's ids (alt_id / replaced_by), other ids untouched."""
from __future__ import annotations

from genelit.extractors import hpo_sources
from genelit.extractors.evaluation import evaluate, hp_id_map, remap_hp_ids
from genelit.extractors.pubtator import Annotation, PubTatorDoc

TITLE = "Two sibs had congenital heart defects and low gonadotropins."


def _doc(ids: tuple[str, str]) -> PubTatorDoc:
    """The title with its two phenotypes annotated with the given ids."""
    return PubTatorDoc("1", TITLE, "", [
        Annotation("1", 13, 37, "congenital heart defects", "Phenotype", ids[0]),
        Annotation("1", 42, 59, "low gonadotropins", "Phenotype", ids[1]),
    ])


def test_merged_and_replaced_ids_map_to_the_current_term() -> None:
    id_map = hp_id_map()
    assert id_map["HP:3000001"] == "HP:0001627"  # alt_id of Abnormal heart morphology
    # obsolete "Low gonadotropins (secondary hypogonadism)", replaced_by Hypogonadotropic hypogonadism
    assert id_map["HP:0003335"] == "HP:0000044"
    assert "HP:0001627" not in id_map  # current ids are not in the map
    assert "HP:0003295" not in id_map  # obsolete "Impaired FSH and LH secretion": only "consider" terms


def test_chains_of_replacements_are_followed_to_the_end() -> None:
    terms = {
        "HP:1": hpo_sources.Term(name="obsolete A", obsolete=True, replaced_by="HP:2", alt_ids=[]),
        "HP:2": hpo_sources.Term(name="obsolete B", obsolete=True, replaced_by="HP:3", alt_ids=[]),
        "HP:3": hpo_sources.Term(name="C", alt_ids=["HP:4"]),
    }
    assert hpo_sources.current_ids(terms) == {"HP:1": "HP:3", "HP:2": "HP:3", "HP:4": "HP:3"}


def test_gold_with_old_ids_scores_current_predictions_as_hits() -> None:
    gold = [_doc(("HP:3000001", "HP:0003335"))]
    pred = [_doc(("HP:0001627", "HP:0000044"))]
    remapped, changed = remap_hp_ids(gold)
    assert changed == 2
    assert [a.concept_id for a in remapped[0].annotations] == ["HP:0001627", "HP:0000044"]
    assert gold[0].annotations[0].concept_id == "HP:3000001"  # the input is not modified
    score = evaluate(gold, pred, "gscplus")["Phenotype+id"]
    assert (score.tp, score.fp, score.fn) == (2, 0, 0)


def test_a_different_current_term_stays_a_miss() -> None:
    gold = [_doc(("HP:0000077", "HP:0000044"))]  # Abnormality of the kidney is no merged heart id
    pred = [_doc(("HP:0001627", "HP:0000044"))]
    score = evaluate(gold, pred, "gscplus")["Phenotype+id"]
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)


def test_documents_without_hp_ids_are_returned_unchanged() -> None:
    docs = [PubTatorDoc("2", "BRCA1 and breast cancer", "", [
        Annotation("2", 10, 23, "breast cancer", "DiseaseOrPhenotypicFeature", "D001943"),
    ])]
    assert remap_hp_ids(docs) == (docs, 0)
    assert remap_hp_ids(docs)[0] is docs


def test_gene_ids_on_human_gene_mentions_leave_other_species_out() -> None:
    """BioRED links a mouse gene to its own NCBI Gene id (mouse Igf1: 16000); genelit links both mentions to
    human IGF1 (3479).  Plain Gene+id counts the mouse mention wrong twice; the human-gene score leaves it out."""
    text = "IGF1 in patients and Igf1 in mice."
    gold = [PubTatorDoc("1", text, "", [
        Annotation("1", 0, 4, "IGF1", "GeneOrGeneProduct", "3479"),
        Annotation("1", 21, 25, "Igf1", "GeneOrGeneProduct", "16000"),
    ])]
    pred = [PubTatorDoc("1", text, "", [
        Annotation("1", 0, 4, "IGF1", "Gene", "3479"),
        Annotation("1", 21, 25, "Igf1", "Gene", "3479"),
    ])]
    scores = evaluate(gold, pred, "biored")
    plain, human = scores["Gene+id"], scores["Gene+id (human genes)"]
    assert (plain.tp, plain.fp, plain.fn) == (1, 1, 1)
    assert (human.tp, human.fp, human.fn) == (1, 0, 0)
    assert scores["Gene"].tp == 2  # spans are scored on every mention
