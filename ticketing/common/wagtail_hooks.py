from wagtail import hooks

from ticketing.common.views.bulk_action_guard import guard_every_bulk_action
from ticketing.common.views.documents import refuse_restricted_document

# Every model's bulk actions, Wagtail's own included, refuse users without the permission.
guard_every_bulk_action()

# Before Wagtail's own check (order 0), which answers with its unstyled login form.
hooks.register("before_serve_document", refuse_restricted_document, order=-1)
