"""make bench: what one report costs stage by stage, against pandoc alone on the same Markdown, how it grows with
the number of indicators, and how many units a minute a batch builds with one worker and with every core; a cold
report against pandoc alone and the batch summary at 100,000 rows (bench_scale); make review of many forms
(bench_review). Figures only; nothing is asserted.

    python -m tools.bench [--units 100] [--repeat 7] [--no-charts] [--pdf 8]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docx import Document

from pipeline.batch import build_all, cores
from pipeline.deadline import limited_run
from pipeline.inputs.kinds import KINDS
from pipeline.inputs.load import available_units, unit_dir
from pipeline.inputs.yaml_files import parse_text
from pipeline.report.charts import budget_execution_chart, score_chart
from pipeline.report.context import context
from pipeline.report.form import fill_form, form_context
from pipeline.report.jinja import environment, render_markdown
from pipeline.report.markdown_ast import write_documents
from pipeline.report.markdown_text import PANDOC_MARKDOWN
from pipeline.report.pandoc import pandoc_path, worker_seconds
from pipeline.report.template_files import allowed_roots, first_file, template_dirs
from pipeline.report.word.contents import table_of_contents
from pipeline.report.word.convert import cover_title, finish_document, landscape_annex, markdown_to_docx, page_breaks
from pipeline.report.word.finish import to_bytes
from pipeline.report.word.inert import inert_docx
from pipeline.report.word.reference import reference_docx
from pipeline.report.word.tables import layout_tables, style_tables
from pipeline.run import evaluate, output_dir, prepare
from pipeline.write import write

from .bench_app import summary as app_rebuild
from .bench_cluster import on_local_cluster
from .bench_pdf import pdf_per_document
from .bench_review import review_at_scale
from .bench_scale import ALONE_RTS, cold_report, summary_at_scale
from .generate import generate, many_leaves

UNIT = "huadu"
FORM_UNIT = "shaoguan"


def median_ms(step: Callable[[], object], repeat: int) -> float:
    step()  # warm: imports, caches, the first pandoc start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def template_stage(root: Path, code: str, year: int) -> Callable[[], str]:
    """A unit's Markdown from its evaluated figures: the template context, then the report template rendered."""
    result = evaluate(root, code, year, strict=False)
    folder = unit_dir(root, code, year)

    def markdown() -> str:
        env = environment(template_dirs(folder, result.inputs.unit.template_group), result.inputs.unit)
        data = context(env, result)
        return render_markdown(env, KINDS[result.inputs.unit.kind].template, data)

    return markdown


def one_report(root: Path, repeat: int) -> list[tuple[str, float]]:
    """One department report, md + docx without charts, warm in this process: each stage's median; the Word stage
    also piece by piece (its lines start with a space), and pandoc alone on the same Markdown last."""
    year = 2023
    markdown = template_stage(root, UNIT, year)
    text = markdown()
    docx = markdown_to_docx(text, None)
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(reference_docx())
        alone, written = Path(tmp) / "alone.docx", Path(tmp) / "written.docx"
        written.write_bytes(write_documents(text, {}, reference=reference).docx)

        def tables() -> None:  # finish_document's steps before the tables are laid out, untimed
            document = Document(str(written))
            for step in (style_tables, table_of_contents, page_breaks, cover_title, landscape_annex):
                step(document)
            start = time.perf_counter()
            layout_tables(document)
            spent.append(time.perf_counter() - start)

        def finished() -> bytes:
            document = Document(str(written))
            finish_document(document)
            return to_bytes(document)

        spent: list[float] = []
        median_ms(tables, repeat)
        stages = [
            # each unit has a unit.yaml of its own: parsed anew every time here, the shared framework too
            ("读取、校验、计算、评分", median_ms(lambda: (parse_text.cache_clear(), evaluate(root, UNIT, year, False)),
                                        repeat)),
            ("Markdown（模板）", median_ms(markdown, repeat)),
            ("Word（合计）", median_ms(lambda: inert_docx(markdown_to_docx(text, None)), repeat)),
            (" pandoc 读 Markdown、检查语法树、写 docx", median_ms(lambda: write_documents(text, {}, reference=reference),
                                                     repeat)),
            (" python-docx 排版并保存", median_ms(finished, repeat)),
            ("  其中表格列宽与评分表分页", statistics.median(spent[1:]) * 1000),
            (" 去除外部引用", median_ms(lambda: inert_docx(docx), repeat)),
            ("写出文件", median_ms(lambda: write({"report.md": text.encode(), "report.docx": docx},
                                            output_dir(Path(tmp), UNIT, year)), repeat)),
        ]
        command = [pandoc_path(), "--sandbox", "--from", PANDOC_MARKDOWN, "--to", "docx", "--shift-heading-level-by=-1",
                   "--reference-doc", str(reference), "--output", str(alone)]
        pandoc_alone = median_ms(lambda: limited_run(command, "pandoc", input=text.encode(),
                                                     env=os.environ | {"GHCRTS": ALONE_RTS}), repeat)
    return stages + [("pandoc 单独转换同一 Markdown", pandoc_alone)]


