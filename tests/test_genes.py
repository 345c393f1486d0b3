"""Gene recognition and normalization to HGNC (``genelit_genes``, ``lookup_gene``)."""
from __future__ import annotations

from pathlib import Path

import pytest
from genelit.extractors.gene_filters import implausible_gene_span
from genelit.extractors.gene_index import (
    GAZETTEER_PATH,
    LEXICON_VERSION,
    read_gazetteer,
)
from genelit.extractors.gene_lookup import (
    HUMAN,
    MOUSE,
    RAT,
    GeneConcept,
    lookup_gene,
    text_species,
)
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.models.mentions import Mention, MentionKind
from spacy.language import Language

from training.learn_gene_gazetteer import corpus_gazetteer

ROOT = Path(__file__).resolve().parent.parent
BIORED_DEV = ROOT / "corpora" / "biored" / "Dev.PubTator"
# measured with `python benchmarks/eval_genes.py --split dev` on BioRED Dev (exact-span F1 of the lexicon
# component with the BioRED Train gazetteer)
MEASURED_DEV_F1 = 0.860


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(PipelineConfig(components=("genelit_genes",)))


def genes_in(nlp: Language, text: str) -> list[Mention]:
    return [m for m in nlp(text)._.mentions or [] if m.kind == MentionKind.GENE]


@pytest.mark.parametrize(
    "mention",
    ["IGF-I", "IGF-1", "IGF1", "Igf1", "insulin-like growth factor I", "insulin-like growth factor 1",
     "Insulin-Like Growth Factor-I", "human IGF-I gene", "IGF-I mRNA", "IGF I"],
)
def test_igf1_spellings_normalize_to_hgnc_5464(mention: str) -> None:
    concept = lookup_gene(mention)
    assert concept == GeneConcept("HGNC:5464", "IGF1", "insulin like growth factor 1", "3479", "gene with protein product")


# gene mentions as written in BioRED Train abstracts -> the NCBI Gene id BioRED gives them
@pytest.mark.parametrize(
    ("mention", "ncbi_gene_id"),
    [("PTPN22", "26191"), ("apoE", "348"), ("PAI-1", "5054"), ("ET-1", "1906"), ("IL-10", "3586"),
     ("caspase-3", "836"), ("VEGF", "7422"), ("insulin", "3630"), ("PKCalpha", "5578"), ("hOGG1", "4968"),
     ("p53", "7157"), ("androgen receptor", "367"), ("TNF-alpha", "7124"), ("Akt", "207"), ("GJB2", "2706"),
     ("SLCO1B1", "10599"), ("PAX6", "5080"), ("thymidylate synthase", "7298"), ("NF-kappaB", "4790"),
     ("TGF-b1", "7040"), ("HIF-1a", "3091"), ("GLUT4", "6517"), ("fatty acid synthase", "2194"),
     ("IGF-binding protein-3", "3486"), ("beta-catenin", "1499"), ("TNF-α", "7124"), ("TGF-β1", "7040")],
)
def test_biored_mentions_normalize(mention: str, ncbi_gene_id: str) -> None:
    concept = lookup_gene(mention)
    assert concept is not None and concept.ncbi_gene_id == ncbi_gene_id


@pytest.mark.parametrize(
    ("span", "symbol"),
    [("transforming growth factor (TGF)-beta1", "TGFB1"), ("interleukin (IL)-6", "IL6"), ("Sgk1-/-", "SGK1"),
     ("VIP(-/-)", "VIP"), ("IGF-I genes", "IGF1"), ("(IGF-I)", "IGF1"), ("Toll-like receptor (TLR) 4", "TLR4"),
     ("mouse Igf1", "IGF1"), ("c-kit", "KIT"), ("HIF-1α", "HIF1A"), ("IGF-I receptor", "IGF1R"),
     ("GH receptor", "GHR")],
)
def test_lookup_normalizes_ner_style_spans(span: str, symbol: str) -> None:
    concept = lookup_gene(span)
    assert concept is not None and concept.symbol == symbol


def test_lookup_rejects_non_genes() -> None:
    assert lookup_gene("nonsense") is None
    assert lookup_gene("") is None


def test_lexicon_version_names_hgnc_release() -> None:
    assert LEXICON_VERSION().startswith("HGNC ")


def test_ambiguous_words_not_tagged_in_plain_prose(nlp: Language) -> None:
    text = "We set the max dose for the cat. In addition, an ace of the team was at the ward."
    assert genes_in(nlp, text) == []


