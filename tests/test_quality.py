"""The package stays ruff-clean and mypy-strict-clean."""

from __future__ import annotations

from tests.conftest import run


def test_ruff() -> None:
    result = run(["ruff", "check", "."])
    assert result.returncode == 0, result.stdout[-3000:]


def test_ruff_format() -> None:
    result = run(["ruff", "format", "--check", "."])
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy_strict() -> None:
    result = run(["mypy"])
    assert result.returncode == 0, result.stdout[-3000:]
