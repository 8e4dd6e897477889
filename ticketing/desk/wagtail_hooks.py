from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from ticketing.desk import home_panels, urls
from ticketing.desk.menus import MENU_GROUPS
from ticketing.desk.saved_views import saved_views_panels
from ticketing.tickets.extensions import TICKET_LISTING_PANELS

for _group in MENU_GROUPS:
    register_snippet(_group)

hooks.register(TICKET_LISTING_PANELS, saved_views_panels)
hooks.register("construct_homepage_panels", home_panels.add_queue_panels)
hooks.register("construct_homepage_summary_items", home_panels.replace_page_summary, order=1000)


@hooks.register("register_admin_urls")
def register_desk_urls() -> list:
    return [path("desk/", include((urls, "desk"), namespace="desk"))]
