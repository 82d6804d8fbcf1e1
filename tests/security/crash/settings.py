"""Settings of the crash scenario's processes (the worker and the driver): the test settings,
with mail written to files (SAMNAV_CRASH_MAIL_DIR) so that every process's mail can be
counted, and a short Redis visibility timeout so that a task whose worker was killed is
delivered again within seconds (the default is an hour)."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("SAMNAV_CRASH_MAIL_DIR", "/tmp/samnav-crash-mail")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("SAMNAV_CRASH_QUEUE", "celery")
