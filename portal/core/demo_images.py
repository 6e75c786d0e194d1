"""Illustrated banners for the demo data, drawn with Pillow in the Bootstrap Italia palette.

No photo is downloaded or hot-linked: each banner is drawn from a motif (the Torrazzo and the
cathedral of Cremona, hands around a circle, a globe with twin-city arcs, open books, a
bunting of flags) and stored as a Wagtail image with its alt text (`description`). The same
title always gives the same picture, and an image that exists is reused, so the loader stays
idempotent. The credit line every demo page shows is `CREDIT`.
"""

from __future__ import annotations

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

CREDIT = "Illustrazione: Comune di Cremona, CC BY 4.0 (dati dimostrativi)"
WIDTH, HEIGHT = 1600, 700

# Bootstrap Italia: primary blue and its shades, the complementary teal, green, and warm accents.
PALETTES = {
    "blu": ("#0066CC", "#004D99", "#80B3E6", "#FFFFFF"),
    "verde": ("#008055", "#00593B", "#7FCCB0", "#FFFFFF"),
    "ardesia": ("#5C6F82", "#17324D", "#A9B8C6", "#FFFFFF"),
    "teal": ("#00A3A3", "#006B6B", "#8AD6D6", "#FFFFFF"),
    "ambra": ("#CC7A00", "#995C00", "#F2C27F", "#FFFFFF"),
}


def _gradient(size, top: str, bottom: str) -> PILImage.Image:
    image = PILImage.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    a = PILImage.new("RGB", (1, 1), top).getpixel((0, 0))
    b = PILImage.new("RGB", (1, 1), bottom).getpixel((0, 0))
    for y in range(size[1]):
        t = y / max(size[1] - 1, 1)
        draw.line(
            [(0, y), (size[0], y)], fill=tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))
        )
    return image


def _torrazzo(draw, light, ink, rng):
    """The skyline: the Torrazzo (tower with its two-tier lantern) beside the cathedral."""
    ground = HEIGHT - 120
    draw.rectangle([0, ground, WIDTH, HEIGHT], fill=ink)
    x = 980
    draw.rectangle([x, 170, x + 110, ground], fill=light)  # shaft
    draw.rectangle([x - 10, 150, x + 120, 185], fill=light)
    draw.polygon([(x + 10, 150), (x + 100, 150), (x + 85, 90), (x + 25, 90)], fill=light)
    draw.polygon([(x + 30, 90), (x + 80, 90), (x + 55, 20)], fill=light)  # spire
    for row in range(6):
        y = 220 + row * 60
        draw.rectangle([x + 45, y, x + 65, y + 30], fill=ink)
    cx = 560  # cathedral facade with its rose window
    draw.rectangle([cx, 330, cx + 360, ground], fill=light)
    draw.polygon([(cx - 20, 335), (cx + 380, 335), (cx + 180, 220)], fill=light)
    draw.ellipse([cx + 130, 360, cx + 230, 460], outline=ink, width=10)
    draw.rectangle([cx + 150, 500, cx + 210, ground], fill=ink)
    for _ in range(12):
        w = rng.randint(60, 140)
        h = rng.randint(60, 180)
        bx = rng.choice([rng.randint(0, cx - w - 10), rng.randint(x + 140, WIDTH - w)])
        draw.rectangle([bx, ground - h, bx + w, ground], fill=light)


