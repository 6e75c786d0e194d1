"""The one way public forms look: Bootstrap Italia markup from Django's form renderer.

`FORM_RENDERER = "portal.core.forms.BootstrapItaliaFormRenderer"` (settings/base.py) makes every
`{{ form }}` render `templates/forms/form.html` and every `{{ field.as_field_group }}` render
`templates/forms/field.html` (label, widget, help text, errors). Its bound field class adds the
Bootstrap Italia classes to every widget (`form-control`, `form-select`, `form-check-input`, and
`is-invalid` on errors) on top of what Django already adds: `aria-invalid` on errors and
`aria-describedby` naming `<id>_helptext` and `<id>_error`, the ids the field template uses.
Forms therefore declare no CSS classes and templates write no `<input>` by hand.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# Widgets drawn as a group of Bootstrap "form-check" inputs inside a fieldset.
CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class InlineRadioSelect(forms.RadioSelect):
    """Radio buttons side by side (`form-check-inline`), e.g. a 1-5 rating."""

    inline = True


def widget_css_class(widget) -> str:
    """The Bootstrap Italia class of a widget's input ('' for hidden inputs)."""
    if widget.is_hidden:
        return ""
    if isinstance(widget, (forms.CheckboxInput, *CHOICE_WIDGETS)):
        return "form-check-input"
    if isinstance(widget, forms.Select):  # SelectMultiple too
        return "form-select"
    return "form-control"


class BootstrapItaliaBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = widget_css_class(widget)
        if css:
            # attrs["class"] replaces the widget's own class: keep both.
            classes = [*widget.attrs.get("class", "").split(), *attrs.get("class", "").split()]
            classes.append(css)
            if self.errors:
                classes.append("is-invalid")
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs

    @property
    def kind(self) -> str:
        """How the field template draws it: hidden, checkbox, choices or input."""
        widget = self.field.widget
        if widget.is_hidden:
            return "hidden"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, CHOICE_WIDGETS):
            return "choices"
        return "input"


class BootstrapItaliaFormRenderer(TemplatesSetting):
    """Django's renderer reading templates through TEMPLATES (so templates/forms/ is found)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapItaliaBoundField
