"""One request schedule per process, so that every thread together stays under NCBI's rate limit.

NCBI allows 3 requests per second (10 with an API key) *per user*, counted as arrivals per second at
its servers, and blocks users who exceed it.  Prefect and Dask run tasks in threads, so a per-client
limit is not enough: :func:`shared_limiter` hands every caller in the process the same limiter.

Design: evenly spaced slots rather than a bucket that allows a burst.  Each ``acquire()`` reserves the
next free slot (``period`` after the previous one) under a lock and sleeps outside the lock until it.
Even spacing means any window of one second holds at most ``rate`` requests; a small safety margin
on the period absorbs network jitter that could otherwise bunch requests together on arrival.
"""
from __future__ import annotations

import threading
import time

# Widen the spacing by 5% so that arrivals, not just departures, respect the limit.
SAFETY_MARGIN = 0.05


class RateLimiter:
    """Thread-safe limiter: ``acquire()`` blocks until the caller may send one request."""

    def __init__(self, rate_per_second: float) -> None:
        if rate_per_second <= 0:
            raise ValueError(f"rate must be positive, got {rate_per_second}")
        self.rate_per_second = rate_per_second
        self.period = (1.0 / rate_per_second) * (1.0 + SAFETY_MARGIN)
        self._lock = threading.Lock()
        self._next_slot = 0.0  # monotonic time of the next free slot

    def reserve(self) -> float:
        """Reserve the next slot and return how long the caller must wait for it (seconds)."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.period
            return slot - now

    def acquire(self) -> None:
        """Block until this caller's slot comes."""
        wait = self.reserve()
        if wait > 0:
            time.sleep(wait)


_shared: dict[float, RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(rate_per_second: float) -> RateLimiter:
    """The process-wide limiter for ``rate_per_second`` (created on first use)."""
    with _shared_lock:
        limiter = _shared.get(rate_per_second)
        if limiter is None:
            limiter = _shared[rate_per_second] = RateLimiter(rate_per_second)
        return limiter