def test_ambiguous_symbols_tagged_in_gene_context(nlp: Language) -> None:
    text = "Loss of CAT gene expression and MAX mutations were found together with MYC and SET."
    found = {m.text: m.label for m in genes_in(nlp, text)}
    assert found["CAT"] == "CAT"
    assert found["MAX"] == "MAX"
    assert found["MYC"] == "MYC"
    assert found["SET"] == "SET"  # listed with MYC


def test_abbreviation_defined_gene(nlp: Language) -> None:
    text = "Serum growth hormone (GH) was low. GH treatment restored growth."
    found = genes_in(nlp, text)
    gh = [m for m in found if m.text == "GH"]
    assert len(gh) == 2 and {m.concept_id for m in gh} == {"HGNC:4261"}
    assert any(m.text == "growth hormone" and m.label == "GH1" for m in found)


def test_abbreviation_defined_as_disease_vetoes_symbol(nlp: Language) -> None:
    text = "Patients with oculopharyngeal muscular dystrophy (OPMD) were studied. OPMD is late-onset."
    assert [m.text for m in genes_in(nlp, text)] == []


def test_disease_named_like_a_gene_is_not_a_gene(nlp: Language) -> None:
    text = "X-linked adrenoleukodystrophy (X-ALD) is caused by ABCD1 mutations. Adrenoleukodystrophy is rare."
    assert [(m.text, m.concept_id) for m in genes_in(nlp, text)] == [("ABCD1", "HGNC:61")]


def test_offsets_are_exact_and_attrs_set(nlp: Language) -> None:
    text = "Mutations in TGF-beta1 and the NRG-1 beta isoform, but not in Ca2+ channels, of IGF-I."
    found = genes_in(nlp, text)
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.attrs["symbol"] == m.label and m.attrs["ncbi_gene_id"]
        assert m.source == "genelit_genes"
    assert [m.text for m in found] == ["TGF-beta1", "NRG-1 beta", "IGF-I"]
    assert found[-1].concept_id == "HGNC:5464" and found[-1].attrs["ncbi_gene_id"] == "3479"


def test_cell_lines_and_ions_are_not_genes(nlp: Language) -> None:
    text = "PC-3 cells were loaded with Ca2+ before BRCA1 knockdown."
    assert [m.text for m in genes_in(nlp, text)] == ["BRCA1"]


def test_igf1_case_report_abstract_yields_igf1(nlp: Language) -> None:
    from genelit.flows.pubmed_xml import parse_pubmed_xml

    article = parse_pubmed_xml((ROOT / "flows" / "examples" / "pubmed_9401537.xml").read_bytes())[0]
    found = genes_in(nlp, article.text)
    assert found, "no gene found in the IGF1 case report"
    assert {m.concept_id for m in found if m.label == "IGF1"} == {"HGNC:5464"}
    assert sum(m.label == "IGF1" for m in found) >= 2


@pytest.mark.slow
@pytest.mark.skipif(not BIORED_DEV.is_file(), reason="BioRED corpus not available")
def test_biored_dev_span_f1_regression(nlp: Language) -> None:
    from genelit.extractors.evaluation import PRESETS, score_mentions
    from genelit.extractors.pubtator import Annotation, PubTatorDoc, read_pubtator

    gold = read_pubtator(BIORED_DEV)
    pred = []
    for d in gold:
        found = genes_in(nlp, d.text)
        anns = [Annotation(d.pmid, m.start, m.end, m.text, "Gene", m.attrs.get("ncbi_gene_id", "")) for m in found]
        pred.append(PubTatorDoc(d.pmid, d.title, d.abstract, anns))
    ptypes, gtypes, _ = PRESETS["biored"]["Gene"]
    assert score_mentions(gold, pred, ptypes, gtypes).f1 >= MEASURED_DEV_F1 - 0.01


def test_prose_word_before_a_number_is_not_a_symbol() -> None:
    # "a 15-year-old boy": "a 15" must not become the alias "A15" (TSPAN7)
    assert lookup_gene("a 15") is None
    assert lookup_gene("A 15") is None
    assert lookup_gene("IGF I").symbol == "IGF1"


def test_igf1_case_report_with_ner_yields_only_igf1() -> None:
    from tests.test_report import ABSTRACT, TITLE

    nlp = build_pipeline(PipelineConfig())  # the default pipeline, genelit_ner included
    found = genes_in(nlp, f"{TITLE} {ABSTRACT}")
    assert {m.label for m in found} == {"IGF1"}
    assert {m.concept_id for m in found} == {"HGNC:5464"}


