"""The command line and the run's environment record."""

from __future__ import annotations

import argparse
import subprocess

from bridgemark import cli, environment


def test_help_of_every_command_renders():
    # Regression: "95% upper bound" in a help string crashed `python -m bridgemark --help`
    # (argparse formats help strings with %).
    main = cli.parser()
    assert "soak" in main.format_help()
    subparsers = next(a for a in main._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        assert sub.format_help().startswith("usage:"), name


def test_a_run_is_dirty_only_for_changes_outside_results(tmp_path, monkeypatch):
    # Regression: the second run of the same code was "dirty" because the first had
    # rewritten results/REPORT.md.
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "REPORT.md").write_text("old report\n")
    (tmp_path / "code.py").write_text("x = 1\n")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "c"]):
        subprocess.run(git + args, check=True)
    monkeypatch.setattr(environment, "REPO_ROOT", tmp_path)
    assert environment.git_commit()["dirty"] is False
    (tmp_path / "results" / "REPORT.md").write_text("new report\n")
    assert environment.git_commit()["dirty"] is False
    (tmp_path / "code.py").write_text("x = 2\n")
    assert environment.git_commit()["dirty"] is True
