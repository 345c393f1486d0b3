"""spaCy + scispaCy extraction pipeline.

Each extractor is a small spaCy component registered with ``Language.factory`` (see
:mod:`extractors.pipeline` for the assembled pipeline).  Components record what they find as
:class:`models.Mention` objects on ``doc._.mentions`` through :func:`extractors.base.add_mention`,
which keeps exact character offsets (PubTator-style, over ``title + " " + abstract``) and the
sentence each mention sits in — token-aligned spaCy spans would lose the exact offsets of
variants like ``(p.V92M)``.
"""