def test_gazetteer_adds_names_hgnc_lacks(nlp: Language) -> None:
    text = "Gankyrin is overexpressed in hepatocellular carcinoma; gankyrin knockdown slowed growth."
    found = genes_in(nlp, text)
    assert [m.text for m in found] == ["Gankyrin", "gankyrin"]
    assert {m.attrs["ncbi_gene_id"] for m in found} == {"53380"}  # as BioRED Train annotates it


def test_gazetteer_makes_an_annotated_ambiguous_symbol_confident(nlp: Language) -> None:
    # "AR" alone needs context as an HGNC symbol; BioRED Train annotates it as the androgen receptor 15/17 times
    found = genes_in(nlp, "Serum testosterone acts through AR in the prostate.")
    assert [(m.text, m.label) for m in found] == [("AR", "AR")]


def test_vendored_gazetteer_has_additions_and_blocks() -> None:
    rows = read_gazetteer(GAZETTEER_PATH)
    assert any(r[0] == "add" for r in rows) and any(r[0] == "block" for r in rows)
    assert all(r[4] >= 2 and 2 * r[4] >= r[5] for r in rows if r[0] == "add")


def test_corpus_gazetteer_learns_from_gold(nlp: Language) -> None:
    from genelit.extractors.pubtator import Annotation, PubTatorDoc

    title = "Gankyrin and psoriasin in tumours."
    abstract = "Gankyrin was high. The cat sat. Psoriasin was low. Gankyrin binds."
    text = f"{title} {abstract}"

    def ann(surface: str, nth: int, ncbi: str) -> Annotation:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        return Annotation("1", start, start + len(surface), surface, "GeneOrGeneProduct", ncbi)

    doc = PubTatorDoc("1", title, abstract, [ann("Gankyrin", 0, "5716"), ann("Gankyrin", 1, "5716"),
                                             ann("Psoriasin", 0, "6278")])
    rows = corpus_gazetteer([doc], nlp)
    added = {r[1]: r for r in rows if r[0] == "add"}
    assert added["Gankyrin"][2:] == ("5716", "HGNC:9555", 2, 3)  # 2 of 3 occurrences annotated; PSMD10
    assert "Psoriasin" not in added  # annotated once only


@pytest.mark.parametrize(
    ("text", "span"),
    [("Activity of MMP-2/-9 was suppressed.", "MMP-2/-9"),
     ("Levels of SOCS-1 and -3 rose.", "SOCS-1 and -3"),
     ("The role of peroxisome proliferator-activated receptor a (PPARa) in injury.",
      "peroxisome proliferator-activated receptor a")],
)
def test_coordinated_members_and_greek_initials_belong_to_the_mention(nlp: Language, text: str, span: str) -> None:
    assert span in [m.text for m in genes_in(nlp, text)]


def test_receptor_of_an_unnamed_gene_is_an_unlinked_gene(nlp: Language) -> None:
    found = genes_in(nlp, "Mice lacking the AT1a receptor were protected.")
    assert [(m.text, m.concept_id, m.source) for m in found] == [("AT1a receptor", None, "genelit_genes")]


@pytest.mark.parametrize(
    ("text", "span", "reason"),
    [("Repetitive transcranial magnetic stimulation (rTMS) reduced dyskinesia; rTMS was safe.", "rTMS",
      "abbreviation defined as a non-gene"),
     ("ROS production in LLC-PK1 cells in culture.", "PK1", "cell line"),
     ("ROS production in HCT-116 cells in culture.", "HCT-116", "cell line"),
     ("Haplotypes of TaqIB and rs6275 were estimated.", "TaqIB", "restriction-site polymorphism"),
     ("Loss of H3K36me3 in embryos.", "H3K36me3", "histone mark"),
     ("BRCA1 knockdown in MCF7 cells.", "BRCA1", None)],
)
def test_implausible_gene_spans_for_the_ner_model(nlp: Language, text: str, span: str, reason: str | None) -> None:
    doc = nlp(text)
    start = text.rindex(span)
    assert implausible_gene_span(doc, start, start + len(span)) == reason


