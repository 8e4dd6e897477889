from wagtail.admin.forms import WagtailAdminPageForm


class FAQPageForm(WagtailAdminPageForm):
    """The category select offers the page's own locale only: a French page, French names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("category")
        locale_id = self.instance.locale_id
        if field is None or locale_id is None:
            return
        field.queryset = field.queryset.filter(locale_id=locale_id)
        category = self.instance.category
        if not self.is_bound and category and category.locale_id != locale_id:
            # A page copied for translation still points at the original's category.
            translation = category.get_translation_or_none(self.instance.locale)
            self.initial["category"] = translation.pk if translation else None
