"""Admin URLs by the viewset's own URL names, never a name spelt out in a template."""

from django import template
from django.contrib.admin.utils import quote
from django.urls import reverse

register = template.Library()


@register.simple_tag
def viewset_url(instance, view: str, *args) -> str:
    """`view` of the snippet viewset of `instance`'s model, for `instance` (then `args`)."""
    url_name = type(instance).snippet_viewset.get_url_name(view)
    return reverse(url_name, args=(quote(instance.pk), *args))