@pytest.mark.parametrize(
    ("text", "species"),
    [("IGF-I levels in 20 patients and their families.", HUMAN),
     ("IGF-I knockout mice developed smaller kidneys than wild-type mice.", MOUSE),
     ("Serum IGF-I in diabetic rats; rats were treated for 4 weeks.", RAT),
     ("Murine models are compared with patients; patients were followed, and patients improved.", HUMAN)],
)
def test_text_species(text: str, species: str) -> None:
    assert text_species(text) == species


def test_rodent_abstract_gets_the_rodent_gene_id(nlp: Language) -> None:
    human = genes_in(nlp, "Serum IGF-I was low in patients.")
    mouse = genes_in(nlp, "Serum IGF-I was low in knockout mice; mice were treated with GH.")
    assert human[0].attrs["ncbi_gene_id"] == "3479"
    mouse_igf1 = [m for m in mouse if m.label == "IGF1"]
    assert mouse_igf1 and mouse_igf1[0].concept_id == "HGNC:5464"
    assert mouse_igf1[0].attrs["ncbi_gene_id"] == "16000"  # mouse Igf1, as BioRED Train annotates it


@pytest.mark.parametrize(
    ("text", "span", "symbol"),
    [("Delta-like 4 (Dll4) is a ligand of the Notch pathway.", "Delta-like 4", "DLL4"),
     # the shortest Schwartz-Hearst match would start at "Transcription"; the same-initial word before belongs
     ("Signal-Regulatory Protein a (SIRPA) and Thyroid Transcription Factor-1 (TTF-1) were typed.",
      "Thyroid Transcription Factor-1", "TTF1"),
     ("C-C chemokine receptor 5 (CCR5) plays an important role.", "C-C chemokine receptor 5", "CCR5")],
)
def test_long_form_of_a_defined_gene_is_the_mention(nlp: Language, text: str, span: str, symbol: str) -> None:
    found = {m.text: m.label for m in genes_in(nlp, text)}
    assert found[span] == symbol
    assert not any(s != span and s in span for s in found)  # no partial match left inside the long form


@pytest.mark.parametrize(
    ("text", "not_a_long_form"),
    [("Cyclin-dependent kinase inhibitors p21(Cip1/WAF1) (p21) and p27(Kip1) (p27) were studied.", "p21(Cip1/WAF1)"),
     ("Multiple endocrine neoplasia type 1 (MEN1) is an autosomal dominant cancer syndrome.",
      "Multiple endocrine neoplasia type 1"),
     ("Polymorphisms in the human glucocorticoid receptor (hGR) gene were typed.", "human glucocorticoid receptor")],
)
def test_long_forms_that_are_no_gene_mention(nlp: Language, text: str, not_a_long_form: str) -> None:
    assert not_a_long_form not in [m.text for m in genes_in(nlp, text)]


def test_lowercase_symbols_in_a_list_of_genes(nlp: Language) -> None:
    found = [m.label for m in genes_in(nlp, "Genes such as dusp1, fth1, nfkbia, pax1, plaur and ppia were induced.")]
    assert found == ["DUSP1", "FTH1", "NFKBIA", "PAX1", "PLAUR", "PPIA"]
    assert genes_in(nlp, "We plaur the results.") == []  # not a list: a lower-case word alone stays a word


@pytest.mark.parametrize(
    ("text", "span"),
    [("This mutation in the glycoprotein Ib (GPIb)-binding site was found.", "glycoprotein Ib"),
     ("Variants of melanocortin receptor type 4 cause obesity.", "melanocortin receptor type 4"),
     ("Endogenous retinoic acid receptor (RAR)a- and RARg-selective agonists.", "retinoic acid receptor (RAR)a"),
     ("Inhibition of inducible NO synthase but not neuronal NO synthase.", "inducible NO synthase")],
)
def test_member_designators_belong_to_the_mention(nlp: Language, text: str, span: str) -> None:
    assert span in [m.text for m in genes_in(nlp, text)]


@pytest.mark.parametrize(
    "text",
    ["Signalling pathways in 47 pairs of human HCCs and adjacent liver.",  # plural abbreviation, not HCCS
     "DNA samples from 50 HNPCC patients were studied."],  # an alias used as a disease's abbreviation
)
def test_disease_abbreviations_spelled_like_gene_synonyms(nlp: Language, text: str) -> None:
    assert genes_in(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "span", "reason"),
    [("A case of methicillin-sensitive Staphylococcus aureus (MSSA) bacteremia; MSSA was cleared.", "MSSA",
      "abbreviation defined as a non-gene"),
     ("Nafcillin was discontinued and daptomycin given.", "Nafcillin", "drug"),
     ("Mice were challenged with amphetamine and MK-801.", "MK-801", "drug"),
     ("A homozygous FAM-161 variant.", "FAM-161", None)],
)
def test_organisms_and_drugs_are_implausible_genes(text: str, span: str, reason: str | None) -> None:
    doc = build_pipeline(PipelineConfig())(text)
    start = text.rindex(span)
    assert implausible_gene_span(doc, start, start + len(span)) == reason


