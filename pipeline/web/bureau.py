"""The bureau's page: received forms (several files, or a zip of them) re-checked into the review workbook, with each
form's 复核意见 listed; only the bureau's account reaches it."""
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
        at = desk(root, framework or None, Settings())
        job.total, reviewed = len(forms) + 1, []
        try:
            for number, one in enumerate(forms, 1):
                job.step = f"复核《{one.shown}》"
                reviewed += review_alone(root, one.path, at)
                job.done = number
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        job.step = "写出复核汇总工作簿"
        data = workbook(reviewed, None)
        replace_file(root / "output" / REVIEW_FILE, data)
        job.done = job.total
        return {"workbook": data, "reviewed": reviewed, "links": [("下载 复核汇总.xlsx", f"/jobs/{job.id}/review.xlsx")]}
    job = start(request.app.state.jobs, account.name, f"复核 {len(forms)} 份表格", work, len(forms))
    return HTMLResponse(render(request, "job.html", job=job))


@router.get("/jobs/{job_id}/review.xlsx")
def review_workbook(request: Request, job_id: str, account: Account = Depends(bureau)) -> Response:
    job = owned(request.app.state.jobs, job_id, account.name)
    if job is None or not isinstance(job.result, dict) or "workbook" not in job.result:
        raise HTTPException(404, "没有这份复核结果")
    return download(job.result["workbook"], "复核汇总.xlsx")


