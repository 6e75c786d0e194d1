"""StreamField blocks of event pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class AccessibleImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("immagine"))
    alt_text = blocks.CharBlock(
        label=_("testo alternativo"),
        max_length=250,
        help_text=_("Descrivi l'immagine per chi non può vederla (obbligatorio)."),
    )
    caption = blocks.CharBlock(label=_("didascalia"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("immagine")
        template = "eventi/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("citazione"))
    attribution = blocks.CharBlock(label=_("autore"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("citazione")
        template = "eventi/blocks/quote_block.html"
        preview_value = {"text": "La pace non è un sogno: può diventare realtà.", "attribution": ""}


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("documento"))
    title = blocks.CharBlock(label=_("titolo del collegamento"), required=False, max_length=160)

    class Meta:
        icon = "doc-full"
        label = _("documento")
        template = "eventi/blocks/document_block.html"


class EventBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("testo"),
        features=["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"],
        template="eventi/blocks/paragraph_block.html",
        preview_value="<p>Un incontro aperto a tutta la cittadinanza.</p>",
    )
    image = AccessibleImageBlock()
    quote = QuoteBlock()
    document = DocumentBlock()
    embed = EmbedBlock(label=_("contenuto incorporato"), icon="media")
