# Production server settings for SafeReport (see docs/operations.md).
# Start with:  gunicorn -c gunicorn.conf.py safereport.wsgi
#
# The access log records the request line, status, size and duration only:
# never the client address, user agent, referer or any header. The custom
# logger also scrubs addresses from gunicorn's own error messages.
import os

from safereport.conf import web_workers

bind = os.environ.get("SAFEREPORT_BIND", "127.0.0.1:8000")
# More than one worker needs REDIS_URL: production refuses a per-process store.
workers = web_workers()
# Load the application (and every view) once in the master, before forking.
preload_app = True
logger_class = "safereport.gunicorn_logging.PrivateLogger"
accesslog = "-"
errorlog = "-"
access_log_format = '"%(r)s" %(s)s %(B)s %(L)ss'
# Do not trust X-Forwarded-For for anything; the app strips it anyway.
forwarded_allow_ips = os.environ.get("SAFEREPORT_TRUSTED_PROXIES", "")
proxy_allow_ips = ""
