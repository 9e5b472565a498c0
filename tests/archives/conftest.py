"""Archives of the bundled snapshot, built once per session (see tests/support/archives.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.archives import TwoMoments, build_two_moments


@pytest.fixture(scope="session")
def moments(tmp_path_factory: pytest.TempPathFactory) -> TwoMoments:
    return build_two_moments(tmp_path_factory.mktemp("archives"))


def compare(got: dict[tuple[str, int], dict[str, Any]], moments: TwoMoments, source: str) -> list[str]:
    """Differences between exported records and the expected ones, one line each (empty: identical)."""
    problems = [f"missing {key}" for key in moments.expected if key not in got]
    problems += [f"unexpected {key}" for key in got if key not in moments.expected]
    for key, expected in moments.expected.items():
        record = got.get(key)
        if record is None:
            continue
        wanted = {k: v for k, v in expected.items() if k not in ("metadata", "captureTimestamp")}
        problems += [f"{key} {k}: {record.get(k)!r} != {v!r}" for k, v in wanted.items() if record.get(k) != v]
        metadata = record["metadata"]
        if metadata.get("captureTimestamp") != expected["captureTimestamp"] or metadata.get("source") != source:
            problems.append(f"{key} metadata: {metadata}")
    return problems
