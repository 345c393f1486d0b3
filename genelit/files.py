"""The one place genelit writes files that must never be seen half-written, and keeps on-disk caches.

Everything a curator or another process may read while genelit writes it -- exports, reports, digests,
the lexicon, compiled caches -- goes through :func:`atomic_write` (a file) or :func:`atomic_folder` (a
folder of files): written under a name of this process's own beside the destination, then renamed into
place in one step.  A crash, a full disk or a second process building the same thing never leaves a
truncated file where a whole one is expected; the loser of a race simply keeps the winner's copy.

Files follow the user's umask (``mkstemp`` alone would make every export private, mode 0600).

:class:`PickleCache` is the on-disk cache of compiled resources (gene index, HPO lexicon): keyed by a
version stem the caller derives from its inputs, rebuilt when missing, stale or unreadable, and never a
reason for a run to fail (an unwritable cache folder only costs start-up time).
"""
from __future__ import annotations

import gzip
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

import platformdirs

from genelit.config import APP_NAME

T = TypeVar("T")

# What reading a cache written by other code can raise: truncated, foreign or renamed classes.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError)


def _umask() -> int:
    """The process umask (reading it means setting it; put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _private_sibling(path: Path, suffix: str = ".tmp") -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    return Path(name)


def atomic_write(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Run ``write(tmp)`` on a temporary file beside ``path``, then rename it over ``path``.

    The finished file gets the mode an ordinary ``open(path, "w")`` would give it (0666 less the umask).
    The caller makes sure the folder exists (what a missing folder means differs: bad input for an
    export, "create it" for a cache).
    """
    path = Path(path)
    tmp = _private_sibling(path)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def atomic_folder(folder: Path, build: Callable[[Path], None]) -> Path:
    """Build a folder of files under a private name, then rename it into place in one step.

    A process that finds ``folder`` finds it complete.  If another process renamed its own copy into
    place first, that copy stays and this one is discarded.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        build(building)
        os.chmod(building, 0o777 & ~_umask())
        try:
            building.rename(folder)
        except OSError:  # already there: another process won the race
            pass
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return folder


def cache_dir(*parts: str) -> Path:
    """genelit's per-user cache folder (or a sub-folder of it); not created here."""
    return Path(platformdirs.user_cache_dir(APP_NAME)).joinpath(*parts)


class PickleCache(Generic[T]):
    """A compiled resource pickled under ``folder/<name>-<stem><suffix>``, rebuilt when unusable.

    ``stem`` must change whenever the inputs or the code that builds the resource change; files with
    the same ``name`` and another stem are removed once a new one is written (never read again).
    Only genelit's own cache folder is read, so unpickling is of files genelit wrote itself.
    """

    def __init__(self, folder: Path, name: str, *, compress: bool = False) -> None:
        self.folder = folder
        self.name = name
        self.compress = compress
        self.suffix = ".pkl.gz" if compress else ".pkl"

    def path(self, stem: str) -> Path:
        return self.folder / f"{self.name}-{stem}{self.suffix}"

    def _open(self, path: Path, mode: str):
        return gzip.open(path, mode, compresslevel=3) if self.compress else path.open(mode)

    def load(self, stem: str, accept: Callable[[object], bool] = lambda _: True) -> T | None:
        """The cached value for ``stem``, or None when there is none or it cannot be read."""
        path = self.path(stem)
        if not path.is_file():
            return None
        try:
            with self._open(path, "rb") as fh:
                value = pickle.load(fh)
        except _UNREADABLE:
            return None
        return value if accept(value) else None

    def store(self, stem: str, value: T) -> None:
        """Write ``value`` for ``stem`` (atomically); an unwritable folder is not an error."""
        path = self.path(stem)

        def dump(tmp: Path) -> None:
            with self._open(tmp, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(path, dump)
            for stale in self.folder.glob(f"{self.name}-*{self.suffix}"):
                if stale != path:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only or full cache folder: run without the cache

    def get(self, stem: str, build: Callable[[], T], accept: Callable[[object], bool] = lambda _: True) -> T:
        """The cached value for ``stem``, built (and stored) when missing or unusable."""
        value = self.load(stem, accept)
        if value is None:
            value = build()
            self.store(stem, value)
        return value
