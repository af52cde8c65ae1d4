"""复核意见: a notice per unit, in the Word form of a government letter (GB/T 9704 through the report's own Word
machinery), that the bureau can send back as it is: what was received, what was recomputed, each problem at the form's
row, and whether the form passes or goes back for correction."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..limits import MAX_NOTICE_LISTED, MAX_NOTICE_NAME
from ..numbers import score
from ..report.markdown_text import escape
from ..write import replace_file
from .review_folder import Settings
from .review_index import Taken
from .reviewed import ERROR, HINT, MISMATCH, UNREADABLE, Reviewed

FOLDER = "复核意见"
UNSAFE = re.compile(r"[^\w\u3400-\u9fff（）()·—-]+")
KINDS = (UNREADABLE, MISMATCH, ERROR, HINT)


def notices(root: Path, units: Iterable[tuple[str, list[Reviewed]]], settings: Settings,
            taken: set[str] | Taken | None = None) -> Iterator[Path]:
    """output/复核意见/<unit>.docx for each unit and its forms (grouped: by_unit), each written as it comes, one replaced
    file each. `taken`: the file names given so far (a set by default; an index's for a season's units)."""
    from ..report.word.convert import markdown_to_docx
    from ..report.word.inert import inert_docx
    taken = set[str]() if taken is None else taken
    for unit, forms in units:
        name = file_name(unit, taken)
        data = inert_docx(markdown_to_docx(notice(unit, forms, settings), None))
        yield replace_file(root / "output" / FOLDER / f"{name}.docx", data)


def by_unit(reviewed: Iterable[Reviewed]) -> list[tuple[str, list[Reviewed]]]:
    """Each unit's forms together (a form whose header could not be read: its file), in the order each first comes."""
    groups: dict[str, list[Reviewed]] = {}
    for r in reviewed:
        groups.setdefault(r.unit or r.file, []).append(r)
    return list(groups.items())


def file_name(unit: str, taken: set[str] | Taken) -> str:
    """A unit's name as a file name: only letters, digits and a few marks, never the same twice."""
    base = UNSAFE.sub("_", unit).strip("._")[:MAX_NOTICE_NAME] or "单位"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def notice(unit: str, forms: list[Reviewed], settings: Settings) -> str:
    """The notice as Markdown: every text from a form escaped, so it is shown and never read as markup."""
    passed = all(r.verdict()[0] == "通过" for r in forms)
    whom = escape(unit) if forms[0].unit else f"报送《{escape(unit)}》的单位"  # a form whose header could not be read
    lines = [f"# 关于{whom}绩效自评的复核意见", "", f"{whom}：", "",
             f"你单位报送的{'、'.join('《' + escape(r.file) + '》' for r in forms)}已收悉。"
             f"经复核，{'符合要求，予以通过' if passed else '存在以下问题，请修改后重新报送'}。具体意见如下：", ""]
    for i, r in enumerate(forms, 1):
        verdict, reasons = r.verdict()
        head = f"{_chinese(i)}、{escape(r.project or r.file)}" if len(forms) > 1 else "一、复核结果"
        lines += [f"## {head}", ""]
        if r.computed is not None:
            printed = f"，表中印出 {score(r.printed)} 分" if r.printed is not None else ""
            lines.append(f"按评价体系{escape(r.framework)}重新计算，总分为 {score(r.computed)} 分"
                         f"{'、等级为“' + escape(r.grade) + '”' if r.grade else ''}{printed}。")
        else:
            lines.append("该表格无法读取或数据有误，未能重新计算得分。")
        lines += ["", f"复核结论：{verdict}" + (f"。理由：{escape('；'.join(reasons))}。" if reasons else "。"), ""]
        listed = [f for f in r.findings if f[0] in KINDS][:MAX_NOTICE_LISTED]
        if listed:
            lines += ["| 序号 | 类别 | 位置 | 问题 |", "|---:|:---|:---|:---|"]
            lines += [f"| {n} | {escape(f[0])} | {escape(f[1])} | {escape(_problem(f))} |" for n, f in enumerate(listed, 1)]
            lines.append("")
        more = sum(f[0] in KINDS for f in r.findings) - len(listed)
        if more > 0:
            lines += [f"另有 {more} 条问题，见复核汇总表。", ""]
    lines += [f"## {_chinese(len(forms) + 1 if len(forms) > 1 else 2)}、处理意见", "",
              "请按上述意见逐项核实修改，修改后的自评表于规定时间内重新报送。“提示”类问题请核实说明。" if not passed else
              "自评表经复核通过。“提示”类问题（如有）请在今后的自评工作中注意。", "",
              '::: {custom-style="落款"}', escape(settings.signer), "", _date(settings.date or dt.date.today()), ":::", ""]
    return "\n".join(lines)


def _problem(finding: tuple[str, str, str, str, str, str]) -> str:
    kind, _, what, printed, computed, note = finding
    if kind == MISMATCH:
        return f"{what}：表中印出 {printed}，按规则计算为 {computed}"
    return "：".join(p for p in (what if kind != UNREADABLE else "", note) if p)


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else f"十{digits[n - 10]}" if n < 20 else str(n)


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