def form_ms(root: Path, repeat: int) -> float:
    """The 自评表 of a project unit, filled and finished (what a project report adds)."""
    result = prepare(root, FORM_UNIT, None, ("md",), charts=False)
    folder = unit_dir(root, FORM_UNIT, result.inputs.unit.year)
    group = result.inputs.unit.template_group
    search, roots = template_dirs(folder, group), allowed_roots(folder, group)
    env = environment(search, result.inputs.unit, roots)
    values = form_context(result, context(env, result)["text"])
    form = first_file(search, KINDS[result.inputs.unit.kind].form, roots)
    return median_ms(lambda: fill_form(form, values, result.inputs.unit), repeat)


def charts_ms(root: Path, repeat: int) -> list[tuple[str, float]]:
    result = evaluate(root, UNIT, 2023, strict=False)
    return [("预算执行率图", median_ms(lambda: budget_execution_chart(list(result.figures.budget)), repeat)),
            ("一级指标得分图", median_ms(lambda: score_chart(list(result.scores.blocks)), repeat))]


LEAVES = (20, 100, 400)


def by_leaves(root: Path, repeat: int) -> list[str]:
    """One report (md + docx, no charts) of huadu under frameworks of more and more leaves: cost per leaf, and the
    template stage's part of it."""
    lines, last = [], None
    for count in LEAVES:
        with tempfile.TemporaryDirectory() as tmp:
            code = many_leaves(root, Path(tmp), count)
            ms = median_ms(lambda code=code: prepare(Path(tmp), code, None, ("md", "docx"), charts=False), repeat)
            template = median_ms(template_stage(Path(tmp), code, available_units(Path(tmp))[code][-1]), repeat)
        step = "" if last is None else f"；比上一档每多一项 {(ms - last[1]) / (count - last[0]):.1f} ms"
        lines.append(f"  {count:>4} 项末级指标：{ms:7.0f} ms，其中模板 {template:5.0f} ms{step}")
        last = (count, ms)
    return lines


