"""``genelit_ner``: a small trained NER model that adds recall to the lexicon extractors.

The lexicon components (genes, phenotypes, variants) are precise but miss what their lexicons do not
spell (``HNF-6``, ``hypoxia/ischemia``).  This component runs a statistical NER model trained on
BioRED Train (``training/train_ner.py``) and adds only the spans no lexicon component already found,
normalizing them through the lexicon engineers' look-ups where it can.  Unlinked spans are still
mentions (no concept id, lower score) so a curator sees them.

The model tokenizes with :func:`ner_tokenizer`: the pipeline's scispaCy tokenizer plus infixes that
split ``/ ( ) [ ] + ; : =`` and hyphens.  BioRED marks ``SQSTM1`` inside ``p62/SQSTM1`` and ``deafness``
inside ``deafness-associated``; with the plain scispaCy tokenizer 15% of gold gene spans fall inside a
token and cannot be predicted at all (1.3% with the finer tokenizer).  When the pipeline tokenizes the
same way the model runs on the pipeline's own doc; otherwise it re-tokenizes the text (slower).

Optionally an official scispaCy NER model (``scispacy_model="en_ner_bc5cdr_md"``) can be used instead,
when the user has installed it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import minibatch
from thinc.api import NumpyOps

from extractors import base, hpo
from extractors.genes import lookup_gene
from extractors.hpo import Concept
from extractors.phenotypes import link_disease, link_phenotype
from flows.errors import InputError
from models.mentions import MentionKind

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "ner_model"
# Infixes added to scispaCy's tokenizer so that gold entity boundaries fall on token boundaries.
EXTRA_INFIXES: tuple[str, ...] = (r"[/()\[\]+;:=]", r"-")
# Mention kinds a lexicon component may already have found; model spans overlapping them are dropped.
LEXICON_KINDS = frozenset({MentionKind.GENE, MentionKind.PHENOTYPE, MentionKind.DISEASE, MentionKind.VARIANT})
# Model label -> mention kind (DISEASE becomes PHENOTYPE when it links to HPO, see _normalize).
LABEL_KINDS: dict[str, MentionKind] = {
    "GENE": MentionKind.GENE,
    "DISEASE": MentionKind.DISEASE,
    "VARIANT": MentionKind.VARIANT,
    # official scispaCy models
    "GENE_OR_GENE_PRODUCT": MentionKind.GENE,
}
LINKED_SCORE = 0.8
UNLINKED_SCORE = 0.5
SOURCE = "genelit_ner"


@spacy.registry.tokenizers("genelit.ner_tokenizer.v1")
def create_ner_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered so the trained model's config can rebuild its tokenizer (``[nlp] tokenizer``)."""
    return ner_tokenizer