def test_a_definition_no_longer_than_its_short_form_defines_nothing() -> None:
    text = "Mice lacking sgk1 (sgk1(-/-) mice) and wild-type (sgk1(+/+) mice) were studied. The sgk1(-/-) mice died."
    found = genes_in(build_pipeline(PipelineConfig()), text)
    assert {m.text for m in found} == {"sgk1"}


def test_gene_names_are_not_drug_stems() -> None:
    from genelit.extractors.gene_filters import _DRUG_NAME

    assert [w for w in ("losartan", "Nafcillin", "rosuvastatin", "APRIL", "somatostatin", "endostatin")
            if _DRUG_NAME.search(w)] == ["losartan", "Nafcillin", "rosuvastatin"]


# spellings below are from BioRED Train abstracts

@pytest.mark.parametrize(
    ("text", "span"),
    [("kinetics of the DNA damage marker gamma-H2AX in LPA-treated IEC-6 cells", "gamma-H2AX"),
     ("decreased expression of alpha-SMA, vimentin, TGF-beta1, snail, and slug", "alpha-SMA"),
     ("Previously, three beta-AR genes (ADRB1, ADRB2 and ADRB3) were resequenced.", "beta-AR")],
)
def test_greek_isoform_prefix_belongs_to_the_mention(nlp: Language, text: str, span: str) -> None:
    assert span in [m.text for m in genes_in(nlp, text)]


def test_greek_letter_after_a_gene_is_no_prefix_of_the_next(nlp: Language) -> None:
    found = [m.text for m in genes_in(nlp, "shifting the balance of the IFN-g-IL-17/IL-23 axis")]
    assert "IL-17" in found and "g-IL-17" not in found


@pytest.mark.parametrize(
    ("text", "span"),
    [("Polysaccharides inhibit tumor growth in a Toll-like receptor 4-dependent manner.", "Toll-like receptor 4"),
     ("in streptozotocin-treated ghrelin receptor-null mice", "ghrelin receptor"),
     ("after injection of thrombin receptor-activating peptide", "thrombin receptor"),
     ("Tissue-Specific Ablation of the LIF Receptor in the Murine Uterine Epithelium", "LIF Receptor"),
     ("in vivo and the transforming growth factor (TGF)-beta1-stimulated human proximal tubular cells",
      "transforming growth factor (TGF)-beta1"),
     ("generation of IL-17-producing cells in a toll-like receptor (TLR)4-dependent manner",
      "toll-like receptor (TLR)4")],
)
def test_hyphenated_modifier_after_a_gene_is_not_part_of_it(nlp: Language, text: str, span: str) -> None:
    assert span in [m.text for m in genes_in(nlp, text)]


@pytest.mark.parametrize(
    ("text", "span"),
    [("proliferation with concomitant increases in cyclin D1 and D2 expression", "cyclin D1 and D2"),
     ("However, in vivo roles for CHL1 and 2 in early development are unknown.", "CHL1 and 2"),
     ("Mutations in nine genes (NPHP1-9) have been identified.", "NPHP1-9"),
     ("isoforms divided in two groups, group-I (PAK1-3)/group-II (PAK4-6) which play", "PAK4-6"),
     ("expression of TGF-beta1 and -beta2 was decreased", "TGF-beta1 and -beta2")],
)
def test_later_members_of_a_family_belong_to_the_mention(nlp: Language, text: str, span: str) -> None:
    assert span in [m.text for m in genes_in(nlp, text)]


def test_a_count_after_a_gene_is_no_member(nlp: Language) -> None:
    assert [m.text for m in genes_in(nlp, "Serum IL-6 and 10 other cytokines were measured.")] == ["IL-6"]


