"""Every static asset a template names exists as a file.

Production uses the manifest storage, which raises (a 500 on every page) for a path that is
missing or is a folder; the test settings use plain storage, so check the names here.
"""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]
STATIC_TAG = re.compile(
    r"""\{%\s*(?:static|django_bootstrap_italia_static_path)\s+['"]([^'"]+)['"]"""
)


def _template_files():
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in ("portal", "home"))]
    for folder in folders:
        if folder.exists():
            yield from folder.rglob("*.html")


def _static_names():
    names = set()
    for path in _template_files():
        for match in STATIC_TAG.finditer(path.read_text(encoding="utf-8")):
            names.add((match.group(1), path.relative_to(ROOT).as_posix()))
    return sorted(names)


def test_templates_name_static_assets():
    assert any(name == "js/portal.js" for name, _ in _static_names())


@pytest.mark.parametrize(("name", "template"), _static_names())
def test_static_asset_is_a_file(name, template):
    found = finders.find(name)
    assert found, f"{template} names missing static file {name!r}"
    assert Path(found).is_file(), f"{template} names a folder, not a file: {name!r}"
