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
from genelit.extractors import base, hpo_lexicon, hpo_tokens
from genelit.extractors.embed_cache import CachedTok2Vec
from genelit.extractors.gene_filters import implausible_gene_span
from genelit.extractors.gene_index import GeneIndex, gene_index
from genelit.extractors.gene_lookup import lookup_gene
from genelit.extractors.hpo_lexicon import Concept
from genelit.extractors.phenotypes import link_disease, link_phenotype
from genelit.models.mentions import MentionKind
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import minibatch
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

from genelit.errors import InputError

DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "ner_model"
# Infixes added to scispaCy's tokenizer so that gold entity boundaries fall on token boundaries.
EXTRA_INFIXES: tuple[str, ...] = (r"[/()\[\]+;:=]", r"-")
# Mention kinds a lexicon component may already have found; model spans overlapping them are dropped.
LEXICON_KINDS = frozenset({MentionKind.GENE, MentionKind.PHENOTYPE, MentionKind.DISEASE, MentionKind.VARIANT})
# Model label -> mention kind (DISEASE becomes PHENOTYPE when it links to HPO, see normalize_span).
LABEL_KINDS: dict[str, MentionKind] = {
    "GENE": MentionKind.GENE,
    "DISEASE": MentionKind.DISEASE,
    "VARIANT": MentionKind.VARIANT,
    # official scispaCy models
    "GENE_OR_GENE_PRODUCT": MentionKind.GENE,
}
LINKED_SCORE = 0.8
SOURCE = "genelit_ner"
MAX_NORMALIZED = 65536  # span normalizations kept per component


NER_TOKENIZER = "genelit.ner_tokenizer.v1"


@spacy.registry.tokenizers(NER_TOKENIZER)
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
    # The model's tokenizer is rebuilt from its config (genelit.ner_tokenizer.v1); reading its serialized
    # copy too (8,000 special cases) only costs load time (~0.2 s), and tokenizes identically.
    rebuilt = spacy.util.load_config(path / "config.cfg")["nlp"]["tokenizer"].get("@tokenizers") == NER_TOKENIZER
    return use_matmul_ops(spacy.load(path, vocab=vocab, exclude=["tokenizer"] if rebuilt else []))


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
    entry = hpo_lexicon.load_lexicon().entries.get(hpo_tokens.key_of(text))
    if entry is not None and entry.surface in (None, text):
        return entry.concept
    if fuzzy:
        return link_phenotype(text) or link_disease(text)
    return None


Normalized = tuple[MentionKind, str | None, str | None, tuple[tuple[str, str], ...]]


def normalize_span(label: str, text: str, fuzzy: bool, genes: GeneIndex | None = None) -> Normalized:
    """(kind, concept_id, concept label, attrs) for one model span, linked where a lexicon knows it.

    A DISEASE span that links to an HPO phenotype becomes a phenotype mention (BioRED's
    DiseaseOrPhenotypicFeature covers both); unlinked, it stays a disease mention without id.
    ``genes``: the gene index to link with (default: the active lexicon's).
    """
    kind = LABEL_KINDS[label]
    if kind == MentionKind.GENE:
        gene = lookup_gene(text, genes)
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


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    """OpenBLAS's thread pools, found once per process (introspection scans the loaded libraries).

    The model's matrices (a batch of abstracts × 32..96 columns) are too small for threads to help: with
    OpenBLAS's default of one thread per core the NER took twice the CPU time for the same wall time,
    CPU the other pipeline processes on the machine would use.
    """
    return ThreadpoolController()


