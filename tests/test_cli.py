"""The command line works without a display and takes subcommands from other modules."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from agencydesk import __version__, cli


def _headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # no offscreen fallback either: Qt must not load at all
    return env


@pytest.mark.parametrize(
    ("argument", "expected"),
    [("--help", "--profile DIR"), ("--version", f"agencydesk {__version__}")],
)
def test_help_and_version_need_no_display(argument: str, expected: str) -> None:
    code = (
        "import sys\n"
        "from agencydesk.cli import main\n"
        "try:\n"
        f"    main([{argument!r}])\n"
        "except SystemExit as exit:\n"
        "    assert 'PySide6' not in sys.modules, 'Qt was imported'\n"
        "    raise\n"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
        [sys.executable, "-c", code],
        env=_headless_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
    if argument == "--help":
        assert "--demo" in done.stdout


def test_module_entry_point_prints_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "agencydesk", "--version"],
        env=_headless_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"agencydesk {__version__}"


def test_demo_and_profile_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--demo", "--profile", "some/dir"])
    assert exit_info.value.code == 2
    assert "--demo" in capsys.readouterr().err


def _forget_package(name: str) -> None:
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[module]


@pytest.fixture
def plugin_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A throwaway package with subcommand modules, standing in for cli/accounts, cli/sync…
    Each test imports its own copy: one imported by an earlier test points at that test's
    folder, which is gone once it passed (tmp_path_retention_policy)."""
    _forget_package("fake_cli")
    package = tmp_path / "fake_cli"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "hello.py").write_text(
        textwrap.dedent("""
        from agencydesk.cli import add_profile_argument

        def register(subparsers):
            parser = subparsers.add_parser("hello", help="say hello")
            add_profile_argument(parser)
            parser.add_argument("--times", type=int, default=1)
            parser.set_defaults(run=lambda args: print("hello " * args.times, args.profile) or 7)
        """)
    )
    (package / "broken.py").write_text("import a_dependency_that_is_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "fake_cli"
    _forget_package("fake_cli")


def test_subcommands_come_from_the_modules_that_exist(
    plugin_package: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        cli, "SUBCOMMAND_MODULES", (f"{plugin_package}.missing", f"{plugin_package}.hello")
    )
    assert cli.main(["--profile", "/p/one", "hello", "--times", "2"]) == 7
    assert capsys.readouterr().out.strip() == "hello hello  /p/one"
    assert cli.main(["hello", "--profile", "/p/two"]) == 7
    assert capsys.readouterr().out.strip().endswith("/p/two")


def test_a_broken_subcommand_module_is_not_silently_skipped(
    plugin_package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "SUBCOMMAND_MODULES", (f"{plugin_package}.broken",))
    with pytest.raises(ModuleNotFoundError, match="a_dependency_that_is_not_installed"):
        cli.build_parser()
