"""The formats a build can write, and those it writes unless told: read by the command line without loading the renderer."""
from __future__ import annotations

FORMATS = ("md", "docx", "html", "pdf")
DEFAULT_FORMATS = ("md", "docx")
