"""The one place where user-supplied HTML is cleaned.

Every form that accepts markup from citizens and every template filter that shows it
goes through this module. Two levels:

* ``clean_comment``: a very small subset (paragraphs, emphasis, lists, links, quotes);
* ``clean_rich_text``: what proposal bodies may use (adds headings h3-h4).

Links always get ``rel="nofollow ugc noopener"``; only http(s) and mailto URLs survive.
"""

import html
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

COMMENT_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "blockquote"})
RICH_TEXT_TAGS = COMMENT_TAGS | {"h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href:
        return None  # drop anchors without a destination
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _cleaner(tags):
    return bleach.Cleaner(
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(LinkifyFilter, callbacks=[_set_rel], skip_tags=["pre"], parse_email=False)
        ],
    )


_COMMENT_CLEANER = _cleaner(COMMENT_TAGS)
_RICH_TEXT_CLEANER = _cleaner(RICH_TEXT_TAGS)


def _wrap_plain_text(value: str) -> str:
    """Turn plain text with blank lines into paragraphs (markup is left to bleach)."""
    if "<" in value:
        return value
    paragraphs = [p.strip() for p in value.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>{}</p>".format(p.replace("\n", "<br>")) for p in paragraphs)


def clean_comment(value: str | None) -> SafeString:
    """Sanitise a comment: returns safe HTML ready to render."""
    if not value:
        return mark_safe("")  # noqa: S308
    return mark_safe(_COMMENT_CLEANER.clean(_wrap_plain_text(str(value))).strip())  # noqa: S308


def clean_rich_text(value: str | None) -> SafeString:
    """Sanitise a proposal body or other citizen-written rich text."""
    if not value:
        return mark_safe("")  # noqa: S308
    return mark_safe(_RICH_TEXT_CLEANER.clean(_wrap_plain_text(str(value))).strip())  # noqa: S308


def to_plain_text(value: str | None) -> str:
    """Text with every tag removed, for e-mails, feeds and meta descriptions."""
    if not value:
        return ""
    return " ".join(html.unescape(strip_tags(str(value))).split())
