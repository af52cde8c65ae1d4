"""The bureau's page: received forms (several files, or a zip of them) re-checked into the review workbook and each
unit's 复核意见 (a Word letter to download), the findings listed; only the bureau's account reaches it."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ..errors import InputError, Location, Problem
from ..limits import MAX_FORM_UNPACKED, MAX_UPLOAD_BYTES
from ..write import replace_file
from .accounts import Account
from .auth import bureau
from .jobs import Job, owned, start
from .pages import page, render
from .unit_page import download
from .units import FORMS, frameworks
from .uploads import Saved, save_uploads, unzipped

ZIP = ".zip"

router = APIRouter()


@router.get("/bureau", response_class=HTMLResponse)
def bureau_page(request: Request, account: Account = Depends(bureau)) -> Response:
    return page(request, "bureau.html", title="财政部门复核", frameworks=frameworks(request.app.state.settings.root),
                accepted=", ".join(FORMS + (ZIP,)))


@router.post("/bureau/review", response_class=HTMLResponse)
async def review_forms(request: Request, files: list[UploadFile] = File(default=[]), framework: str = Form(""),
                       account: Account = Depends(bureau)) -> Response:
    root = request.app.state.settings.root
    scratch = Path(tempfile.mkdtemp(prefix="selfeval-review-"))
    try:
        if framework and framework not in frameworks(root):
            raise InputError([Problem(Location("", key="评价体系"), "没有这个评价体系", framework, "、".join(frameworks(root)))])
        uploaded = await save_uploads(files, scratch, FORMS + (ZIP,), MAX_UPLOAD_BYTES)
        forms: list[Saved] = []
        for one in uploaded:
            forms += unzipped(one.path, one.path.parent, FORMS, MAX_FORM_UNPACKED) if one.path.suffix.lower() == ZIP else [one]
        if not forms:
            raise InputError([Problem(Location(""), "没有可复核的自评表", hint="可上传：" + "、".join(FORMS) + " 或其 zip 压缩包")])
    except InputError as error:
        shutil.rmtree(scratch, ignore_errors=True)
        return HTMLResponse(render(request, "problems.html", problems=error.problems, title="未复核", failure=""))

    def work(job: Job) -> dict:
        from ..importer.review import REVIEW_FILE, desk, review_alone, workbook
        from ..importer.review_folder import Settings
        from ..importer.review_notice import by_unit, notices
        at = desk(root, framework or None, Settings())
        job.total, reviewed = len(forms) + 1, []
        try:
            for number, one in enumerate(forms, 1):
                job.step = f"复核《{one.shown}》"
                reviewed += review_alone(root, one.path, at)
                job.done = number
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        job.step = "写出复核汇总工作簿和各单位的复核意见"
        data = b"".join(workbook(reviewed, None))
        replace_file(root / "output" / REVIEW_FILE, data)
        letters = [(path.name, path.read_bytes()) for path in notices(root, by_unit(reviewed), at.settings)]
        job.done = job.total
        return {"workbook": data, "reviewed": reviewed, "notices": letters,
                "links": [("下载 复核汇总.xlsx", f"/jobs/{job.id}/review.xlsx")] +
                         [(f"下载 复核意见：{name}", f"/jobs/{job.id}/notices/{number}")
                          for number, (name, _) in enumerate(letters)]}
    job = start(request.app.state.jobs, account.name, f"复核 {len(forms)} 份表格", work, len(forms))
    return HTMLResponse(render(request, "job.html", job=job))


@router.get("/jobs/{job_id}/review.xlsx")
def review_workbook(request: Request, job_id: str, account: Account = Depends(bureau)) -> Response:
    job = owned(request.app.state.jobs, job_id, account.name)
    if job is None or not isinstance(job.result, dict) or "workbook" not in job.result:
        raise HTTPException(404, "没有这份复核结果")
    return download(job.result["workbook"], "复核汇总.xlsx")




@router.get("/jobs/{job_id}/notices/{number}")
def review_notice(request: Request, job_id: str, number: int, account: Account = Depends(bureau)) -> Response:
    """One unit's 复核意见 from the job that wrote it: a number into the job's own list, never a name from the request."""
    job = owned(request.app.state.jobs, job_id, account.name)
    letters = job.result.get("notices", []) if job is not None and isinstance(job.result, dict) else []
    if not 0 <= number < len(letters):
        raise HTTPException(404, "没有这份复核意见")
    name, data = letters[number]
    return download(data, name)
