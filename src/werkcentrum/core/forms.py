"""Forms that render in the house style and are accessible without per-template work."""

from django import forms

WIDGET_CLASSES = {
    forms.Textarea: "textarea",
    forms.Select: "select",
    forms.SelectMultiple: "select",
    forms.CheckboxInput: "",
    forms.RadioSelect: "",
    forms.CheckboxSelectMultiple: "",
    forms.HiddenInput: "",
}


class StyledFormMixin:
    """Adds the design-system class to every widget and links hints and errors to the input
    (aria-describedby, aria-invalid), so screen readers announce them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for cls, c in WIDGET_CLASSES.items() if isinstance(widget, cls)), "input")
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
                field.empty_label = "—"  # the same empty option everywhere
            if field.help_text:
                widget.attrs["aria-describedby"] = (
                    f"{self.auto_id % name if self.auto_id else name}_hint"
                )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                ids = [widget.attrs.get("aria-describedby", ""), f"{self.auto_id % name}_error"]
                widget.attrs["aria-describedby"] = " ".join(i for i in ids if i)
                widget.attrs["aria-invalid"] = "true"
