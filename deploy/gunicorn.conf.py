"""gunicorn settings for the web container (deploy/entrypoint.sh web), from the environment.

Behind the Ingress: TLS ends at the ingress controller, which sets X-Forwarded-*; only the
ingress controller can reach the pods (NetworkPolicy), so forwarded headers are trusted.
The master process runs the Prometheus exporter (SAMNAV_METRICS_PORT), summing the files
that every worker writes to PROMETHEUS_MULTIPROC_DIR.
"""

import os

bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 75  # longer than the ingress controller's upstream keep-alive
# Recycle workers now and then, staggered, to bound slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The root filesystem is read-only: heartbeats in /tmp (an emptyDir), no control socket.
worker_tmp_dir = "/tmp"  # noqa: S108
control_socket_disable = True
forwarded_allow_ips = "*"
accesslog = None  # Samnav logs one structured line a request itself (config/observability.py)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
if os.environ.get("LOG_FORMAT", "json") == "json":
    # gunicorn's own lines (start, worker restarts, timeouts) as JSON like the application's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.observability.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            # No access log: Samnav logs each request itself, with agency and request id.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }


def when_ready(server):
    port = os.environ.get("SAMNAV_METRICS_PORT")
    if port:
        from config.observability import serve_metrics

        serve_metrics(int(port), os.environ.get("SAMNAV_METRICS_ADDR", "0.0.0.0"))  # noqa: S104


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
