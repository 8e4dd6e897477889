from wagtail.snippets.models import register_snippet

from ticketing.desk.menus import MENU_GROUPS

for _group in MENU_GROUPS:
    register_snippet(_group)
