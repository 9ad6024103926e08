"""``camket serve``: the round in a browser for the organizing department, and a personal
upload page for every office. Built on Starlette, Jinja2 and uvicorn; every asset (htmx
included) is served by camket itself, so it works with no internet.

- :func:`create_app` makes the application over a workspace (:class:`WebConfig`: the token,
  upload limits, how long uploads wait for the workspace lock);
- :func:`serve` runs it with uvicorn;
- the library does the work: pages call :class:`camket.Workspace` and never recompute a figure.

Imported only by ``camket serve`` (never by ``import camket``), so the command line stays fast.
"""

from .app import create_app, serve
from .security import new_token
from .site import WebConfig
from .uploads import UploadLimits

__all__ = ["UploadLimits", "WebConfig", "create_app", "new_token", "serve"]
