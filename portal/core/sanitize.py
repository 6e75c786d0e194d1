"""The one place where user-supplied HTML is cleaned.

Every form that accepts markup from citizens and every template filter that shows it
goes through this module. Two levels:

* ``clean_comment``: a very small subset (paragraphs, emphasis, lists, links, quotes);
* ``clean_rich_text``: what proposal bodies may use (adds headings h3-h4).

Links always get ``rel="nofollow ugc noopener"``; only http(s) and mailto URLs survive.

What citizens type (proposal texts, comments) is stored as written and shown through
``render_markdown_*``: Markdown (CommonMark, markdown-it-py) rendered to HTML, then cleaned
by the same bleach cleaners, so the allowed subset is exactly the tag list below whatever
Markdown or raw HTML produced it. Raw HTML in the source is let through Markdown and left to
bleach, so texts saved before Markdown (already cleaned HTML, or plain text) read as before.
"""

import html
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

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


def _markdown(headings: bool) -> MarkdownIt:
    # "breaks": a single new line stays a line break, as in the plain-text texts of before.
    # Code blocks, images and rules are not part of the subset: indented text stays text.
    md = MarkdownIt("commonmark", {"html": True, "breaks": True})
    md.disable(["code", "fence", "image", "hr"])
    if not headings:
        md.disable(["heading", "lheading"])
    return md


_MARKDOWN_COMMENT = _markdown(headings=False)
_MARKDOWN_RICH_TEXT = _markdown(headings=True)
_HEADING_SHIFT = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h3>", "</h2>": "</h3>"}


def render_markdown_comment(value: str | None) -> SafeString:
    """A comment as written (Markdown) to safe HTML: paragraphs, emphasis, lists, links, quotes."""
    if not value:
        return mark_safe("")  # noqa: S308
    html_text = _MARKDOWN_COMMENT.render(str(value))
    return mark_safe(_COMMENT_CLEANER.clean(html_text).strip())  # noqa: S308


def render_markdown_rich_text(value: str | None) -> SafeString:
    """A proposal text as written (Markdown) to safe HTML; ``#`` and ``##`` become h3."""
    if not value:
        return mark_safe("")  # noqa: S308
    html_text = _MARKDOWN_RICH_TEXT.render(str(value))
    for tag, replacement in _HEADING_SHIFT.items():
        html_text = html_text.replace(tag, replacement)
    return mark_safe(_RICH_TEXT_CLEANER.clean(html_text).strip())  # noqa: S308
