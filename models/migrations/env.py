"""Alembic environment: runs on the connection that ``models.store.engine`` hands over.

``Store`` opens the transaction (and takes the migration lock) itself and passes the connection in
``config.attributes["connection"]``, so this file only configures the context and runs the scripts.
"""
from __future__ import annotations

from alembic import context
from genelit.models.tables import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
