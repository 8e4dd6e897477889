from django.conf import settings
from django_tasks import task

from ticketing.services.email_out import deliver_email_message


@task(queue_name="email", backend=settings.EMAIL_TASK_BACKEND)
def send_email_message(message_pk: int) -> None:
    deliver_email_message(message_pk)
