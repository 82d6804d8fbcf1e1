#!/bin/sh
# The image's entrypoint: one image, one role per container, chosen by the first argument.
#   web       gunicorn serving Django (deploy/gunicorn.conf.py), metrics exporter on its own port
#   worker    a Celery worker, metrics exporter on its own port
#   beat      Celery beat (run exactly one)
#   migrate   shared schema, central IT and template, then every agency schema (resumable)
#   manage    python manage.py ARGS...   (e.g. onboard_agency, createsuperuser)
#   anything else is run as given (e.g. sh for debugging)
set -eu

# In multi-process mode prometheus-client writes one file per process here; stale files from
# an earlier container in the same pod would add old counts, so each server starts afresh.
reset_metrics_dir() {
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
        rm -rf "${PROMETHEUS_MULTIPROC_DIR}"
        mkdir -p "${PROMETHEUS_MULTIPROC_DIR}"
    fi
}

here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."  # the application's root (/app in the image), where manage.py lives
role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
    web)
        reset_metrics_dir
        exec gunicorn --config "$here/gunicorn.conf.py" "$@" config.wsgi:application
        ;;
    worker)
        reset_metrics_dir
        exec celery --app config.celery worker \
            --loglevel "${LOG_LEVEL:-INFO}" \
            --concurrency "${CELERY_CONCURRENCY:-2}" \
            --without-mingle --without-gossip "$@"
        ;;
    beat)
        # PROMETHEUS_MULTIPROC_DIR is unset: beat exports nothing and keeps no metrics files.
        unset PROMETHEUS_MULTIPROC_DIR
        exec celery --app config.celery beat \
            --loglevel "${LOG_LEVEL:-INFO}" \
            --schedule /tmp/celerybeat-schedule "$@"
        ;;
    migrate)
        unset PROMETHEUS_MULTIPROC_DIR
        python manage.py migrate_schemas --shared --noinput
        python manage.py setup_federation
        exec python manage.py migrate_schemas --tenant --executor=multiprocessing --noinput
        ;;
    manage)
        unset PROMETHEUS_MULTIPROC_DIR
        exec python manage.py "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
