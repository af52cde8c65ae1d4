"""One unit's page: its state, its workbook down and up, the narrative, the preview, the full report as a job, and
the report's files. Every path comes from the unit's folder and a fixed list of names, never from the request."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ..errors import InputError, Location, PipelineError, Problem
from ..inputs.files import present, read_input
from ..inputs.kinds import TABLES
from ..inputs.workbook import WORKBOOK_FILES, find_workbook, workbook_tables
from ..limits import MAX_PARTICULAR_CHARS, MAX_WORKBOOK_BYTES, size_text
from ..run import build, output_dir
from . import narrative, unit_fields
from .accounts import Account
from .auth import UnitRef, current, unit_ref
from .jobs import Job, owned, start
from .pages import PREVIEW_POLICY, page, render, secured
from .state import OUTPUTS, Checked, built, outcome
from .uploads import plain_name

KINDS_OF_FILE = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".pdf": "application/pdf", ".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8"}

router = APIRouter()


def download(data: bytes, name: str) -> Response:
    kind = KINDS_OF_FILE.get(Path(name).suffix, "application/octet-stream")
    # text/html as an attachment too: a report is never shown from here with this app's rights
    return Response(data, media_type=kind, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _outcome(request: Request, ref: UnitRef) -> Checked:
    return outcome(request.app.state.cache, request.app.state.settings.root, ref.dept, ref.year, ref.folder)


def status(request: Request, ref: UnitRef, note: str = "") -> HTMLResponse:
    found = _outcome(request, ref)
    return HTMLResponse(render(request, "status.html", ref=ref, found=found, note=note, fragment=True))


@router.get("/u/{dept}/{year}", response_class=HTMLResponse)
def unit_page(request: Request, dept: str, year: str) -> Response:
    ref = unit_ref(request, dept, year)
    found = _outcome(request, ref)
    root = request.app.state.settings.root
    return page(request, "unit.html", title=f"{ref.dept} {ref.year}年度", ref=ref, found=found,
                blocks=narrative.blocks(ref.folder, found.result), particulars=unit_fields.fields(ref.folder),
                most=MAX_PARTICULAR_CHARS,
                built=built(root, ref.dept, ref.year, ref.folder),
                quoted=list(found.result.quoted.values()) if found.result else [], outputs=OUTPUTS)


@router.get("/u/{dept}/{year}/status", response_class=HTMLResponse)
def unit_status(request: Request, dept: str, year: str) -> Response:
    return status(request, unit_ref(request, dept, year))


@router.get("/u/{dept}/{year}/workbook")
def workbook_download(request: Request, dept: str, year: str) -> Response:
    """The unit's own workbook as it stands; made from its framework and CSV files when it has none yet."""
    ref = unit_ref(request, dept, year)
    root = request.app.state.settings.root
    book = find_workbook(ref.folder, f"inputs/{ref.dept}/{ref.year}")
    if book is not None:
        return download(read_input(book, book.name, ref.folder, MAX_WORKBOOK_BYTES), f"{ref.dept}-{ref.year}-数据.xlsx")
    from ..tools.unit_template import filled_blocks, filled_tables, unit_framework, unit_workbook
    try:
        kind, framework = unit_framework(root, ref.folder)
        tables = filled_tables(root, ref.folder)[0]
        data, _ = unit_workbook(kind, framework, tables, filled_blocks(root, ref.folder, tables))
    except PipelineError as error:
        raise HTTPException(422, f"无法生成工作簿：{error.report()}") from None
    return download(data, f"{ref.dept}-{ref.year}-数据.xlsx")


@router.post("/u/{dept}/{year}/workbook", response_class=HTMLResponse)
async def workbook_upload(request: Request, dept: str, year: str, file: UploadFile = File(...)) -> Response:
    """The filled workbook put in place of the unit's (the old one kept in 原数据/), then checked at once."""
    from ..tools.unit_template import blocks_held, place
    ref = unit_ref(request, dept, year)
    shown = f"inputs/{ref.dept}/{ref.year}/{WORKBOOK_FILES[0]}"
    try:
        plain_name(file.filename or "", (".xlsx",))
        data = await file.read(MAX_WORKBOOK_BYTES + 1)
        if len(data) > MAX_WORKBOOK_BYTES:
            raise InputError([Problem(Location(file.filename or ""), f"工作簿超过 {size_text(MAX_WORKBOOK_BYTES)} 的上限")])
        tables, _ = workbook_tables(data, shown)  # a file that is no workbook is refused before it replaces one
        book = find_workbook(ref.folder, f"inputs/{ref.dept}/{ref.year}") or ref.folder / WORKBOOK_FILES[0]
        if book.is_symlink():  # kept aside by copying: a link's target would be copied into the unit
            raise InputError([Problem(Location(shown), "单位的工作簿是一个符号链接，不能替换", hint="请把链接换成文件本身")])
        replaced = [book] if present(book) else []
        replaced += [ref.folder / spec.file for key, spec in TABLES.items()
                     if key in tables and present(ref.folder / spec.file)]
        place(ref.folder, book, data, replaced, blocks_held(tables))
    except InputError as error:
        return HTMLResponse(render(request, "problems.html", problems=error.problems, title="工作簿未保存", failure=""))
    return status(request, ref, f"已保存《{file.filename}》并重新校验")


