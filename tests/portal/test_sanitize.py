"""The sanitiser keeps the safe subset and removes everything that could run."""

import pytest

from portal.core.sanitize import clean_comment, clean_rich_text, to_plain_text


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>ciao",
        '<img src=x onerror="alert(1)">ciao',
        '<a href="javascript:alert(1)">ciao</a>',
        '<p style="background:url(javascript:alert(1))">ciao</p>',
        "<svg><script>alert(1)</script></svg>ciao",
        '<iframe src="https://evil.example"></iframe>ciao',
        "<<script>script>alert(1)<</script>/script>ciao",
        '<a href="jav&#x09;ascript:alert(1)">ciao</a>',
    ],
)
def test_dangerous_markup_is_removed(payload):
    cleaned = clean_comment(payload)
    lowered = cleaned.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered
    assert "javascript:" not in lowered
    assert "style=" not in lowered
    assert "<iframe" not in lowered
    assert "ciao" in cleaned


def test_links_get_safe_rel():
    cleaned = clean_comment('<a href="https://www.comune.cremona.it">Comune</a>')
    assert 'rel="nofollow ugc noopener"' in cleaned
    assert 'href="https://www.comune.cremona.it"' in cleaned


def test_bare_urls_are_linkified_with_rel():
    cleaned = clean_comment("Vedi https://example.org/pace per i dettagli")
    assert '<a href="https://example.org/pace" rel="nofollow ugc noopener">' in cleaned


def test_plain_text_becomes_paragraphs():
    assert clean_comment("uno\n\ndue") == "<p>uno</p><p>due</p>"


def test_rich_text_allows_headings_but_comments_do_not():
    assert "<h3>" in clean_rich_text("<h3>Titolo</h3>")
    assert "<h3>" not in clean_comment("<h3>Titolo</h3>")


def test_malformed_tags_are_closed():
    assert clean_comment("<strong>aperto") == "<strong>aperto</strong>"


def test_plain_text_strips_tags_and_entities():
    assert to_plain_text("<p>Pace &amp; diritti</p>  <b>ora</b>") == "Pace & diritti ora"
