"""On-disk lexicon caches under concurrency and damage: processes that build the same cache at once must
all succeed (each writes a file of its own and renames it into place), and a damaged cache is rebuilt."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = (
    "import sys; sys.path.insert(0, sys.argv[1])\n"
    "from genelit.extractors import hpo_lexicon\n"
    "lexicon = hpo_lexicon.load_lexicon()\n"
    "print(len(lexicon.entries), hpo_lexicon.cache_dir())\n"
)

pytestmark = pytest.mark.slow


def _start(cache_home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(ROOT)], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-2000:]
    return out


def test_two_processes_building_the_hpo_lexicon_cache_at_once(tmp_path: Path) -> None:
    first, second = _start(tmp_path), _start(tmp_path)
    outputs = {_finish(first), _finish(second)}
    assert len(outputs) == 1  # the same lexicon
    folder = Path(outputs.pop().split()[1])
    assert [p.name for p in folder.glob("*.tmp")] == []  # no temporary file left behind
    assert len(list(folder.glob("lexicon-*.pkl.gz"))) == 1


def test_a_damaged_hpo_lexicon_cache_is_rebuilt(tmp_path: Path) -> None:
    folder = Path(_finish(_start(tmp_path)).split()[1])
    (cached,) = folder.glob("lexicon-*.pkl.gz")
    entries = _finish(_start(tmp_path)).split()[0]
    cached.write_bytes(cached.read_bytes()[:1000])  # truncated, as by a full disk or a killed process
    assert _finish(_start(tmp_path)).split()[0] == entries
    assert cached.stat().st_size > 1000  # rewritten whole
