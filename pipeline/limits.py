"""The budget of one run, defined once: how big a unit's files may be, how deep its YAML, how many rows its tables,
how long a run waits for another run of the same unit. A unit's files are untrusted: past a limit the run stops
with a message naming the file and the limit, before the machine is exhausted."""
from __future__ import annotations

MAX_TEXT_BYTES = 5 * 2**20  # unit.yaml, a framework or a CSV table: 5 MB (real ones are a few KB)
MAX_WORKBOOK_BYTES = 20 * 2**20  # 数据.xlsx as stored: 20 MB
MAX_WORKBOOK_UNPACKED = 200 * 2**20  # the parts of 数据.xlsx unpacked: 200 MB (a zip bomb stops here)
MAX_ROWS = 10_000  # data rows of one table, CSV or sheet
MAX_COLUMNS = 200  # columns of one table
MAX_CELL_CHARS = 32_767  # characters in one cell, as in Excel
MAX_YAML_DEPTH = 50  # nested lists and mappings in one YAML file
MAX_YAML_NODES = 100_000  # values in one YAML file, every alias counted as the values it repeats
LOCK_WAIT_SECONDS = 60  # how long a run waits while another run writes the same unit's output
RUN_SECONDS = 60  # one unit's run: templates, pandoc, charts, the 自评表 (--time-limit or REPORT_TIME_LIMIT change it)
RUN_SECONDS_ENV = "REPORT_TIME_LIMIT"  # the environment setting for RUN_SECONDS, in seconds
CHILD_MEMORY = 2 * 2**30  # address space of one pandoc or LibreOffice process: 2 GB (a report needs about 300 MB)
WORKER_MEMORY = 6 * 2**30  # address space of one make-all worker process: 6 GB (a unit needs about 400 MB)
CHILD_SECONDS = RUN_SECONDS  # a pandoc or LibreOffice run outside any unit's budget (a batch's PDFs: this per report)
MAX_MARKDOWN_NESTING = 8  # nested [ ], > quotes or list levels in the report's Markdown (pandoc backtracks on each)
MAX_MERGED_CELLS = 1_000_000  # cells a workbook's merged ranges cover, all sheets together (openpyxl makes each one)
MAX_FACT = 10**12  # a target or actual value of an indicator: as large as an amount may be
MAX_FACT_PLACES = 10  # its decimal places: a ratio of two of them still fits Decimal's 28 digits
MAX_CHART_LINES = 12  # bars of one execution chart, so that it fits on an A4 page with last year's beside; past it 其他


def size_text(count: int) -> str:
    """A byte count as people read it: 5 MB, 300 KB."""
    return f"{count / 2**20:g} MB" if count >= 2**20 else f"{count / 2**10:g} KB" if count >= 2**10 else f"{count} 字节"
MAX_UPLOAD_BYTES = 50 * 2**20  # one request to the web app, all its files together: 50 MB (a zip of many forms)
MAX_UPLOAD_FILES = 200  # files in one upload or one zip of received forms
MAX_ZIP_UNPACKED = 500 * 2**20  # a zip of received forms unpacked: 500 MB (each form is then held to its own limits)
SESSION_SECONDS = 8 * 3600  # a sign-in to the web app lasts a working day
