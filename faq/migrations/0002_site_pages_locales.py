"""The public site: French beside English, a home page with the FAQ under it.

Who may edit it is granted by the help desk with its roles: the FAQ knows no role.

Pages are created the way Wagtail's project template does it (historical models, explicit
tree paths), and only on a fresh site: if the default welcome page was replaced, nothing moves.
"""

from django.db import migrations

HOME_PATH = "00010001"
FAQ_PATH = HOME_PATH + "0001"
FAQ_CATEGORIES = [
    ("General question", "Question générale"),
    ("Technical problem", "Problème technique"),
    ("Billing", "Facturation"),
    ("Delivery", "Livraison"),
    ("Product defect", "Défaut produit"),
    ("Account access", "Accès au compte"),
]
PAGE_PERMISSIONS = {
    "Marketers": ["add_page", "change_page", "publish_page"],
    "Support managers": ["add_page", "change_page", "publish_page"],
    # Agents write answers from tickets; a marketer or manager publishes them.
    "Support agents": ["add_page", "change_page"],
}

def create_site(apps, schema_editor):
    import uuid

    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("faq", "HomePage")
    FAQIndexPage = apps.get_model("faq", "FAQIndexPage")
    FAQCategory = apps.get_model("faq", "FAQCategory")

    english, _ = Locale.objects.get_or_create(language_code="en")
    french, _ = Locale.objects.get_or_create(language_code="fr")
    for name, name_fr in FAQ_CATEGORIES:
        key = uuid.uuid4()
        if not FAQCategory.objects.filter(name=name, locale=english).exists():
            FAQCategory.objects.create(name=name, locale=english, translation_key=key)
            FAQCategory.objects.create(name=name_fr, locale=french, translation_key=key)

    welcome = Page.objects.filter(
        path=HOME_PATH, content_type__app_label="wagtailcore", content_type__model="page"
    ).first()
    if welcome is None or welcome.numchild or Page.objects.filter(depth=2).count() != 1:
        return  # not a fresh site: leave its pages alone
    welcome.delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="faq", model="homepage")
    index_type, _ = ContentType.objects.get_or_create(app_label="faq", model="faqindexpage")
    home = HomePage.objects.create(
        title="Help centre", draft_title="Help centre", slug="home", content_type=home_type,
        path=HOME_PATH, depth=2, numchild=1, url_path="/home/", locale=english, live=True,
        intro="<p>Answers to the questions our customers ask most.</p>",
    )  # fmt: skip
    FAQIndexPage.objects.create(
        title="Frequently asked questions", draft_title="Frequently asked questions",
        slug="faq", content_type=index_type, path=FAQ_PATH, depth=3, numchild=0,
        url_path="/home/faq/", locale=english, live=True,
    )  # fmt: skip
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page_id": home.pk, "site_name": "Guichet"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_site, migrations.RunPython.noop)]
