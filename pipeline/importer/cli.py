"""What `make import` and `make review` print: the result, what differs from the printed figures, and where it wrote."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError, Location, Problem
from ..numbers import score
from .importing import READERS, Imported, form_files, import_document
from .review import reviewing
from .review_notice import FOLDER


class Steps(NamedTuple):
    """Where an imported unit's officer is sent next: the console's make targets and files, or the web app's page."""
    checks: str
    missing: str
    todo: str
    done: str
    unfinished: str
    files: bool  # the files written are named


CONSOLE = Steps("make report 后见 checks.md", "表中没有的叙述和扣分原因请补写在 unit.yaml 和 indicators.csv",
                "make check DEPT={dept} 会逐项列出", "下一步：make report DEPT={dept}",
                "下一步：补充数据后 make check DEPT={dept}，再 make report DEPT={dept}", True)
WEB = Steps("单位页面的“得分、等级和检查结果”中逐条列出", "表中没有的叙述和扣分原因请在单位页面的叙述文字和数据工作簿中补写",
            "单位页面会逐项列出", "下一步：打开单位 {dept} 的页面，补写叙述后生成报告",
            "下一步：打开单位 {dept} 的页面，下载数据工作簿补充后上传", False)


def given(value: str, variable: str, example: str) -> Path:
    """FILE= or DIR= as typed: left empty it is not the current folder."""
    if not value.strip():
        raise InputError([Problem(Location("", key=variable), "没有指定", hint=example)])
    return Path(value)


def import_command(root: Path, file: str, dept: str, year: int | None, kind: str | None, framework: str | None) -> str:
    done = import_document(root, given(file, "FILE", "make import FILE=自评表.docx DEPT=baiyun"), dept, year, kind, framework)
    lines = [] if len(done) == 1 else [f"《{done[0].draft.source}》中有 {len(done)} 份表格，每个工作表导入为一个单位："]
    for imported in done:
        lines += imported_lines(root, imported)
    return "\n".join(lines)


def import_folder(root: Path, folder: Path, dept: str, year: int | None, kind: str | None,
                  framework: str | None) -> tuple[str, InputError | None]:
    """Every form in the folder as its own unit, DEPT-1, DEPT-2 … in file-name order; a form that cannot be imported
    is told with its file and leaves the others imported (each unit is written whole or not at all)."""
    files = [p for p in form_files(folder) if p.is_file() and not p.is_symlink()]
    if not files:
        raise InputError([Problem(Location(str(folder), key="DIR"), "文件夹中没有可导入的表格",
                                  hint="可导入：" + "、".join(sorted(READERS)))])
    lines, problems = [f"文件夹 {folder.name} 中有 {len(files)} 份表格，每份导入为一个单位："], []
    for number, path in enumerate(files, 1):
        try:
            done = import_document(root, path, f"{dept}-{number}", year, kind, framework)
        except InputError as error:
            lines.append(f"《{path.name}》未导入（原因见下）")
            problems += error.problems
            continue
        for imported in done:
            lines += imported_lines(root, imported)
    return "\n".join(lines), InputError(problems) if problems else None


def imported_lines(root: Path, done: Imported, steps: Steps = CONSOLE) -> list[str]:
    unit, dept = done.draft, done.draft.dept
    sheet = f"工作表“{done.part}”" if done.part else ""
    lines = [f"已把《{unit.source}》{sheet}作为{done.kind}导入为单位 {dept}（{unit.year}年度，评价体系 {unit.framework}）："]
    if done.result is not None:
        scores, published = done.result.scores, done.result.inputs.unit.published
        printed = f"（表中印出 {score(published.total)}）" if published.total is not None else ""
        lines.append(f"  按评价体系重算：总分 {score(scores.total)}{printed}，等级 {scores.grade}")
        if done.result.checks:
            lines.append(f"  核对：{len(done.result.checks)} 处表中印出的数与按规则计算的不同（{steps.checks}）")
        lines += [f"    {c.what}：印出 {c.entered}，计算 {c.computed}" for c in done.result.checks]
        if done.result.findings:
            errors = sum(f.severity == "错误" for f in done.result.findings)
            lines.append(f"  复核：错误 {errors} 处，提示 {len(done.result.findings) - errors} 处（{steps.checks}；"
                         f"{steps.missing}）")
    lines += [f"  注意：{note}" for note in unit.notes]
    if unit.unread:
        lines.append(f"  未导入（表中有、单位数据中没有对应项的 {len(unit.unread)} 处，请核对是否需要补写）：")
        lines += [f"    {what}" for what in unit.unread]
    if done.todo:
        lines.append(f"  评分前还需补充 {len(done.todo)} 项数据（{steps.todo.format(dept=dept)}）：")
        lines += [f"    {problem}" for problem in done.todo[:20]]
    lines += [f"  已写入 {path.relative_to(root).as_posix()}" for path in done.written if steps.files]
    lines.append((steps.done if done.result is not None else steps.unfinished).format(dept=dept))
    return lines


def review_command(root: Path, folder: str, framework: str | None, previous: str | None = None,
                   scheduler: str | None = None) -> Iterator[str]:
    """What make review prints, line by line: a season's forms are read back from the review's spool as they are told."""
    with reviewing(root, given(folder, "DIR", "make review DIR=收到的自评表"), framework,
                   given(previous, "PREV", "PREV=上年收到的自评表") if previous is not None else None, scheduler) as done:
        count = failed = returned = findings = 0
        for r in done.forms:
            count, failed = count + 1, failed + (r.computed is None)
            returned, findings = returned + (r.verdict()[0] != "通过"), findings + r.problems()
        yield (f"复核 {count} 份表格：{count - failed} 份已重算，{failed} 份无法读取或有错误，共 {findings} 条问题；"
               f"通过 {count - returned} 份，退回修改 {returned} 份")
        for r in done.forms:
            yield (f"  {r.file}：{r.status}" + (f"，计算总分 {score(r.computed)}（印出 {score(r.printed)}）"
                                               if r.computed is not None else "") + f"，{r.problems()} 条问题，{r.verdict()[0]}")
        if done.absent is not None:
            yield f"应报单位中 {len(done.absent)} 个未报送" + ("：" + "、".join(e.name for e in done.absent[:20]) if done.absent else "")
        yield f"已写入 {done.workbook.relative_to(root).as_posix()}"
        if done.notices:
            yield f"已写入 {done.notices} 份复核意见：{(root / 'output' / FOLDER).relative_to(root).as_posix()}/"
