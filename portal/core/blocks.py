"""The portal's one StreamField block library, used by content pages (home) and events (eventi).

Every block has its `Meta` (icon, template under `templates/blocks/`, preview value); pages use
`BaseStreamBlock`, events `EventBodyBlock` (the same blocks plus a single document and an embed).
The block names and value shapes are the stored content's: renaming one needs a data migration.
"""

import re

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

_YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)"
    r"(?P<id>[A-Za-z0-9_-]{6,20})"
)
_VIMEO = re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(?P<id>\d{4,12})")


def video_embed_url(url: str) -> str:
    """The privacy-friendly embed address of a YouTube or Vimeo video ('' when unsupported)."""
    url = (url or "").strip()
    if match := _YOUTUBE.match(url):
        return f"https://www.youtube-nocookie.com/embed/{match['id']}"
    if match := _VIMEO.match(url):
        return f"https://player.vimeo.com/video/{match['id']}?dnt=1"
    return ""


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("testo"), max_length=160)
    level = blocks.ChoiceBlock(
        label=_("livello"),
        choices=[("h2", _("titolo di sezione")), ("h3", _("sottotitolo")), ("h4", _("titoletto"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Titolo")
        template = "blocks/heading_block.html"
        preview_value = {"text": "La pace si costruisce insieme", "level": "h2"}
        description = _("Un titolo che apre una sezione della pagina.")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragrafo")
        template = "blocks/paragraph_block.html"
        preview_value = (
            "<p>Il Comune di Cremona promuove la cultura della pace con le scuole, le "
            "associazioni e le comunità di fede della città.</p>"
        )


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("immagine"))
    alt_text = blocks.CharBlock(
        label=_("testo alternativo"),
        max_length=250,
        help_text=_("Descrivi l'immagine a chi non può vederla: è obbligatorio."),
    )
    caption = blocks.CharBlock(label=_("didascalia"), max_length=250, required=False)

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [ValidationError(_("Il testo alternativo è obbligatorio."))]
                    )
                }
            )
        return value

    class Meta:
        icon = "image"
        label = _("Immagine")
        template = "blocks/image_block.html"
        preview_value = {
            "alt_text": "Bandiere della pace in piazza del Comune",
            "caption": "La marcia per la pace del 2025",
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("citazione"))
    attribution = blocks.CharBlock(label=_("autore"), max_length=160, required=False)

    class Meta:
        icon = "openquote"
        label = _("Citazione")
        template = "blocks/quote_block.html"
        preview_value = {
            "quote": "Se vuoi la pace, prepara la pace.",
            "attribution": "Aldo Capitini",
        }


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titolo"), max_length=120)
    text = blocks.TextBlock(label=_("testo"), required=False)
    button_label = blocks.CharBlock(label=_("testo del pulsante"), max_length=60)
    page = blocks.PageChooserBlock(label=_("pagina"), required=False)
    url = blocks.URLBlock(label=_("oppure indirizzo esterno"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={
                    "page": ErrorList([ValidationError(_("Scegli una pagina o un indirizzo."))])
                }
            )
        return value

    class Meta:
        icon = "pick"
        label = _("Invito all'azione")
        template = "blocks/call_to_action_block.html"
        preview_value = {
            "title": "Partecipa anche tu",
            "text": "Proponi un'iniziativa per la pace nel tuo quartiere.",
            "button_label": "Fai una proposta",
            "url": "https://www.comune.cremona.it/",
        }


class DocumentListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titolo"), max_length=120, required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("documento")), label=_("documenti"))

    class Meta:
        icon = "doc-full"
        label = _("Elenco di documenti")
        template = "blocks/document_list_block.html"
        preview_value = {"title": "Documenti", "documents": []}


class VideoEmbedBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=_("indirizzo del video"), help_text=_("Un video di YouTube o di Vimeo.")
    )
    title = blocks.CharBlock(
        label=_("titolo del video"),
        max_length=160,
        help_text=_("Serve a chi usa un lettore di schermo."),
    )
    transcript = blocks.TextBlock(label=_("trascrizione o descrizione"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not video_embed_url(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ErrorList(
                        [ValidationError(_("Inserisci l'indirizzo di un video YouTube o Vimeo."))]
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["embed_url"] = video_embed_url(value.get("url"))
        return context

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_embed_block.html"
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "Un video sulla pace",
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("documento"))
    title = blocks.CharBlock(label=_("titolo del collegamento"), required=False, max_length=160)

    class Meta:
        icon = "doc-full"
        label = _("Documento")
        template = "blocks/document_block.html"
        preview_value = {"title": "Programma dell'incontro"}


class ExternalEmbedBlock(EmbedBlock):
    """Content from an oEmbed provider (e.g. a map or a post), as Wagtail embeds it."""

    class Meta:
        icon = "media"
        label = _("Contenuto incorporato")
        template = "blocks/embed_block.html"
        # No preview value: previewing would call the provider over the network.
        description = _("Un contenuto di un altro sito, dato il suo indirizzo.")


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("domanda"), max_length=200)
    answer = blocks.RichTextBlock(label=_("risposta"), features=["bold", "italic", "link", "ul"])


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titolo"), max_length=120, required=False)
    items = blocks.ListBlock(FaqItemBlock(), label=_("voci"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Domande frequenti")
        template = "blocks/accordion_block.html"
        preview_value = {
            "title": "Domande frequenti",
            "items": [
                {
                    "question": "Chi può partecipare?",
                    "answer": "<p>Tutte le persone che vivono o studiano a Cremona.</p>",
                }
            ],
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    documents = DocumentListBlock()
    video = VideoEmbedBlock()
    accordion = AccordionBlock()

    class Meta:
        template = "blocks/base_stream_block.html"


class EventBodyBlock(BaseStreamBlock):
    """The description of an event: the base blocks, plus a single document and an embed."""

    document = DocumentBlock()
    embed = ExternalEmbedBlock()
