"""Assemble the extraction pipeline and run it over articles.

The pipeline is built from what PyPI provides: scispaCy's tokenizer, a sentence splitter, scispaCy's
``AbbreviationDetector``, then genelit's registered components, each configurable through
:class:`PipelineConfig`.  Where a user has an official scispaCy model installed (``en_core_sci_sm`` ...)
``scispacy_model`` builds on it instead of a blank English pipeline (its parser then supplies sentences).

Components are imported lazily by name so that a disabled component costs nothing to load.
"""
from __future__ import annotations

import gc
import importlib
import logging
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Literal

import spacy
from genelit.extractors import base
from genelit.models.article import Article, SectionKind
from genelit.models.mentions import DocumentExtraction, Mention
from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language
from spacy.tokens import Doc

PIPELINE_VERSION = "0.1.0"

log = logging.getLogger(__name__)

# Seconds of extraction one document may take.  Past it the rest of its passages are skipped (the
# extraction says ``truncated``), so a 100-page PDF does not stall the batch it is in; a full-text
# paper takes about a second.
DOCUMENT_TIME_LIMIT = 120.0
# Mention attributes that hold offsets into the text (moved with the mention onto Article.text).
OFFSET_ATTRS = ("variant_spans",)
# doc.user_data flag: the text is one sentence whatever its punctuation (a table row)
ONE_SENTENCE = "genelit_one_sentence"


@Language.component("genelit_one_sentence", assigns=["token.is_sent_start"])
def one_sentence(doc: Doc) -> Doc:
    """Make a flagged doc a single sentence (after the sentence splitter).

    A table row ("Genotype: c.109G>A | Protein: p.Val37Ile | Zygosity: heterozygous") is one statement
    about one patient or allele; the splitter would cut it after "p." and leave the zygosity in the
    other half.  Unflagged docs (every abstract, every paragraph) are left exactly as split.
    """
    if doc.user_data.get(ONE_SENTENCE):
        for index, token in enumerate(doc):
            token.is_sent_start = index == 0
    return doc

# factory name -> module that registers it
COMPONENT_MODULES: dict[str, str] = {
    "genelit_variants": "genelit.extractors.variant_component",
    "genelit_genes": "genelit.extractors.genes",
    "genelit_phenotypes": "genelit.extractors.phenotypes",
    "genelit_ner": "genelit.extractors.ner",
    "genelit_cues": "genelit.extractors.cues",
}
DEFAULT_COMPONENTS: tuple[str, ...] = (
    "genelit_variants",
    "genelit_genes",
    "genelit_phenotypes",
    "genelit_ner",
    "genelit_cues",
)


class PipelineConfig(BaseModel):
    """How to build the pipeline.  Hashable, so built pipelines are cached per configuration."""

    model_config = ConfigDict(frozen=True)

    # "fine" (default): scispaCy's tokenizer plus splits at / ( ) [ ] + ; : = and hyphens
    # (extractors.ner.ner_tokenizer), the tokens genelit_ner was trained on, so the model runs on the
    # pipeline's own doc instead of re-tokenizing each text; gold entity boundaries inside words
    # ("SQSTM1" in "p62/SQSTM1") become reachable for every component.  "scispacy": the tokenizer alone.
    # genelit_abbreviation_detector finds the same definitions with either (3,323 of scispaCy's 3,340
    # pairs on BioRED Train+Dev, most of the rest tighter long forms).
    tokenizer: Literal["scispacy", "fine"] = "fine"
    # "sentencizer" (spaCy's rule splitter, fast) or "pysbd" (scispaCy's pysbd splitter, ~6x slower)
    sentence_splitter: Literal["sentencizer", "pysbd"] = "sentencizer"
    abbreviations: bool = True
    components: tuple[str, ...] = DEFAULT_COMPONENTS
    # name of an installed official scispaCy model to build on (e.g. "en_core_sci_sm"); None = blank
    scispacy_model: str | None = None
    # per-component config overrides: {"genelit_genes": {"min_symbol_length": 2}}
    component_config: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = Field(default_factory=tuple)

    def config_for(self, component: str) -> dict[str, Any]:
        return dict(dict(self.component_config).get(component, ()))


def _base_language(config: PipelineConfig) -> Language:
    if config.scispacy_model:
        try:
            nlp = spacy.load(config.scispacy_model, exclude=["ner"] if "ner" not in config.components else [])
        except OSError as exc:
            from genelit.errors import InputError

            raise InputError(
                f"scispaCy model {config.scispacy_model!r} is not installed; "
                "install it or unset GENELIT_SCISPACY_MODEL"
            ) from exc
        return nlp
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    if config.tokenizer == "fine":
        from genelit.extractors.ner import ner_tokenizer

        nlp.tokenizer = ner_tokenizer(nlp)
    else:
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    return nlp