@router.post("/u/{dept}/{year}/text", response_class=HTMLResponse)
def save_text(request: Request, dept: str, year: str, key: str = Form(...), sub: str = Form(""),
              text: str = Form("")) -> Response:
    ref = unit_ref(request, dept, year)
    found = _outcome(request, ref)
    try:
        narrative.save(ref.folder, key, sub, text, narrative.blocks(ref.folder, found.result))
    except InputError as error:
        return HTMLResponse(render(request, "problems.html", problems=error.problems, title="未保存", failure=""))
    label = f"{key} · {sub}" if sub else key
    return status(request, ref, f"已保存“{label}”")


@router.post("/u/{dept}/{year}/fields", response_class=HTMLResponse)
async def save_fields(request: Request, dept: str, year: str) -> Response:
    ref = unit_ref(request, dept, year)
    form = await request.form()
    try:
        unit_fields.save(ref.folder, {str(k): v for k, v in form.items() if isinstance(v, str)})
    except InputError as error:
        return HTMLResponse(render(request, "problems.html", problems=error.problems, title="未保存", failure=""))
    return status(request, ref, "已保存单位信息")


@router.post("/u/{dept}/{year}/text/preview", response_class=HTMLResponse)
def preview_text(request: Request, dept: str, year: str, text: str = Form("")) -> Response:
    ref = unit_ref(request, dept, year)
    shown = narrative.preview(ref.folder, _outcome(request, ref).result, text)
    return HTMLResponse(render(request, "text_preview.html", shown=shown))


@router.get("/u/{dept}/{year}/preview")
def report_preview(request: Request, dept: str, year: str) -> Response:
    ref = unit_ref(request, dept, year)
    html = _outcome(request, ref).preview
    if html is None:
        return HTMLResponse("<p>单位数据有误，改正后才能预览报告。</p>", status_code=200)
    return secured(HTMLResponse(html), PREVIEW_POLICY)


@router.post("/u/{dept}/{year}/build", response_class=HTMLResponse)
def build_report(request: Request, dept: str, year: str, account: Account = Depends(current)) -> Response:
    ref = unit_ref(request, dept, year)
    root = request.app.state.settings.root
    formats = ("md", "docx", "html") + (("pdf",) if shutil.which("soffice") else ())

    def work(job: Job) -> dict:
        job.total, job.step = 2, "校验、计算并生成 Word、网页" + ("、PDF" if "pdf" in formats else "") + " 和自评表"
        result, written = build(root, ref.dept, ref.year, formats)
        job.done, job.step = 2, "已写入"
        made = {p.name for p in written}
        names = [name for name in OUTPUTS if name in made]
        return {"lines": [f"总分 {result.scores.total}，等级 {result.scores.grade}；可下载 {len(names)} 个文件"],
                "links": [(f"下载 {OUTPUTS[name]}", f"/u/{ref.dept}/{ref.year}/files/{name}") for name in names]}
    job = start(request.app.state.jobs, account.name, f"生成 {ref.dept} {ref.year}年度的报告", work)
    return HTMLResponse(render(request, "job.html", job=job))


@router.post("/u/{dept}/{year}/next", response_class=HTMLResponse)
def roll_over(request: Request, dept: str, year: str) -> Response:
    from ..tools.next_year import next_year
    ref = unit_ref(request, dept, year)
    try:
        created = next_year(request.app.state.settings.root, ref.dept)
    except PipelineError as error:
        return HTMLResponse(render(request, "problems.html", problems=[Problem(Location(""), error.report())],
                                   title="未生成下一年度", failure=""))
    return Response(status_code=204, headers={"HX-Redirect": f"/u/{ref.dept}/{created.folder.name}"})


@router.get("/u/{dept}/{year}/files/{name}")
def report_file(request: Request, dept: str, year: str, name: str) -> Response:
    ref = unit_ref(request, dept, year)
    if name not in OUTPUTS:  # a fixed list: no name from the request becomes a path
        raise HTTPException(404, "没有这个文件")
    folder = output_dir(request.app.state.settings.root, ref.dept, ref.year)
    path = folder / name
    if not path.is_file() or path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
        raise HTTPException(404, "还没有生成这个文件，请先点“生成报告”")
    return download(path.read_bytes(), f"{ref.dept}-{ref.year}-{name}")


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_state(request: Request, job_id: str, account: Account = Depends(current)) -> Response:
    job = owned(request.app.state.jobs, job_id, account.name)
    if job is None:
        raise HTTPException(404, "没有这项任务")
    return HTMLResponse(render(request, "job.html", job=job))