def ner_tokenizer(nlp: Language) -> Tokenizer:
    """scispaCy's ``combined_rule_tokenizer`` plus :data:`EXTRA_INFIXES` (same speed, finer tokens)."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    if getattr(nlp, "tokenizer", None) is None:  # called while Language.__init__ builds the tokenizer
        nlp.tokenizer = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
    tokenizer = combined_rule_tokenizer(nlp)
    base_infixes = tokenizer.infix_finditer.__self__.pattern  # type: ignore[attr-defined]
    tokenizer.infix_finditer = re.compile("|".join((base_infixes, *EXTRA_INFIXES))).finditer
    return tokenizer


def _tokenizer_signature(tokenizer: Any) -> tuple[str | None, ...]:
    """The regex patterns that decide tokenization, to tell whether two tokenizers split alike."""

    def pattern(fn: Any) -> str | None:
        return getattr(getattr(fn, "__self__", None), "pattern", None)

    return (
        pattern(getattr(tokenizer, "prefix_search", None)),
        pattern(getattr(tokenizer, "suffix_search", None)),
        pattern(getattr(tokenizer, "infix_finditer", None)),
    )


class MatmulOps(NumpyOps):
    """thinc's numpy ops with ``gemm`` through numpy's BLAS.

    thinc's bundled BLIS gemm measured 3x slower than numpy's OpenBLAS on our CPUs, and gemm is most
    of the model's run time; results are the same.
    """

    name = "genelit_matmul"

    def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        x = x.T if trans1 else x
        y = y.T if trans2 else y
        if out is None:
            return numpy.matmul(x, y)
        numpy.matmul(x, y, out=out)
        return out


def use_matmul_ops(nlp: Language) -> Language:
    """Switch every layer of every trainable component to :class:`MatmulOps` (inference speed-up)."""
    ops = MatmulOps()
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops
    return nlp


def load_trained_model(model_path: str | Path | None = None, vocab: Any = True) -> Language:
    """Load the trained NER model, or explain how to train it when the weights are missing."""
    path = Path(model_path) if model_path else DEFAULT_MODEL_PATH
    if not (path / "config.cfg").is_file() or not (path / "ner").is_dir():
        raise InputError(
            f"genelit NER model weights not found at {path}; train them with "
            "`python training/train_ner.py` (or remove genelit_ner from the pipeline components)"
        )
    return use_matmul_ops(spacy.load(path, vocab=vocab))


def load_scispacy_model(name: str) -> Language:
    """An installed official scispaCy NER model (only loaded when configured)."""
    try:
        return spacy.load(name)
    except OSError as exc:
        raise InputError(
            f"scispaCy model {name!r} is not installed; install it (see https://allenai.github.io/scispacy/) "
            "or unset scispacy_model for genelit_ner"
        ) from exc


def _link_disease_or_phenotype(text: str, fuzzy: bool) -> Concept | None:
    """HPO phenotype or OMIM/ORPHA disease for a DISEASE span: exact lexicon key, else (``fuzzy``) the
    TF-IDF linker, which costs ~10 ms per phrase and so is off by default."""
    entry = hpo.load_lexicon().entries.get(hpo.key_of(text))
    if entry is not None and entry.surface in (None, text):
        return entry.concept
    if fuzzy:
        return link_phenotype(text) or link_disease(text)
    return None


@lru_cache(maxsize=65536)
def _normalize(label: str, text: str, fuzzy: bool) -> tuple[MentionKind, str | None, str | None, tuple[tuple[str, str], ...]]:
    """(kind, concept_id, concept label, attrs) for one model span, linked where a lexicon knows it.

    A DISEASE span that links to an HPO phenotype becomes a phenotype mention (BioRED's
    DiseaseOrPhenotypicFeature covers both); unlinked, it stays a disease mention without id.
    Cached: the same phrase recurs within and across abstracts.
    """
    kind = LABEL_KINDS[label]
    if kind == MentionKind.GENE:
        gene = lookup_gene(text)
        if gene is not None:
            return kind, gene.hgnc_id, gene.symbol, (("symbol", gene.symbol), ("ncbi_gene_id", str(gene.ncbi_gene_id)))
    elif kind == MentionKind.DISEASE:
        concept = _link_disease_or_phenotype(text, fuzzy)
        if concept is not None:
            linked = MentionKind.PHENOTYPE if concept.kind == "phenotype" else MentionKind.DISEASE
            return linked, concept.concept_id, concept.label, ()
    return kind, None, None, ()


_EDGE_WORDS = frozenset({"a", "an", "and", "as", "by", "compared", "for", "in", "of", "on", "or", "than", "the", "to", "with"})


def well_formed(text: str) -> bool:
    """False for spans a curator would never accept as a name: unbalanced brackets (``bone marrow (BM``),
    a dangling function word (``X-linked inhibitor of``) or punctuation at either edge (``-2``)."""
    words = text.split()
    return (
        bool(words)
        and text.count("(") == text.count(")")
        and text.count("[") == text.count("]")
        and text[0].isalnum()
        and (text[-1].isalnum() or text[-1] in ")]'")
        and words[0].lower() not in _EDGE_WORDS
        and words[-1].lower() not in _EDGE_WORDS
    )


def _overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


class GenelitNER:
    """Adds model-found GENE / DISEASE (/ VARIANT) spans that no lexicon component found."""

    def __init__(
        self, nlp: Language, name: str, model_path: str | None, labels: Sequence[str], min_score: float,
        scispacy_model: str | None, fuzzy_link: bool,
    ) -> None:
        unknown = set(labels) - set(LABEL_KINDS)
        if unknown:
            raise InputError(f"genelit_ner: unknown labels {sorted(unknown)}; known: {', '.join(LABEL_KINDS)}")
        self.name = name
        self.labels = frozenset(labels)
        self.min_score = min_score
        self.fuzzy_link = fuzzy_link
        if scispacy_model:
            self.model = load_scispacy_model(scispacy_model)
            self.in_place = False
        else:
            self.model = load_trained_model(model_path, vocab=nlp.vocab)
            self.in_place = _tokenizer_signature(nlp.tokenizer) == _tokenizer_signature(self.model.tokenizer)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Batched prediction (the model is much faster on batches than doc by doc)."""
        for batch in minibatch(docs, size=batch_size):
            for doc, spans in zip(batch, self._predict(batch)):
                self._add_mentions(doc, spans)
                yield doc

    def _predict(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """(start_char, end_char, label) of the model's entities, per doc; ``doc.ents`` left untouched."""
        if self.in_place and not any(d.has_annotation("ENT_IOB") for d in docs):
            annotated = list(self.model.get_pipe("ner").pipe(docs))
            found = [_ents(d) for d in annotated]
            for d in annotated:
                d.set_ents([], default="missing")
            return found
        return [_ents(d) for d in self.model.pipe(d.text for d in docs)]

    def _add_mentions(self, doc: Doc, spans: list[tuple[int, int, str]]) -> None:
        taken = [(m.start, m.end) for m in base.mentions(doc) if m.kind in LEXICON_KINDS]
        for start, end, label in spans:
            if label not in self.labels or not well_formed(doc.text[start:end]) or _overlaps(start, end, taken):
                continue
            kind, concept_id, concept_label, attrs = _normalize(label, doc.text[start:end], self.fuzzy_link)
            score = LINKED_SCORE if concept_id else UNLINKED_SCORE
            if score < self.min_score:
                continue
            base.add_mention(
                doc, kind, start, end, concept_id=concept_id, label=concept_label, score=score, source=SOURCE,
                **dict(attrs),
            )
            taken.append((start, end))


def _ents(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


@Language.factory(
    "genelit_ner",
    default_config={
        "model_path": None, "labels": ["GENE"], "min_score": 0.0, "scispacy_model": None,
        "fuzzy_link": False,
    },
)
def create_genelit_ner(
    nlp: Language, name: str, model_path: str | None, labels: list[str], min_score: float,
    scispacy_model: str | None, fuzzy_link: bool,
) -> GenelitNER:
    """``labels``: GENE by default — on BioRED Dev the model's DISEASE and VARIANT spans cost the lexicon
    components as much precision as they add recall (benchmarks/eval_ner_model.py); ``min_score``: drop
    spans scored below it (linked 0.8, unlinked 0.5); ``fuzzy_link``: also try
    the slow TF-IDF phenotype/disease linker on spans without an exact lexicon match."""
    return GenelitNER(nlp, name, model_path, labels, min_score, scispacy_model, fuzzy_link)