# Known-harmless warnings from building scispaCy's tokenizer regexes and from the abbreviation
# detector's empty global matcher; they would otherwise be printed on every CLI run.
warnings.filterwarnings("ignore", message="Possible set union", category=FutureWarning)
warnings.filterwarnings("ignore", message=r"\[W036\]", category=UserWarning)


def build_pipeline(config: PipelineConfig) -> Language:
    """Build a fresh pipeline (uncached; use :func:`load_pipeline` in application code)."""
    nlp = _base_language(config)
    if not config.scispacy_model:
        if config.sentence_splitter == "pysbd":
            import scispacy.custom_sentence_segmenter  # noqa: F401  registers pysbd_sentencizer

            nlp.add_pipe("pysbd_sentencizer")
        else:
            nlp.add_pipe("sentencizer")
        nlp.add_pipe("genelit_one_sentence")  # (a parser's sentences are left as they are)
    if config.abbreviations:
        import genelit.extractors.abbreviations  # noqa: F401  registers genelit_abbreviation_detector

        nlp.add_pipe("genelit_abbreviation_detector")
    for name in config.components:
        if name not in COMPONENT_MODULES:
            raise ValueError(f"unknown component {name!r}; known: {', '.join(COMPONENT_MODULES)}")
        importlib.import_module(COMPONENT_MODULES[name])
        nlp.add_pipe(name, config=config.config_for(name))
    check_order(nlp)
    return nlp


def check_order(nlp: Language) -> None:
    """Refuse a pipeline whose components run before what they read is there.

    Every component declares what it ``assigns`` and ``requires``; spaCy's ``analyze_pipes`` finds a
    component whose requirement no earlier component assigns (``genelit_ner`` placed before the lexicon
    components, the genes component without the abbreviation detector ...).  Such a pipeline would run
    and silently find less, so it is a configuration error instead.
    """
    problems = {name: missing for name, missing in nlp.analyze_pipes()["problems"].items() if missing}
    if problems:
        described = "; ".join(f"{name} needs {', '.join(missing)}" for name, missing in problems.items())
        raise ValueError(f"pipeline components are out of order: {described}")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while lexicons load.

    Unpickling the gene index and the HPO lexicon creates millions of objects, and each allocation burst
    triggers full collections that walk all of them again: loading with the collector paused measured
    ~40% faster.  The collector is restored as it was found.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=4)
def load_pipeline(config: PipelineConfig | None = None) -> Language:
    """The pipeline for ``config``, built once per process.

    Everything loaded so far is then moved to the collector's permanent generation (``gc.freeze``): the
    lexicons live as long as the process, and otherwise every full collection during extraction walks
    their millions of objects again (and, in forked workers, touches their pages).
    """
    with _collector_paused():
        nlp = build_pipeline(config or PipelineConfig())
    gc.freeze()
    return nlp


def lexicon_version() -> str:
    """Version string of the lexicons the components were built from (HGNC and HPO releases)."""
    parts = []
    for module in ("genelit.extractors.genes", "genelit.extractors.phenotypes"):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        version = getattr(mod, "LEXICON_VERSION", None)
        if version:
            parts.append(version() if callable(version) else str(version))
    return "; ".join(parts)


def _to_extraction(pmid: str, doc: spacy.tokens.Doc, lexicons: str | None = None) -> DocumentExtraction:
    """``lexicons``: :func:`lexicon_version`, passed in by callers converting many docs."""
    found = sorted(base.mentions(doc), key=lambda m: (m.start, m.end, m.kind))
    return DocumentExtraction(
        pmid=pmid,
        text=base.doc_text(doc),
        sentences=base.sentence_bounds(doc),
        mentions=found,
        pipeline_version=PIPELINE_VERSION,
        lexicon_version=lexicon_version() if lexicons is None else lexicons,
    )


def extract_text(text: str, pmid: str = "", nlp: Language | None = None) -> DocumentExtraction:
    """Run the pipeline over one text."""
    nlp = nlp or load_pipeline()
    return _to_extraction(pmid, nlp(_make_doc(nlp, text)))


def _make_doc(nlp: Language, text: str) -> Doc:
    """Tokenize ``text`` and keep it on the doc for :func:`base.doc_text`, which would otherwise rebuild
    it from the tokens (~0.08 ms per abstract)."""
    doc = nlp.make_doc(text)
    doc.user_data["genelit_text"] = text
    return doc


