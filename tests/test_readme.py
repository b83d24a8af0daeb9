"""The README's command-line section documents every subcommand and every long option of the CLI.

This reads README.md at the top of the project; until the README has a command-line section, it fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docmanager.cli import SUBCOMMANDS, subcommand_parsers

README = Path(__file__).resolve().parent.parent / "README.md"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
_CLI_HEADING = re.compile(r"command[- ]line|\bCLI\b|terminal|subcommand", re.I)


def cli_section() -> str:
    """The text under the first heading about the command line, up to the next heading of its level or above."""
    if not README.is_file():
        pytest.fail(f"{README} is missing: it must document the command line")
    text = README.read_text(encoding="utf-8")
    headings = list(_HEADING.finditer(text))
    for n, m in enumerate(headings):
        if _CLI_HEADING.search(m[2]):
            level = len(m[1])
            end = next((h.start() for h in headings[n + 1 :] if len(h[1]) <= level), len(text))
            return text[m.end() : end]
    pytest.fail(f"{README.name} has no command-line section (a heading mentioning 'command line' or 'CLI')")


_LONG_OPTION = re.compile(r"(?<![\w-])--[a-z][\w-]*")


def long_options() -> list[tuple[str, str]]:
    """Every subcommand's long options, as its usage line shows them (every option argparse does not hide)."""
    return sorted(
        {
            (name, option)
            for name, parser in subcommand_parsers().items()
            for option in _LONG_OPTION.findall(parser.format_usage())
            if option != "--help"
        }
    )


def test_subcommands_are_the_parsers_subcommands() -> None:
    assert set(subcommand_parsers()) == set(SUBCOMMANDS)
    assert ("list", "--any-tag") in long_options() and ("import", "--captured-at") in long_options()


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_readme_shows_every_subcommand(name: str) -> None:
    section = cli_section()
    usage = re.compile(rf"docmanager(?:\s+(?:\[[^\]\n]*\]|--library[ =]\S+))*\s+{re.escape(name)}(?![\w-])")
    assert usage.search(section), f"the README's command-line section never shows `docmanager {name}`"


@pytest.mark.parametrize(("name", "option"), long_options())
def test_readme_mentions_every_long_option(name: str, option: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", cli_section()), (
        f"`docmanager {name} {option}` is not in the README's command-line section"
    )