def _circle(draw, light, ink, rng):
    """People around a circle: dialogue."""
    cx, cy, r = WIDTH // 2 + 250, HEIGHT // 2, 220
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=light, width=14)
    for i in range(10):
        angle = 2 * math.pi * i / 10
        px, py = cx + math.cos(angle) * (r + 70), cy + math.sin(angle) * (r + 70)
        draw.ellipse([px - 28, py - 28, px + 28, py + 28], fill=light)
    for _ in range(30):
        x, y = rng.randint(0, WIDTH // 2), rng.randint(0, HEIGHT)
        s = rng.randint(6, 18)
        draw.ellipse([x, y, x + s, y + s], fill=ink)


def _globe(draw, light, ink, rng):
    """A globe and arcs to far-away towns: twin cities and international ties."""
    cx, cy, r = WIDTH // 2 + 300, HEIGHT // 2 + 40, 240
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=light, width=10)
    for k in (0.35, 0.7):
        draw.ellipse([cx - r * k, cy - r, cx + r * k, cy + r], outline=light, width=6)
    for dy in (-0.5, 0, 0.5):
        half = r * math.sqrt(1 - dy * dy)
        draw.line([(cx - half, cy + dy * r), (cx + half, cy + dy * r)], fill=light, width=6)
    for _ in range(4):
        x0, y0 = rng.randint(80, 500), rng.randint(120, HEIGHT - 120)
        draw.arc([x0, y0 - 200, cx, cy + 200], 200, 330, fill=ink, width=8)
        draw.ellipse([x0 - 14, y0 - 14, x0 + 14, y0 + 14], fill=light)


def _books(draw, light, ink, rng):
    """Open books and pencils: schools."""
    for i in range(3):
        x = 700 + i * 290
        y = 260 + (i % 2) * 60
        draw.polygon([(x, y), (x + 130, y + 30), (x + 130, y + 250), (x, y + 220)], fill=light)
        draw.polygon(
            [(x + 130, y + 30), (x + 260, y), (x + 260, y + 220), (x + 130, y + 250)], fill=light
        )
        for line in range(5):
            ly = y + 60 + line * 32
            draw.line([(x + 20, ly), (x + 110, ly + 20)], fill=ink, width=5)
            draw.line([(x + 150, ly + 20), (x + 240, ly)], fill=ink, width=5)
    for _ in range(5):
        x = rng.randint(60, 520)
        draw.line([(x, HEIGHT - 80), (x + 120, 140)], fill=light, width=16)


def _bunting(draw, light, ink, rng):
    """A string of flags across the sky: festivals, concerts, celebrations."""
    for row in range(3):
        y0 = 110 + row * 160
        draw.line([(0, y0), (WIDTH, y0 + 60)], fill=light, width=5)
        for i in range(14):
            x = 40 + i * 115 + row * 30
            y = y0 + 60 * x / WIDTH
            colour = light if (i + row) % 2 else ink
            draw.polygon([(x, y), (x + 70, y + 4), (x + 35, y + 90)], fill=colour)


MOTIFS = {
    "torrazzo": _torrazzo,
    "cerchio": _circle,
    "mondo": _globe,
    "libri": _books,
    "festa": _bunting,
}


def banner_png(motif: str, palette: str, seed: str) -> bytes:
    top, bottom, light, _white = PALETTES[palette]
    image = _gradient((WIDTH, HEIGHT), top, bottom)
    draw = ImageDraw.Draw(image)
    MOTIFS[motif](draw, light, bottom if motif != "festa" else "#FFFFFF", random.Random(seed))  # noqa: S311 - drawing, not secrets
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_image(title: str, alt: str, motif: str, palette: str = "blu"):
    """The Wagtail image `title`, drawn once (its alt text is the image's description)."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = banner_png(motif, palette, seed=title)
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
    image = Image(title=title, description=alt[:255])
    image.file = ImageFile(io.BytesIO(data), name=f"demo-{slug}.png")
    image.save()
    return image


def attach(ctx, page, field: str, title: str, alt: str, motif: str, palette: str, **extra):
    """Give a live demo page its banner (and any `extra` fields still empty) once: a page
    that already has an image, e.g. one an editor chose, keeps it."""
    if getattr(page, f"{field}_id"):
        return
    setattr(page, field, demo_image(title, alt, motif, palette))
    for name, value in extra.items():
        if not getattr(page, name):
            setattr(page, name, value)
    page.save_revision(user=ctx.users.get("editor")).publish()
    ctx.count("images")