@pytest.mark.parametrize(
    "text",
    ["and increased infiltration of Th1/Tc1 T cells in the tumor microenvironment",
     "thereby promoting Th2- and Tr1-biased T-cell immunity",
     "RESULTS: AA genotype of A 1166C polymorphism was associated with stiffness.",
     "32 (28%) the DD genotype. The distribution of the genotypes differed.",
     "Microinjection of ritanserin into the CA1 region of hippocampus improves memory.",
     "Sorafenib increased them in the HCC cell line Huh7 exposed to sorafenib.",
     "In LPA2-reconstituted MEF cells lacking LPA1 the levels decreased."],
)
def test_t_cell_subsets_genotypes_fields_and_cell_lines_are_not_genes(nlp: Language, text: str) -> None:
    assert [m.text for m in genes_in(nlp, text) if m.text not in ("LPA2", "LPA1")] == []


def test_hippocampal_field_with_a_gene_word_is_the_gene(nlp: Language) -> None:
    found = genes_in(nlp, "In the hippocampus, CA1 expression rose.")
    assert [(m.text, m.label) for m in found] == [("CA1", "CA1")]


@pytest.mark.parametrize(
    ("text", "short"),
    [(("Conversions from cyclosporin A (CsA) to sirolimus (SRL) have been widely used. Conversion to SRL "
      "prevented damage."), "SRL"),
     (("mast cell histamine release, lipid peroxide (LPO) generation and mucosal microvascular permeability; "
      "mucosal LPO generation rose."), "LPO"),
     (("cleft lip with or without cleft palate (CL/P), and cleft palate only (CPO), among different areas; "
      "four clusters for CPO were found."), "CPO")],
)
def test_approved_symbol_defined_as_something_else_is_not_a_gene(nlp: Language, text: str, short: str) -> None:
    assert short not in [m.text for m in genes_in(nlp, text)]


@pytest.mark.parametrize(
    ("mention", "symbol"),
    [("p38 mitogen-activated protein kinase", "MAPK14"), ("Manganese superoxide dismutase", "SOD2"),
     ("Mn-SOD", "SOD2"), ("copper/zinc superoxide dismutase", "SOD1"), ("PI3-kinase", "PIK3CA"),
     ("phosphatidylinositol 3-kinase", "PIK3CA"), ("c-Jun N-terminal kinase", "MAPK8"),
     ("tissue-type plasminogen activator", "PLAT"), ("Plasminogen activator inhibitor type 1", "SERPINE1")],
)
def test_protein_names_hgnc_lacks(mention: str, symbol: str) -> None:
    concept = lookup_gene(mention)
    assert concept is not None and concept.symbol == symbol


def test_protein_name_is_one_mention(nlp: Language) -> None:
    text = "slices were pretreated with the p38 mitogen-activated protein kinase (MAPK) inhibitor SB 202190"
    assert "p38 mitogen-activated protein kinase" in [m.text for m in genes_in(nlp, text)]


@pytest.mark.parametrize(
    ("text", "span", "reason"),
    [("family are induced in the HCC cell line Huh7 exposed to sorafenib", "Huh7", "cell line"),
     ("IL-17/IL-23 mutually regulate Th17 and Th1 responses", "Th17",
      "T-cell subset, genotype or hippocampal field"),
     ("the Huh7 expression profile", "Huh7", None)],
)
def test_cell_lines_and_t_cell_subsets_are_implausible_genes(nlp: Language, text: str, span: str,
                                                              reason: str | None) -> None:
    doc = nlp(text)
    start = text.index(span)
    assert implausible_gene_span(doc, start, start + len(span)) == reason


@pytest.mark.parametrize(
    ("text", "span"),
    [("She had type I congenital antithrombin deficiency.", "type I congenital antithrombin deficiency"),
     ("EGFR Exon 19 deletion and EGFR L858R mutation were analyzed.", "Exon 19 deletion"),
     ("reduced reactive oxygen species, cytochrome c release, and caspase 3 activation", "cytochrome c release"),
     ("a 40% reduction in LH pulse frequency", "LH pulse"),
     ("and the increase in CGRP- and ChAT-IR nerve fibres", "ChAT-IR")],
)
def test_spans_headed_by_a_non_gene_word_are_implausible(nlp: Language, text: str, span: str) -> None:
    start = text.index(span)
    assert implausible_gene_span(nlp(text), start, start + len(span)) == "head word names no gene"


def test_spans_headed_by_a_gene_word_stay_plausible(nlp: Language) -> None:
    text = "Mutations in the cystic fibrosis transmembrane conductance regulator were found."
    span = "cystic fibrosis transmembrane conductance regulator"
    start = text.index(span)
    assert implausible_gene_span(nlp(text), start, start + len(span)) is None
