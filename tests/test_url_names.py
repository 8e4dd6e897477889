"""No admin URL is spelt by hand: code and templates go through the viewsets' own URL names
(`Model.snippet_viewset.get_url_name`, the `viewset_url` tag, AdminURLFinder), tests through
tests/admin_urls.py. A renamed viewset or app label then breaks nothing silently."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# URL names Wagtail derives from an app label and a model name, the ticket viewset's namespace,
# and the admin paths that follow from them.
BY_HAND = re.compile(
    r"""wagtailsnippets_\w|wagtailsnippetchoosers_\w|["']ticketing_ticket:|/admin/snippets/"""
    r"""|["']wagtail_bulk_action["']"""
)
SOURCES = [
    *sorted((ROOT / "ticketing").rglob("*.py")),
    *sorted((ROOT / "templates").rglob("*.html")),
    *sorted(path for path in (ROOT / "tests").rglob("*.py") if path.name != "admin_urls.py"),
]
ALLOWED = {
    # Wagtail's own bulk-action URL takes the label and model name Wagtail hands the tag.
    "ticketing/common/templatetags/guichet_bulk_actions.py",
    Path(__file__).relative_to(ROOT).as_posix(),
}


def test_no_admin_url_is_spelt_by_hand():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SOURCES
        if path.relative_to(ROOT).as_posix() not in ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if BY_HAND.search(line)
    ]
    assert not found, "\n".join(found)
