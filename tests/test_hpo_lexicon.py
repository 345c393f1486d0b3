"""extractors.hpo lexicon building: MeSH disease names, derived adjectives, bag words, the corpus gazetteer."""
from __future__ import annotations

from extractors import hpo
from extractors.pubtator import Annotation, PubTatorDoc


def test_derived_adjectives_follow_latin_and_english_stems() -> None:
    assert "intestinal" in hpo.derived_adjectives("intestine")
    assert "clavicular" in hpo.derived_adjectives("clavicle")
    assert "duodenal" in hpo.derived_adjectives("duodenum")
    assert "limbic" not in hpo.derived_adjectives("limb")  # a bare 4-letter stem over-generates


def test_lexicon_maps_derived_adjectives_to_their_anatomy_noun() -> None:
    adjectives = hpo.load_lexicon().adjective_nouns
    assert adjectives["intestinal"] == "intestine"
    assert adjectives["clavicular"] == "clavicle"
    assert adjectives["renal"] == "kidney"  # learned from HPO synonyms, not overridden
    assert "limbic" not in adjectives


def test_coordinators_are_not_bag_words() -> None:
    bag_words = hpo.load_lexicon().bag_words
    assert "or" not in bag_words and "and" not in bag_words


def test_mesh_disease_names_keep_their_tree_number() -> None:
    rows = {name: (heading, tree) for name, heading, tree in hpo.read_mesh_diseases()}
    heading, tree = rows["hemorrhagic cystitis"]
    assert heading == "Cystitis, Hemorrhagic" and tree.startswith("C12.")
    assert "disease susceptibility" not in rows  # C23.550.291 Disease Attributes
    assert "uniparental disomy" not in rows  # C23.550.210 Chromosome Aberrations
    assert not any("," in name for name in rows)  # inverted headings ("Cystitis, Hemorrhagic") are labels only


def _doc(pmid: str, text: str, gold: list[str]) -> PubTatorDoc:
    """A one-title document whose gold disease spans are the listed phrases (first occurrence each)."""
    annotations, start = [], 0
    for phrase in gold:
        start = text.index(phrase, start)
        annotations.append(Annotation(pmid, start, start + len(phrase), phrase, "DiseaseOrPhenotypicFeature", "D003924"))
        start += len(phrase)
    return PubTatorDoc(pmid, text, "", annotations)


def test_gazetteer_ignores_occurrences_inside_longer_gold_spans() -> None:
    docs = [  # BioRED Train spellings: "diabetes" alone is annotated; inside "type 2 diabetes" it is not on its own
        _doc("1", "Risk of type 2 diabetes in women.", ["type 2 diabetes"]),
        _doc("2", "Carriers had type 2 diabetes and obesity.", ["type 2 diabetes"]),
        _doc("3", "Women with diabetes were followed.", ["diabetes"]),
    ]
    rows = hpo.corpus_gazetteer(docs, hpo.load_lexicon())
    assert ("add", "diabetes", "MESH:D003924", "diabetes") in rows
