"""The French tree of the public site: a French home and FAQ index, translations of the English.

Wagtail's Translate action only offers a locale whose parent page exists in it, and marketers
may not translate the home page: without these two pages no FAQ answer could become French.
Only on a site laid out by 0002 (an English home with its FAQ index); otherwise nothing moves.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's materialised path, 4 per level
STEP = 4


def next_path(last_path: str) -> str:
    prefix, step = last_path[:-STEP], last_path[-STEP:]
    value = int(step, 36) + 1
    digits = ""
    while value:
        value, digit = divmod(value, 36)
        digits = ALPHABET[digit] + digits
    return prefix + digits.rjust(STEP, "0")


def create_french_site(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("faq", "HomePage")
    FAQIndexPage = apps.get_model("faq", "FAQIndexPage")

    english = Locale.objects.filter(language_code="en").first()
    french = Locale.objects.filter(language_code="fr").first()
    home = HomePage.objects.filter(locale=english, depth=2).order_by("path").first()
    if english is None or french is None or home is None:
        return
    index = FAQIndexPage.objects.filter(locale=english, path__startswith=home.path,
                                        depth=3).order_by("path").first()  # fmt: skip
    translated = Page.objects.filter(locale=french, translation_key__in=[
        home.translation_key, index.translation_key if index else None])  # fmt: skip
    if index is None or translated.exists():
        return

    root = Page.objects.get(depth=1)
    last = Page.objects.filter(depth=2).order_by("-path").values_list("path", flat=True)[0]
    french_home = HomePage.objects.create(
        title="Centre d'aide", draft_title="Centre d'aide", slug=f"{home.slug}-fr",
        content_type_id=home.content_type_id, path=next_path(last), depth=2, numchild=1,
        url_path=f"/{home.slug}-fr/", locale=french, live=True,
        translation_key=home.translation_key,
        intro="<p>Les réponses aux questions que nos clients posent le plus.</p>",
    )  # fmt: skip
    Page.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    FAQIndexPage.objects.create(
        title="Questions fréquentes", draft_title="Questions fréquentes", slug=index.slug,
        content_type_id=index.content_type_id, path=french_home.path + "0001", depth=3,
        numchild=0, url_path=f"{french_home.url_path}{index.slug}/", locale=french, live=True,
        translation_key=index.translation_key, intro=index.intro,
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("faq", "0002_site_pages_locales")]

    operations = [migrations.RunPython(create_french_site, migrations.RunPython.noop)]
