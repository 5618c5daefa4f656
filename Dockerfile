FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings but no real secret, database or cache.
RUN SECRET_KEY=collectstatic-only ENV_FILE=/dev/null python manage.py collectstatic --noinput -v0

RUN useradd --create-home --uid 1000 motovault
# MEDIA_ROOT: compose mounts a named volume here, which takes this directory's owner.
RUN mkdir -p /app/media && chown motovault /app/media
USER motovault

EXPOSE 8000
CMD ["gunicorn", "motovault.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
