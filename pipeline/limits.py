"""The budget of one run, defined once: how big a unit's files may be, how deep its YAML, how many rows its tables,
how long a run waits for another run of the same unit. A unit's files are untrusted: past a limit the run stops
with a message naming the file and the limit, before the machine is exhausted.

This is the one table of limits: each line a value and, after it, the reason for it. No other module defines a
limit of its own (tests/test_limits_table.py walks the package's syntax trees)."""
from __future__ import annotations

# files a unit supplies
MAX_TEXT_BYTES = 5 * 2**20  # unit.yaml, a framework or a CSV table: 5 MB (real ones are a few KB)
MAX_WORKBOOK_BYTES = 20 * 2**20  # 数据.xlsx as stored: 20 MB
MAX_WORKBOOK_UNPACKED = 200 * 2**20  # the parts of 数据.xlsx unpacked: 200 MB (a zip bomb stops here)
MAX_TEMPLATE_BYTES = 2**20  # one template or stylesheet: 1 MB (the default report template is about 10 KB)
MAX_WORD_FILE_BYTES = 20 * 2**20  # a reference.docx or form, stored and unpacked: 20 MB (the default form is 30 KB)
MAX_ROWS = 10_000  # data rows of one table: CSV, sheet, or all the tables of an imported Word form together
MAX_COLUMNS = 200  # columns of one table
MAX_CELL_CHARS = 32_767  # characters in one cell, as in Excel
MAX_MERGED_CELLS = 1_000_000  # cells a workbook's merged ranges cover, all sheets together (openpyxl makes each one)
MAX_YAML_DEPTH = 50  # nested lists and mappings in one YAML file
MAX_YAML_NODES = 100_000  # values in one YAML file, every alias counted as the values it repeats
MAX_FORMULA_CHARS = 300  # characters of a framework's formula: bureaus' measures are a handful of terms
MAX_FORMULA_NODES = 60  # nodes of a formula's tree, so that no formula can exhaust the parser or the evaluator
MAX_FACT = 10**12  # a target, actual value or amount: 1 000 000 000 000 (万元 or 元), far above any real figure
MAX_FACT_PLACES = 10  # its decimal places: a ratio of two of them still fits Decimal's 28 digits
MAX_PLACES = 4  # decimals an amount is printed and added up with (万元: 2, or 3–4 where the source keeps 千元 to 元)

# forms brought in by make import and make review
MAX_FORM_UNPACKED = 64 * 2**20  # a .docx/.xlsx form unpacked: a form with a picture or two is a few MB
MAX_FORM_CELLS = 200_000  # cells a form's sheet claims: a form has hundreds; millions are refused unread
MAX_WORD_TABLE_COLUMNS = 63  # columns of a table in a Word form: Word's own limit
MAX_PDF_PAGES = 50  # pages of a PDF form: a form is a page or three
CONVERT_SECONDS = 120  # LibreOffice turning one old .doc/.xls form into .docx/.xlsx: a form converts in a few seconds

# what a unit's templates may build (report/budget.py, report/sandbox.py)
MAX_TEMPLATE_TEXT = 1_000_000  # characters (or items) of any text or list a template builds, the whole report included
MAX_TEMPLATE_DATA = 32_000_000  # of the data a template is given, what MAX_TEMPLATE_TEXT is raised by (2,000 leaves: 21 million)
MAX_TEMPLATE_STEPS = 1_000_000  # loop turns and calls in all the templates of one run; a real report takes a few thousand
RENDER_SECONDS = 30  # time spent rendering templates in one run; a real report takes well under a second
MAX_POWER = 10**12  # the largest result of ** in a template
MAX_INT_BITS = 1024  # the largest integer a product in a template may give (about 300 digits)
MAX_MARKDOWN_NESTING = 8  # nested [ ], > quotes or list levels in the report's Markdown (pandoc backtracks on each)
MAX_MARKDOWN_TREE_DEPTH = 150  # depth of pandoc's syntax tree read back (three levels a nesting, with room to spare)

