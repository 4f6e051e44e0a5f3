"""Settings for the test suite: the real databases, cheap hashing, tasks run at once."""

import os

os.environ.setdefault("IRONTRIANGLE_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))
os.environ.setdefault("IRONTRIANGLE_SECRET_KEY", "test-only-secret-key-not-for-deployment-0123456789abcdef")

from irontriangle.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
IRONTRIANGLE_WEBHOOK_TIMEOUT = 5
LOGGING = {"version": 1, "disable_existing_loggers": False}

# WhiteNoise looks for the collected files at start-up; tests serve from the app folders instead.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: tests then see SQLite as deployments do (WAL, locking between connections).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-irontriangle.sqlite3")}  # noqa: F405
