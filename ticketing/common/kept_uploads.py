"""A file an agent chose, kept on the server while the rest of its form is corrected.

Browsers cannot refill a file input, so a form that fails for another reason (a missing
title) would make the agent choose the file again. The file is kept in Wagtail's own
temporary store (`UploadedFile`, what its multiple uploader uses for the same purpose) and the
form carries a signed reference to it that only its uploader can redeem.
"""

import datetime
import os

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files import File
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import UploadedFile

SALT = "ticketing.kept-upload"
KEPT_FOR = datetime.timedelta(days=1)


def _uploads_of(user):
    document_type = ContentType.objects.get_for_model(get_document_model())
    return UploadedFile.objects.filter(for_content_type=document_type, uploaded_by_user=user)


def keep_upload(uploaded_file, user) -> UploadedFile:
    """Store `uploaded_file` for `user`; their kept files older than a day are dropped."""
    # Kept files are not listed anywhere: nothing else would ever remove a forgotten one.
    for upload in _uploads_of(user):
        if _is_stale(upload):
            discard_upload(upload)
    upload = UploadedFile.objects.create(
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
        file=uploaded_file,
        uploaded_by_user=user,
    )
    # The storage may rename the file to keep it unique: the agent chose this name.
    upload.original_name = os.path.basename(uploaded_file.name)
    return upload


def _is_stale(upload: UploadedFile) -> bool:
    # UploadedFile has no timestamp: the file's own modification time tells its age.
    try:
        modified = upload.file.storage.get_modified_time(upload.file.name)
    except (OSError, NotImplementedError):
        return False
    return modified < timezone.now() - KEPT_FOR


def upload_reference(upload: UploadedFile) -> str:
    return signing.dumps([upload.pk, upload.original_name], salt=SALT)


def kept_upload(reference: str, user) -> UploadedFile | None:
    """The file `reference` points to, if `user` kept it less than a day ago."""
    if not reference:
        return None
    try:
        pk, name = signing.loads(reference, salt=SALT, max_age=KEPT_FOR)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    upload = _uploads_of(user).filter(pk=pk).first()
    if upload:
        upload.original_name = name
    return upload


def kept_file_name(upload: UploadedFile) -> str:
    return upload.original_name


def open_kept_file(upload: UploadedFile) -> File:
    """The kept file, ready to be saved again as a document."""
    return File(upload.file.open("rb"), name=kept_file_name(upload))


def discard_upload(upload: UploadedFile) -> None:
    upload.file.delete(save=False)
    upload.delete()