# time and memory of a run and of the programs it starts
LOCK_WAIT_SECONDS = 60  # how long a run waits while another run writes the same unit's output
RUN_SECONDS = 60  # one unit's run: templates, pandoc, charts, the 自评表 (--time-limit or REPORT_TIME_LIMIT change it)
RUN_SECONDS_ENV = "REPORT_TIME_LIMIT"  # the environment setting for RUN_SECONDS, in seconds
REPEAT_SECONDS = 0.05  # once a run is out of time, its alarm rings again this often until the run has stopped
WATCHDOG_GRACE_SECONDS = 10  # past its budget (and at most the budget again), a run stuck outside Python ends its process
CHILD_MEMORY = 2 * 2**30  # address space of one pandoc or LibreOffice process: 2 GB (a report needs about 300 MB)
WORKER_MEMORY = 6 * 2**30  # address space of a process running units (the command, a batch worker, a web job): 6 GB (a unit needs about 400 MB)
CHILD_SECONDS = RUN_SECONDS  # a pandoc or LibreOffice run outside any unit's budget (a batch's PDFs: this per report)

# what a process remembers between the units of a batch: units with files of their own cannot grow it without bound
MAX_REMEMBERED_PACKAGES = 16  # verdicts on Word packages (a batch checks the default form once)
MAX_REMEMBERED_TEMPLATES = 512  # compiled report templates
MAX_REMEMBERED_FORM_TEXTS = 16  # compiled texts of a form's parts
MAX_REMEMBERED_TABLES = 64  # tables' planned column widths (the web app's preview shows the same score table each edit)
REMEMBERED_TABLE_CHARS = 50_000  # the most text of a table whose widths are remembered: the memory stays under a few MB
MAX_REMEMBERED_CELL_TEXTS = 4096  # line-break pieces of short texts (a table's cells are measured four times a report)
REMEMBERED_TEXT_CHARS = 80  # the longest such text: the memory stays under a few MB
MAX_REMEMBERED_LINE_ENDS = 16384  # such a text at a width in a form: whether a line ends on one character (a few MB)
REMEMBERED_PART_BYTES = 2**20  # the largest Word part whose scan is remembered (word/inert.py)
MAX_REMEMBERED_SCANS = 16  # big Word parts whose scan for fields and addresses is kept (word/inert.py)
REMEMBERED_SCAN_BYTES = 2**16  # the smallest such part: a smaller one is scanned again sooner than remembered
MAX_REMEMBERED_FOOTERS = 16  # page-number paragraphs, by side and footer style id

# what the program writes
MAX_CHART_LINES = 12  # bars of one execution chart, so that it fits on an A4 page with last year's beside; past it 其他
MAX_TITLE_PIECES = 14  # a title cut into more words is balanced over its first ones only (2^13 trials at most)
MAX_DROPDOWN_CHARS = 255  # Excel's limit on a dropdown list written in the validation rule itself
MAX_PROMPT_CHARS = 255  # Excel's limit on a cell's input message


# the web app
MAX_UPLOAD_BYTES = 50 * 2**20  # one request to the web app, all its files together: 50 MB (a zip of many forms)
MAX_UPLOAD_FILES = 200  # files in one upload or one zip of received forms
MAX_ZIP_UNPACKED = 500 * 2**20  # a zip of received forms unpacked: 500 MB (each form is then held to its own limits)
SESSION_SECONDS = 8 * 3600  # a sign-in to the web app lasts a working day
MIN_PASSWORD = 8  # characters: a shorter password is refused when an account is added

# a Dask cluster, and the LibreOffice kept running for PDFs
CONNECT_SECONDS = 30  # reaching a scheduler: past this it is reported unreachable
MARGIN_SECONDS = 30  # past a unit's own budget: the scheduler's queue, a worker's start, the result's trip back
CONVERTER_START_SECONDS = 90  # unoserver waits 7 s by itself before it answers; a loaded machine takes longer

# the review's notices
MAX_NOTICE_NAME = 60  # characters of a unit's name in its notice's file name
MAX_NOTICE_LISTED = 30  # problems listed in one notice; the rest are in 复核汇总.xlsx

# the web app's forms
MAX_PARTICULAR_CHARS = 300  # one of a unit's particulars (名称, 评价通知…): a long 通知 title fits, a pasted page does not


def size_text(count: int) -> str:
    """A byte count as people read it: 6 GB, 5 MB, 300 KB."""
    for unit, power in (("GB", 30), ("MB", 20), ("KB", 10)):
        if count >= 2**power:
            return f"{count / 2**power:g} {unit}"
    return f"{count} 字节"