def extract_texts(
    texts: Iterable[tuple[str, str]], nlp: Language | None = None, batch_size: int = 64
) -> Iterator[DocumentExtraction]:
    """Run the pipeline over ``(text, pmid)`` pairs, streaming with ``nlp.pipe``."""
    nlp = nlp or load_pipeline()
    lexicons = lexicon_version()  # once per run, not per document: the lexicons do not change mid-run
    docs = ((_make_doc(nlp, text), pmid) for text, pmid in texts)
    for doc, pmid in nlp.pipe(docs, as_tuples=True, batch_size=batch_size):
        yield _to_extraction(pmid, doc, lexicons)


def extraction_units(article: Article) -> list[tuple[int, str, bool]]:
    """``(offset, text, one_sentence)`` pieces of an article the pipeline runs over, each on its own.

    Abstract-only: the whole text, exactly as before full text existed.  Full text: title and abstract
    as that same one piece (so their mentions are identical with or without the body), then every other
    passage alone -- sentences, abbreviations and cue rules never reach across passages, a table row is
    read on its own, as one sentence.
    """
    passages = article.passages
    if not passages:
        return [(0, article.text, False)]
    text = article.text
    index = 0
    while index < len(passages) and passages[index].kind in (SectionKind.TITLE, SectionKind.ABSTRACT):
        index += 1
    units = [(0, text[: passages[index - 1].end], False)] if index else []
    units += [(p.offset, p.text, p.kind == SectionKind.TABLE) for p in passages[index:]]
    return units


def shifted(mention: Mention, offset: int) -> Mention:
    """The mention moved by ``offset`` characters (from its passage onto ``Article.text``)."""
    if not offset:
        return mention
    update: dict[str, Any] = {
        "start": mention.start + offset, "end": mention.end + offset,
        "sentence_start": mention.sentence_start + offset, "sentence_end": mention.sentence_end + offset,
    }
    moved = {k: [[a + offset, b + offset] for a, b in mention.attrs[k]] for k in OFFSET_ATTRS if k in mention.attrs}
    if moved:
        update["attrs"] = {**mention.attrs, **moved}
    return mention.model_copy(update=update)


class _Assembly:
    """Mentions and sentences of one article, gathered passage by passage."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.mentions: list[Mention] = []
        self.sentences: list[tuple[int, int]] = []
        self.started: float | None = None
        self.truncated = False

    def add(self, doc: Doc, offset: int) -> None:
        self.mentions.extend(shifted(m, offset) for m in base.mentions(doc))
        self.sentences.extend((a + offset, b + offset) for a, b in base.sentence_bounds(doc))

    def extraction(self, lexicons: str) -> DocumentExtraction:
        return DocumentExtraction(
            pmid=self.article.pmid,
            text=self.article.text,
            sentences=self.sentences,
            mentions=sorted(self.mentions, key=lambda m: (m.start, m.end, m.kind)),
            pipeline_version=PIPELINE_VERSION,
            lexicon_version=lexicons,
            truncated=self.truncated,
        )


def extract_articles(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 64,
    time_limit: float = DOCUMENT_TIME_LIMIT,
) -> Iterator[DocumentExtraction]:
    """Run the pipeline over articles, passage by passage (:func:`extraction_units`), in one stream.

    Mentions come back with offsets into ``Article.text``.  An article whose extraction has taken more
    than ``time_limit`` seconds gets no further passages (``truncated``); the others go on.
    """
    nlp = nlp or load_pipeline()
    lexicons = lexicon_version()
    assemblies: list[_Assembly] = []

    def units() -> Iterator[tuple[Doc, tuple[int, int]]]:
        for article in articles:
            assembly = _Assembly(article)
            assemblies.append(assembly)
            index = len(assemblies) - 1
            for offset, text, single in extraction_units(article):
                now = time.monotonic()
                if assembly.started is None:
                    assembly.started = now
                elif now - assembly.started > time_limit:
                    assembly.truncated = True
                    log.warning("PMID %s: extraction stopped after %.0f s (per-document limit); later passages skipped",
                                article.pmid, time_limit)
                    break
                doc = _make_doc(nlp, text)
                if single:
                    doc.user_data[ONE_SENTENCE] = True
                yield doc, (index, offset)

    done = 0  # assemblies before this index have been yielded
    for doc, (index, offset) in nlp.pipe(units(), as_tuples=True, batch_size=batch_size):
        while done < index:  # every passage of the earlier articles is in: they are complete
            yield assemblies[done].extraction(lexicons)
            assemblies[done] = None  # type: ignore[call-overload]  # free it
            done += 1
        assemblies[index].add(doc, offset)
    while done < len(assemblies):
        yield assemblies[done].extraction(lexicons)
        done += 1
