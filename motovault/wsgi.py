"""
WSGI config for motovault project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motovault.settings")

application = get_wsgi_application()

# The page cache's release digest reads the code and the installed packages (about 0.1 s): once,
# as the worker starts, rather than in its first request.
from motovault.pagecache import release  # noqa: E402

release()