def batch(root: Path, units: int, charts: bool) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        made = generate(root, Path(tmp), units)
        for jobs in dict.fromkeys((1, cores())):
            start, cpu = time.perf_counter(), cpu_seconds()
            outcomes = build_all(Path(tmp), made, charts=charts, jobs=jobs, progress=False)
            seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
            failed = sum(o.row is None for o in outcomes)
            tenth = max(len(outcomes) // 10, 1)
            early, late = max(o.peak_mb for o in outcomes[:tenth]), max(o.peak_mb for o in outcomes[-tenth:])
            lines.append(f"  JOBS={jobs}：{units} 个单位 {seconds:.1f} 秒，每分钟 {units / seconds * 60:.0f} 个"
                         f"（每核每分钟 {units / seconds * 60 / jobs:.0f} 个）；失败 {failed} 个；"
                         f"每个工作进程内存峰值：前 10% 单位后 {early:.0f} MB，最后 10% 单位后 {late:.0f} MB")
            lines.append(f"    处理器时间每个单位 {cpu / units * 1000:.0f} ms（含 pandoc 等子进程）："
                         f"一个核全归本程序时每核每分钟约 {units / cpu * 60:.0f} 个")
        lines.append("  同一批单位在 Dask LocalCluster 上（集群路径），与本机进程池交替各跑两次：")
        lines += on_local_cluster(Path(tmp), made, charts)
    return lines


def among_many(root: Path, repeat: int, others: int = 10_000) -> str:
    """A unit's evaluation (md only) alone under inputs/, and beside `others` folders of other units: a unit's run must
    not look through every unit's folder (a batch would then grow with the square of its units)."""
    with tempfile.TemporaryDirectory() as tmp:
        code = generate(root, Path(tmp), 1)[0]
        alone = median_ms(lambda: prepare(Path(tmp), code, None, ("md",), charts=False), repeat)
        for number in range(others):
            year = Path(tmp) / "inputs" / f"other{number:05d}" / "2024"
            year.mkdir(parents=True)
            (year / "unit.yaml").touch()
        crowded = median_ms(lambda: prepare(Path(tmp), code, None, ("md",), charts=False), repeat)
    return f"  单独 {alone:.0f} ms，另有 {others:,} 个单位文件夹时 {crowded:.0f} ms"


def cpu_seconds() -> float:
    """User and system time of this process, of every child it has waited for (workers, pandoc, LibreOffice) and of its
    running pandoc."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system + worker_seconds()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description="性能测量（只报数字，不作判断）")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--units", type=int, default=100, help="批量测量用的生成单位数")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-charts", dest="charts", action="store_false", help="批量测量不生成图表")
    parser.add_argument("--summary-rows", type=int, default=100_000, help="汇总表测量用的行数（单位数）")
    parser.add_argument("--review-forms", type=int, default=500, help="复核测量用的表格数（另测其五分之一）")
    parser.add_argument("--pdf", type=int, default=0, help="另测这么多份 PDF：一个 LibreOffice 进程对每份一个进程")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    print(f"本机 {cores()} 核；每项取 {args.repeat} 次的中位数（机器上有别的负载时数字会波动）")
    print(f"一份报告（{UNIT}，md + docx，无图表，进程内预热后）：")
    stages = one_report(root, args.repeat)
    alone = stages[-1][1]
    total = sum(ms for name, ms in stages[:-1] if not name.startswith(" "))
    for name, ms in stages[:-1]:
        print(f"  {name:<24}{ms:8.1f} ms")
    print(f"  {'合计':<24}{total:8.1f} ms")
    print(f"  {stages[-1][0]:<24}{alone:8.1f} ms；比值 {total / alone:.2f}")
    print("网页应用（运行中的应用，单位已预热）：")
    print(app_rebuild(root, "huadu", args.repeat))
    print("冷启动（新的解释器，含启动与导入，整个进程计时）：")
    print(cold_report(root, max(9, args.repeat)))
    print(f"自评表（{FORM_UNIT}，填写并排版）：{form_ms(root, args.repeat):.1f} ms")
    print("图表（每张）：")
    for name, ms in charts_ms(root, args.repeat):
        print(f"  {name:<24}{ms:8.1f} ms")
    print("指标数与用时（花都区换用 N 项末级指标的评价体系，md + docx，无图表）：")
    for line in by_leaves(root, max(3, args.repeat // 3)):
        print(line)
    print("一个单位的计算与 Markdown（md，无图表），inputs/ 下单位很多时：")
    print(among_many(root, args.repeat))
    print(f"批量（生成的单位，md + docx{'，含图表' if args.charts else '，无图表'}）：")
    for line in batch(root, args.units, args.charts):
        print(line)
    print("批量汇总表（子进程内写出，write-only 模式）：")
    print(summary_at_scale(args.summary_rows))
    print("复核（make review，子进程内，生成的自评表各为一个单位）：")
    print("\n".join(review_at_scale(args.review_forms // 5, args.review_forms)))
    if args.pdf:
        print("PDF：")
        for line in pdf_per_document(root, args.pdf):
            print(line)


if __name__ == "__main__":
    main()
