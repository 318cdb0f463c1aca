from django import template

register = template.Library()


@register.filter
def anchor_id(bound_field) -> str:
    """The id to link an error to: the field's own input, or the first of its inputs (radio
    buttons and multi-part fields such as the phone number have no single labelled input)."""
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"
