"""The first page: units and years with their state, a new unit from a framework, units imported from filled forms."""
from __future__ import annotations

import re
import shutil
import tempfile
from html import escape
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ..errors import InputError, Location, PipelineError, Problem, ScaffoldError
from ..importer.importing import READERS
from ..inputs.kinds import KINDS
from ..inputs.load import NAME, available_units
from ..inputs.yaml_files import read_yaml
from ..limits import MAX_FORM_UNPACKED
from ..tools.scaffold import default_year
from .accounts import Account
from .auth import current, unit_ref, visible
from .jobs import Job, start
from .pages import page, render
from .state import built, outcome
from .uploads import save_uploads

FRAMEWORK_LINE = re.compile(r"^评价体系:.*$", re.MULTILINE)
SWITCH_FRAMEWORK = "（表格按另一套评价体系填写时，请在“评价体系”中选择它后重新导入这一份）"
FORMS = tuple(s for s in READERS if s in (".docx", ".xlsx", ".pdf"))  # what is read as it is, no converter run on it

router = APIRouter()


def frameworks(root: Path) -> dict[str, str]:
    """The bureau-wide frameworks by name, each with the report kind it is for (its 适用; "" when unreadable)."""
    folder = root / "inputs" / "frameworks"
    found = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if NAME.fullmatch(path.stem):
            try:
                found[path.stem] = str(read_yaml(path, f"inputs/frameworks/{path.name}", folder).data.get("适用", ""))
            except InputError:
                found[path.stem] = ""
    return found


def problems_fragment(request: Request, problems: list[Problem], title: str = "未完成") -> HTMLResponse:
    return HTMLResponse(render(request, "problems.html", problems=problems, title=title, failure=""))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, account: Account = Depends(current)) -> Response:
    root = request.app.state.settings.root
    units = visible(account, available_units(root))
    return page(request, "index.html", title="绩效自评报告", units=units, account=account,
                frameworks=frameworks(root), kinds=KINDS, year=default_year())


@router.get("/u/{dept}/{year}/state", response_class=HTMLResponse)
def state(request: Request, dept: str, year: str) -> Response:
    ref = unit_ref(request, dept, year)
    root = request.app.state.settings.root
    found = outcome(request.app.state.cache, root, ref.dept, ref.year, ref.folder)
    done = built(root, ref.dept, ref.year, ref.folder)
    score = f"{found.result.scores.total} 分 {found.result.scores.grade}" if found.result else ""
    text = "、".join(filter(None, [found.state, score, "报告已生成" if "report.docx" in done else "报告未生成"]))
    return HTMLResponse(f'<span class="{"good" if found.result else "bad"}">{escape(text)}</span>')


def _allowed(account: Account, dept: str) -> None:
    if not account.may_see(dept):
        raise InputError([Problem(Location("", key="单位代号"), f"本账号只能建立或导入单位 {account.unit}", dept, account.unit)])


@router.post("/units/new", response_class=HTMLResponse)
def new(request: Request, dept: str = Form(""), kind: str = Form(""), year: str = Form(""), framework: str = Form(""),
        account: Account = Depends(current)) -> Response:
    from ..tools.scaffold import new_unit
    from ..tools.unit_template import write_template
    root = request.app.state.settings.root
    try:
        _allowed(account, dept)
        known = frameworks(root)
        if framework and framework not in known:
            raise ScaffoldError(f"没有评价体系“{framework}”；可选：{'、'.join(known)}")
        if framework and kind in KINDS and known[framework] != kind:
            fitting = "、".join(name for name, fits in known.items() if fits == kind) or "无"
            raise ScaffoldError(f"评价体系“{framework}”适用于{KINDS[known[framework]].label if known[framework] in KINDS else '其他报告类型'}，"
                                f"不适用于{KINDS[kind].label}；可选：{fitting}")
        chosen = int(year) if year.isascii() and year.isdigit() else None
        created = new_unit(root, dept, kind or None, None, chosen)
        if framework:
            unit = created.folder / "unit.yaml"
            unit.write_text(FRAMEWORK_LINE.sub(f"评价体系: {framework}", unit.read_text(encoding="utf-8"), 1),
                            encoding="utf-8")
            try:
                write_template(root, dept, int(created.folder.name))
            except PipelineError:  # the framework does not fit the kind: the unit made a moment ago is taken back
                shutil.rmtree(created.folder.parent)
                raise
    except InputError as error:
        return problems_fragment(request, error.problems, "无法新建单位")
    except PipelineError as error:
        return problems_fragment(request, [Problem(Location(""), error.report())], "无法新建单位")
    return Response(status_code=204, headers={"HX-Redirect": f"/u/{dept}/{created.folder.name}"})


@router.post("/units/import", response_class=HTMLResponse)
async def import_forms(request: Request, dept: str = Form(""), year: str = Form(""), framework: str = Form(""),
                       files: list[UploadFile] = File(default=[]), account: Account = Depends(current)) -> Response:
    root = request.app.state.settings.root
    scratch = Path(tempfile.mkdtemp(prefix="selfeval-import-"))
    try:
        _allowed(account, dept)
        if not NAME.fullmatch(dept):
            raise InputError([Problem(Location("", key="单位代号"), "只能使用字母、数字、- 和 _", dept, "例如 baiyun")])
        known = frameworks(root)
        if framework and framework not in known:
            raise InputError([Problem(Location("", key="评价体系"), "没有这个评价体系", framework, "、".join(known))])
        saved = await save_uploads(files, scratch, FORMS, MAX_FORM_UNPACKED)
        if len(saved) > 1 and not account.bureau:  # several forms become 代号-1, 代号-2…: units this account cannot see
            raise InputError([Problem(Location(""), "单位账号一次只能导入一份表格", str(len(saved)), "请只选择本单位的一份表格")])
    except InputError as error:
        shutil.rmtree(scratch, ignore_errors=True)
        return problems_fragment(request, error.problems, "未导入")
    chosen = int(year) if year.isascii() and year.isdigit() else None

    def work(job: Job) -> dict:
        from ..importer.cli import WEB, imported_lines
        from ..importer.importing import import_document
        job.total, lines, made = len(saved), [], []
        try:
            for number, one in enumerate(saved, 1):
                code = dept if len(saved) == 1 else f"{dept}-{number}"
                job.step = f"导入《{one.shown}》"
                try:
                    done = import_document(root, one.path, code, chosen, None, framework or None)
                except PipelineError as error:
                    lines += [f"《{one.shown}》未导入：", *error.report().splitlines(), SWITCH_FRAMEWORK]
                else:
                    for imported in done:  # a workbook of several forms makes a unit of each: 代号-1-1, 代号-1-2…
                        lines += imported_lines(root, imported, WEB)
                        made.append(imported.draft.dept)
                job.done = number
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        years = available_units(root)
        return {"lines": lines, "links": [(f"打开 {code}", f"/u/{code}/{years[code][-1]}") for code in made if code in years]}
    job = start(request.app.state.jobs, account.name, "导入表格", work, len(saved))
    return HTMLResponse(render(request, "job.html", job=job))
