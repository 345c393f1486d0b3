"""Alembic migrations for the evidence store, shipped inside the package and run by ``Store`` on open.

Users never run Alembic themselves: opening a :class:`models.store.Store` upgrades the database to
head.  Developers add a revision (then write its ``upgrade()`` and mirror it in ``models.tables``)::

    python -c "from alembic import command; from genelit.models.store.engine import alembic_config; \
               command.revision(alembic_config(), message='add column x')"
"""
