"""The documentation names only what exists, and README.md stays short enough to be read first.

Every command block (```sh, ```bash, ```console …) and every inline `make X` / `manage.py X` in README.md and
docs/*.md is checked: a Make target must be in the Makefile, a management command must be one Django knows
(with the --options it is shown with), and a script or path under the repository's folders must exist. The
tables of commands (a first column headed "command") are read the same way. Every relative link must lead to a
file, and to a heading of it when it names one.
"""

import re
import shlex
from functools import cache
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 200

COMMAND_LANGUAGES = {"sh", "bash", "shell", "console", "zsh"}
# A path whose first folder is one of these is the repository's own and must exist.
REPOSITORY_FOLDERS = {
    ".ci",
    "core",
    "declarations",
    "deploy",
    "docs",
    "kochi_kyosei",
    "locale",
    "pages",
    "static",
    "templates",
    "tests",
}
# `templates/<app>/`, `/events/…/apply/`, `*.po`: a pattern, not a path.
PLACEHOLDER = re.compile(r"[<>…*{}]")

FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")
SEPARATORS = {"&&", "||", ";", "|"}


@cache
def make_targets():
    targets = set()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        rule = re.match(r"^([^\s:=#][^:=]*?):(?!=)", line)
        if rule:
            targets.update(rule.group(1).split())
    return targets


@cache
def command_options(name):
    """The --long options of a management command, or None when Django has no such command."""
    app = get_commands().get(name)
    if app is None:
        return None
    command = app if not isinstance(app, str) else load_command_class(app, name)
    parser = command.create_parser("manage.py", name)
    return {option for option in parser._option_string_actions if option.startswith("--")}


def split_commands(line):
    """Shell words of one command line, split at &&, ||, ; and |, without leading VAR=value words."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        words = line.split()
    command = []
    for word in [*words, ";"]:
        if word in SEPARATORS:
            while command and ASSIGNMENT.match(command[0]):
                command.pop(0)
            if command:
                yield command
            command = []
        else:
            command.append(word)


def strip_word(word):
    return word.lstrip("(['\"").rstrip(")],;:.'\"")


def check_path(word, problems):
    path = strip_word(word)
    if "/" not in path or PLACEHOLDER.search(path) or "://" in path:
        return
    if path.split("/", 1)[0] in REPOSITORY_FOLDERS and not (ROOT / path).exists():
        problems.append(f"no such file or folder: {path}")


def check_management_command(words, problems):
    """`words` start with the command's name, followed by its arguments as the docs show them."""
    name = strip_word(words[0])
    if PLACEHOLDER.search(name):
        return
    options = command_options(name)
    if options is None:
        problems.append(f"no such management command: {name}")
        return
    for word in words[1:]:
        option = strip_word(word).split("=", 1)[0]
        if option.startswith("--") and option not in options:
            problems.append(f"manage.py {name} has no option {option}")


def check_command(words, problems):
    if words[0] == "make":
        for target in words[1:]:
            if "=" not in target and not target.startswith("-") and target not in make_targets():
                problems.append(f"no such make target: {target}")
    for index, word in enumerate(words):
        if word.endswith("manage.py") and index + 1 < len(words):
            check_management_command(words[index + 1 :], problems)
            break
    for word in words:
        check_path(word, problems)


def command_lines(language, body):
    body = body.replace("\\\n", " ")
    for line in body.splitlines():
        line = line.strip()
        if language == "console":
            if not line.startswith("$ "):
                continue
            line = line[2:]
        if line and not line.startswith("#"):
            yield line


def command_table_cells(prose):
    """The first cell of each row of a table whose first column is headed "command"."""
    in_table = False
    for line in prose.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells is None:
            in_table = False
        elif cells[0].lower() == "command":
            in_table = True
        elif in_table and not set(cells[0]) <= {"-", ":"}:
            yield cells[0]


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = CODE_SPAN.sub(r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    prose = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(heading) for heading in HEADING.findall(prose)}


def check_link(target, source, problems):
    if re.match(r"^[a-z][a-z0-9+.-]*:", target):
        return
    path, _, anchor = target.partition("#")
    destination = (source.parent / path).resolve() if path else source
    if not destination.exists():
        problems.append(f"link to a missing file: {target}")
    elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
        problems.append(f"link to a missing heading: {target}")


def problems_in(text, source):
    problems = []
    for language, body in FENCE.findall(text):
        if language in COMMAND_LANGUAGES:
            for line in command_lines(language, body):
                for words in split_commands(line):
                    check_command(words, problems)
    prose = FENCE.sub("", text)
    for span in CODE_SPAN.findall(prose):
        for words in split_commands(span):
            if words[0] == "make" or any(word.endswith("manage.py") for word in words):
                check_command(words, problems)
            else:
                for word in words:
                    check_path(word, problems)
    for cell in command_table_cells(prose):
        for span in CODE_SPAN.findall(cell):
            words = span.split()
            if words[0] != "make" and "/" not in words[0] and not words[0].endswith("manage.py"):
                check_management_command(words, problems)
    for target in LINK.findall(prose):
        check_link(target, source, problems)
    return problems


# Some commands build their --help from the database (the centres' service names), so reading their options needs it.
@pytest.mark.django_db
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_command_path_and_link_in_the_docs_exists(document):
    assert problems_in(document.read_text(encoding="utf-8"), document) == []


def test_the_readme_stays_short_enough_to_read_first():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_the_docs_folder_has_the_documents_the_readme_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for document in DOCUMENTS[1:]:
        assert f"docs/{document.name}" in readme, f"README.md does not link {document.name}"


@pytest.mark.django_db
def test_a_command_or_link_that_does_not_exist_is_reported():
    text = """
```sh
make run && make deploy-everything
PORT=1 .venv/bin/python manage.py send_all_mail --now
.ci/no-such-step
```

Run `make tset`, then `manage.py run_worker --twice`; see `kochi_kyosei/no_such_module.py`,
[the guide](docs/no-such-guide.md) and [processes](docs/operations.md#no-such-heading).

| command | what it does |
|---|---|
| `load_everything [--file F]` | not a command |
| `load_initial_content [--fast]` | a command without that option |
"""
    assert problems_in(text, ROOT / "README.md") == [
        "no such make target: deploy-everything",
        "no such management command: send_all_mail",
        "no such file or folder: .ci/no-such-step",
        "no such make target: tset",
        "manage.py run_worker has no option --twice",
        "no such file or folder: kochi_kyosei/no_such_module.py",
        "no such management command: load_everything",
        "manage.py load_initial_content has no option --fast",
        "link to a missing file: docs/no-such-guide.md",
        "link to a missing heading: docs/operations.md#no-such-heading",
    ]
