"""StreamField blocks shared by every page type. A feature's own blocks live in its app."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=[("h2", _("Level 2 heading")), ("h3", _("Level 3 heading"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        description = _("Splits a long text into sections; readers and screen readers navigate by it.")
        preview_value = {"text": "怎么补叶酸才科学", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for readers who cannot see it; leave empty for a purely decorative image."),
        required=False,
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"
        description = _("An image with alternative text and a caption.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("policy", _("Free service policy"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=80)
    text = blocks.RichTextBlock(label=_("Content"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout_block.html"
        description = _("Highlights a tip, a warning or a free-service policy.")
        preview_value = {
            "kind": "policy",
            "title": "免费服务",
            "text": "<p>计划怀孕夫妇可免费享受孕前优生健康检查。</p>",
        }


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote_block.html"
        description = _("An expert's or a document's own words, with the source.")
        preview_value = {"quote": "出生缺陷防治关口前移。", "attribution": "出生缺陷防治能力提升计划"}


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul", "ol"])


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, default="常见问题")
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions and answers"))

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "blocks/faq_block.html"
        description = _("Expandable questions and answers; no script needed.")
        preview_value = {
            "title": "常见问题",
            "items": [{"question": "婚检收费吗？", "answer": "<p>多数地区婚前医学检查免费。</p>"}],
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    title = blocks.CharBlock(label=_("Display name"), required=False, max_length=120)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "blocks/document_block.html"
        description = _("A downloadable file, shown with its format and size.")


class VideoEmbedBlock(blocks.StructBlock):
    url = EmbedBlock(label=_("Video URL"))
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Embedded video")
        template = "blocks/video_embed_block.html"
        description = _("A video from an external platform, with its transcript.")


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Body"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4", "document-link"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    faq = FaqBlock()
    document = DocumentBlock()
    video = VideoEmbedBlock()
