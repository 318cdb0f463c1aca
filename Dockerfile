# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Pango/HarfBuzz and Arabic fonts for WeasyPrint's PDFs; gettext for compilemessages.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig \
      fonts-noto-core fonts-hosny-amiri gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN DJANGO_DEBUG=False DJANGO_SECRET_KEY=build-only NETWORK_SHARED_SECRET=build-only python manage.py collectstatic --noinput -v0 \
 && DJANGO_DEBUG=False DJANGO_SECRET_KEY=build-only NETWORK_SHARED_SECRET=build-only python manage.py compilemessages -l ar -v0 \
 && useradd --system --uid 1000 --home /app portal && mkdir -p /app/var/media \
 && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
