"""The Nu HTML checker (vnu.jar from npm's vnu-jar, run by Java) finds no error on any page type.

All pages are fetched once per module and checked in one run of the checker (one JVM start);
each page type then reports its own errors. Skipped with a message when Java or the checker is
missing on a workstation, a failure under ``CI=true`` (``make validator`` installs the checker;
``.ci/run`` installs Java and npm).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from portal.accounts.models import User
from tests.e2e import pages
from tests.e2e.helpers import missing, tool_missing

JAR_SUFFIX = Path("vnu") / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REPO = Path(__file__).resolve().parents[2]


def find_vnu_jar() -> Path | None:
    candidates = [
        os.environ.get("VNU_JAR"),
        Path(sys.prefix) / JAR_SUFFIX,
        REPO / ".venv" / JAR_SUFFIX,
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def vnu_jar():
    java = shutil.which("java")
    jar = find_vnu_jar()
    if java is None or jar is None:
        tool_missing(
            "HTML validity not checked: needs Java and vnu.jar (run `make validator`, which "
            "installs npm's vnu-jar; .ci/run installs Java and npm when missing)."
        )
    return java, jar


@pytest.fixture(scope="module")
def validation(demo_server, vnu_jar, tmp_path_factory):
    """{kind: (target, [error messages])} or {kind: pages.Missing} for every page type."""
    java, jar = vnu_jar
    folder = tmp_path_factory.mktemp("html")
    results: dict[str, object] = {}
    files: list[Path] = []
    for kind in pages.KINDS:
        try:
            target = pages.resolve(kind, client=Client())
        except pages.Missing as exc:
            results[kind] = exc
            continue
        client = Client()
        if target.login_as:
            client.force_login(User.objects.get(email=pages.demo_email(target.login_as)))
        response = client.get(target.path)
        assert response.status_code == target.status, (
            f"{target.path} answered {response.status_code}"
        )
        path = folder / f"{kind}.html"
        path.write_bytes(response.content)
        files.append(path)
        results[kind] = (target, [])
    if files:
        completed = subprocess.run(  # noqa: S603 - fixed arguments, local files
            [java, "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always"]
            + [str(path) for path in files],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        report = json.loads(completed.stderr or completed.stdout or '{"messages": []}')
        for message in report.get("messages", []):
            kind = Path(message.get("url", "")).stem
            if not isinstance(results.get(kind), tuple):
                continue
            results[kind][1].append(
                f"line {message.get('lastLine')}: {message.get('message')} "
                f"«{(message.get('extract') or '').strip()[:160]}»"
            )
    return results


@pytest.mark.parametrize("kind", pages.KINDS)
def test_page_type_is_valid_html(kind, validation):
    result = validation[kind]
    if isinstance(result, pages.Missing):
        missing(f"{kind}: {result}")
    target, errors = result
    assert not errors, f"{target.path}: {len(errors)} HTML error(s)\n" + "\n".join(errors)
