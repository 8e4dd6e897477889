from django.apps import AppConfig


class AdminCSPConfig(AppConfig):
    name = "config.admin_csp"
    label = "guichet_admin_csp"
    verbose_name = "Admin content security policy"

    def ready(self) -> None:
        from wagtail.admin.widgets import datetime
        from wagtail.admin.widgets.chooser import BaseChooser

        from config.admin_csp import NONCED_TEMPLATES, context_with_nonce, render_with_nonce

        BaseChooser.render = render_with_nonce(BaseChooser.render)
        for name, template_name in NONCED_TEMPLATES.items():
            widget = getattr(datetime, name)
            widget.template_name = template_name
            widget.get_context = context_with_nonce(widget.get_context)