def _overlaps(start: int, end: int, taken: Sequence[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


class GreedyBiluoDecoder:
    """spaCy's greedy NER decoding (``Parser.greedy_parse``) for our trained model, in numpy.

    Why: spaCy's transition loop is C, but it takes and drops the GIL at every state step (Cython 3
    exception checks), which made decoding ~2.6 ms of the model's ~4.5 ms per abstract.  Every NER
    action consumes exactly one token, and a state with no open entity has only padding for its entity
    features, so outside entities the move depends on the token alone: it is decided for all tokens of a
    batch at once.  Only inside an entity does the next move depend on the state (where the entity began);
    there the documents of a batch advance together, one entity per document per wave.  Same features
    (current token, entity start, previous token inside an entity), same float32 sums, the same
    validity rules for documents without preset entities (BILUO order, no entity across a sentence
    start, none starting on whitespace) and the same first-best argmax: outputs are identical to
    spaCy's (tests/test_ner_decoder.py; 856 BioRED, tmVar and GSC+ abstracts when written).
    """

    def __init__(self, ner_pipe: Any) -> None:
        self.tok2vec, self.lower, self.upper = ner_pipe.model.layers
        if CachedTok2Vec.applies(self.tok2vec):  # lexical embeddings computed once per word (same output)
            self.tok2vec = CachedTok2Vec(self.tok2vec)
        self.unseen = sorted(ner_pipe.model.attrs["unseen_classes"])
        names = [ner_pipe.moves.get_class_name(i) for i in range(ner_pipe.moves.n_moves)]
        self.labels = sorted({n[2:] for n in names if n[:2] in ("B-", "I-", "L-", "U-") and n[2:]})
        label_ids = [self.labels.index(n[2:]) if n[2:] in self.labels else -1 for n in names]
        self.class_label = numpy.array(label_ids)
        labelled = self.class_label >= 0
        self.is_action = {a: numpy.array([n.startswith(f"{a}-") for n in names]) & labelled for a in "BILU"}
        self.is_action["O"] = numpy.array([n == "O" for n in names])
        self.penalty = self._penalties()
        self.upper_w = self.upper.get_param("W").T.copy()
        self.upper_b = self.upper.get_param("b")
        self.lower_b = self.lower.get_param("b")

    def _penalties(self) -> Any:
        """0 for valid, -inf for invalid moves, per state code: 0-3 = no open entity (2 * B allowed +
        U allowed), 4 + 2 * label + (I allowed) = an entity of ``label`` is open.  Rules of spaCy's
        ``BiluoPushDown`` for documents without preset entities."""
        act = self.is_action
        rows = [act["O"] | (act["B"] & bool(b)) | (act["U"] & bool(u)) for b in (0, 1) for u in (0, 1)]
        for label in range(len(self.labels)):
            same = self.class_label == label
            rows += [act["L"] & same, (act["L"] | act["I"]) & same]
        return numpy.where(numpy.array(rows), 0.0, -numpy.inf).astype(numpy.float32)

    @staticmethod
    def applies(nlp: Language) -> bool:
        """Whether ``nlp`` is a model this decoder reproduces: one greedy NER, BILUO moves, 3 features."""
        if nlp.pipe_names != ["ner"]:
            return False
        ner_pipe = nlp.get_pipe("ner")
        model = ner_pipe.model
        return (
            ner_pipe.cfg.get("beam_width", 1) == 1
            and model.attrs.get("has_upper", False)
            and len(model.layers) == 3
            and model.layers[1].has_dim("nF") and model.layers[1].get_dim("nF") == 3
            and model.layers[1].get_dim("nP") >= 2
            and type(ner_pipe.moves).__name__ == "BiluoPushDown"
        )

    def __call__(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        """(start_char, end_char, label) per doc, as ``doc.ents`` after the spaCy model would have them."""
        lengths = numpy.array([len(d) for d in docs])
        if not lengths.any():
            return [[] for _ in docs]
        offsets = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        # row 0 of ``cached`` is the padding feature; token at global index g is row g + 1
        cached = self.lower.predict(self.tok2vec.predict(docs))
        first, entity, previous = cached[:, 0], cached[:, 1], cached[:, 2]
        # A state without an open entity has padding as its 2nd and 3rd features, so its move depends on the
        # current token only: decided for every token at once (same float32 sums, same order).
        state_code, inner_ok = self._token_codes(docs, lengths, offsets)
        closed = self._scores((first + entity[0]) + previous[0])[1:]  # row g = token g
        if self.unseen:
            closed[:, self.unseen] = closed.min()
        closed_guess = (closed + self.penalty[state_code]).argmax(axis=1)
        is_unit = self.is_action["U"]
        total = len(closed_guess)
        # for each token, the first token at or after it where a closed state begins an entity (total: none)
        begins_at = numpy.where(self.is_action["B"][closed_guess] | is_unit[closed_guess], numpy.arange(total), total)
        next_begin = numpy.append(numpy.minimum.accumulate(begins_at[::-1])[::-1], total)
        ends = offsets + lengths
        position = offsets.copy()  # global index of the next token to decode, per document
        spans: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        live = numpy.flatnonzero(lengths)
        # One wave per entity: every live document jumps to its next entity start; entities that span
        # several tokens are then continued token by token, all documents of the wave at once.
        while len(live):
            at = next_begin[position[live]]
            found = at < ends[live]
            live, at = live[found], at[found]
            guess = closed_guess[at]
            label = self.class_label[guess]
            unit = is_unit[guess]
            for d, g, lab in zip(live[unit].tolist(), at[unit].tolist(), label[unit].tolist()):
                spans[d].append((g - offsets[d], g - offsets[d] + 1, lab))
            position[live] = at + 1
            opened, start, open_label = live[~unit], at[~unit], label[~unit]
            t = start + 1
            while len(opened):
                unmaxed = first[t + 1] + entity[start + 1]
                unmaxed += previous[t]  # row of the previous token (t - 1) is t
                scores = self._scores(unmaxed)
                if self.unseen:
                    scores[:, self.unseen] = scores.min()
                scores += self.penalty[4 + 2 * open_label + inner_ok[t]]
                last = self.is_action["L"][scores.argmax(axis=1)]
                closing = zip(opened[last].tolist(), start[last].tolist(), t[last].tolist(), open_label[last].tolist())
                for d, a, b, lab in closing:
                    spans[d].append((a - offsets[d], b + 1 - offsets[d], lab))
                position[opened[last]] = t[last] + 1
                keep = ~last
                opened, start, open_label, t = opened[keep], start[keep], open_label[keep], t[keep] + 1
            live = live[position[live] < ends[live]]
        return [
            [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1]), self.labels[lab]) for a, b, lab in found]
            for doc, found in zip(docs, spans)
        ]

    def _scores(self, unmaxed: Any) -> Any:
        """Move scores from summed features (rows × hidden × pieces): bias, maxout, output layer."""
        unmaxed += self.lower_b
        hidden = unmaxed[..., 0].copy()
        for piece in range(1, unmaxed.shape[-1]):
            numpy.maximum(hidden, unmaxed[..., piece], out=hidden)
        scores = hidden @ self.upper_w
        scores += self.upper_b
        return scores

    @staticmethod
    def _token_codes(docs: list[Doc], lengths: Any, offsets: Any) -> tuple[Any, Any]:
        """Per token (global index): the validity row for a state with no open entity (see ``penalty``)
        and whether an open entity may continue (I) past it."""
        total = int(lengths.sum())
        sent_start = numpy.zeros(total + 1, dtype=bool)
        is_space = numpy.zeros(total, dtype=bool)
        last = numpy.zeros(total, dtype=bool)
        for doc, off in zip(docs, offsets):
            if len(doc):
                cols = doc.to_array([SENT_START, IS_SPACE])
                sent_start[off : off + len(doc)] = cols[:, 0] == 1
                is_space[off : off + len(doc)] = cols[:, 1] != 0
                last[off + len(doc) - 1] = True
        inner_ok = ~last & ~sent_start[1:]  # I: not the last token, next token does not start a sentence
        begin_ok = inner_ok & ~is_space
        return 2 * begin_ok + ~is_space, inner_ok.astype(numpy.int64)


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
        # the gene index this component links with, held: no lexicon file checks per span
        self.genes = gene_index() if "GENE" in self.labels or "GENE_OR_GENE_PRODUCT" in self.labels else None
        self.normalized: dict[tuple[str, str], Normalized] = {}  # the same phrases recur across abstracts
        if scispacy_model:
            self.model = load_scispacy_model(scispacy_model)
            self.in_place = False
        else:
            self.model = load_trained_model(model_path, vocab=nlp.vocab)
            self.in_place = _tokenizer_signature(nlp.tokenizer) == _tokenizer_signature(self.model.tokenizer)
        self.decoder = GreedyBiluoDecoder(self.model.get_pipe("ner")) if GreedyBiluoDecoder.applies(self.model) else None

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
        with _blas_controller().limit(limits=1, user_api="blas"):
            return self._predict_batch(docs)

    def _predict_batch(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        if self.decoder is not None and not self.in_place:
            return self.decoder([self.model.make_doc(base.doc_text(d)) for d in docs])
        if self.decoder is not None and not any(d.has_annotation("ENT_IOB") for d in docs):
            return self.decoder(docs)
        if self.in_place and not any(d.has_annotation("ENT_IOB") for d in docs):
            annotated = list(self.model.get_pipe("ner").pipe(docs))
            found = [_ents(d) for d in annotated]
            for d in annotated:
                d.set_ents([], default="missing")
            return found
        return [_ents(d) for d in self.model.pipe(base.doc_text(d) for d in docs)]

    def _normalize(self, label: str, text: str) -> Normalized:
        key = (label, text)
        found = self.normalized.get(key)
        if found is None:
            if len(self.normalized) >= MAX_NORMALIZED:
                self.normalized.clear()
            found = self.normalized[key] = normalize_span(label, text, self.fuzzy_link, self.genes)
        return found

    def _add_mentions(self, doc: Doc, spans: list[tuple[int, int, str]]) -> None:
        text = base.doc_text(doc)
        taken = [(m.start, m.end) for m in base.mentions(doc) if m.kind in LEXICON_KINDS]
        for start, end, label in spans:
            if label not in self.labels or not well_formed(text[start:end]) or _overlaps(start, end, taken):
                continue
            if label == "GENE" and implausible_gene_span(doc, start, end):
                continue  # what the gene lexicon rules know is not a gene (cell lines, histone marks ...)
            kind, concept_id, concept_label, attrs = self._normalize(label, text[start:end])
            score = LINKED_SCORE if concept_id else base.UNLINKED_SCORE
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
    # adds only spans no lexicon component found (their mentions on doc._.mentions, when there are any: it
    # also runs alone), vetoes gene spans the document defines as something else (doc._.abbreviations)
    # and never lets an entity cross a sentence start; doc.ents is left as it was
    assigns=["doc._.mentions"],
    requires=["doc._.abbreviations", "token.is_sent_start"],
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
