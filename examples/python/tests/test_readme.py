"""The example in README.md ("For the project README") runs as printed."""

from __future__ import annotations

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    section = README.read_text().split("## For the project README", 1)[1]
    [code] = re.findall(r"```python\n(.*?)```", section, re.S)
    exec(compile(code, str(README), "exec"), {})
    printed = capsys.readouterr().out
    assert "-> romeo@localhost/r <presence" in printed
    assert "<body>Hello</body>" in printed
