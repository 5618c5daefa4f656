"""The app as production serves it, plus one benchmark-only page: the framework's ceiling."""

import os

from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motovault.settings")
settings.ROOT_URLCONF = "bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from motovault.pagecache import release  # noqa: E402

release()  # as motovault/wsgi.py does
