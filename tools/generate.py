"""N realistic units made from the examples, for measuring a province-sized batch (make bench).

Each generated unit copies one example's folder, with another name (a made-up county), its amounts scaled by a
whole factor (so that every table still adds up) and its execution varied, so that rates, scores and grades
differ from unit to unit. The figures the example had printed elsewhere (声明数, 已公布) are dropped: they
belonged to the example. The same seed gives the same units.

    python -m tools.generate 1000 --into /some/folder   # writes /some/folder/inputs/
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from pipeline.inputs.load import available_units, unit_dir
from pipeline.inputs.yaml_files import read_yaml

EXAMPLES = ("huadu", "lianjiang", "shaoguan", "example-cdc")
AMOUNTS = ("年初预算数", "全年预算数", "决算数", "基本支出", "项目支出", "到位数", "已支出", "金额", "支出数", "决算")
DROPPED = ("声明数", "已公布", "已核实差异", "上年")
PLACES = "东西南北新安永平清和丰宁远华阳兴泰长"
ENDINGS = "江山河川湖林源州城田"
SUFFIXES = ("卫生健康局", "疾病预防控制中心", "人民医院", "中医院", "妇幼保健院")
CENT = Decimal("0.01")


def place(number: int) -> str:
    """A made-up county name; the number keeps names apart in a big batch."""
    return f"{PLACES[number % len(PLACES)]}{ENDINGS[number // len(PLACES) % len(ENDINGS)]}县"


def unit_name(original: str, number: int) -> str:
    suffix = next((s for s in SUFFIXES if original.endswith(s)), "卫生健康局")
    return f"{place(number)}{'' if number < len(PLACES) * len(ENDINGS) else number}{suffix}"


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, ROUND_HALF_UP))


def scaled_table(text: str, factor: int, rng: random.Random, varied: str | None) -> str:
    """Every amount times `factor`; the `varied` column (决算数 or 已支出) lowered by up to 8 % of itself."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        return text
    header = rows[0]
    for row in rows[1:]:
        for i, column in enumerate(header):
            if i < len(row) and column in AMOUNTS and row[i].strip():
                try:
                    amount = Decimal(row[i].replace(",", "")) * factor
                except ArithmeticError:
                    continue
                if column == varied:
                    amount -= amount * Decimal(rng.randint(0, 800)) / 10000
                row[i] = _money(amount)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def generate(source: Path, target: Path, count: int, seed: int = 2024) -> list[str]:
    """`count` units under target/inputs/, made in turn from each example in source/inputs/; their codes."""
    rng = random.Random(seed)
    _shared(source, target)
    years = available_units(source)
    made = []
    for number in range(count):
        example = EXAMPLES[number % len(EXAMPLES)]
        year = years[example][-1]
        code = f"gen{number:05d}-{example}"
        folder = unit_dir(target, code, year)
        shutil.copytree(unit_dir(source, example, year), folder, dirs_exist_ok=True)
        factor = rng.randint(1, 5)
        _unit_yaml(folder / "unit.yaml", number)
        budget_varied = "决算数" if not (folder / "spending.csv").exists() else None
        for name, varied in (("budget.csv", budget_varied), ("funds.csv", "已支出"), ("spending.csv", None)):
            path = folder / name
            if path.exists():
                text = path.read_text(encoding="utf-8-sig")
                if varied == "决算数" and "基本支出" in text.splitlines()[0]:
                    varied = None  # 基本支出 + 项目支出 add up to 决算数: scaled together only
                path.write_text(scaled_table(text, factor, rng, varied), encoding="utf-8")
        made.append(code)
    return made


def many_leaves(source: Path, target: Path, leaves: int, example: str = "huadu") -> str:
    """The example under a framework of `leaves` leaves (a multiple of 20: 4 一级 × 5 二级 × leaves / 20, each
    leaf 100 / leaves points, scored by completion of a measured value), for measuring cost against indicators."""
    groups = 20
    weight = Decimal(100) / leaves if leaves > 0 else Decimal(0)
    if leaves <= 0 or leaves % groups or weight * (leaves // groups) != 5:  # each 二级's 5 points shared exactly
        raise ValueError(f"末级指标数应为 20 的倍数，且 5 分能被每个二级指标下的项数除尽，例如 20、100、400：{leaves}")
    inputs = _shared(source, target)
    year = available_units(source)[example][-1]
    folder = unit_dir(target, example, year)
    shutil.copytree(unit_dir(source, example, year), folder, dirs_exist_ok=True)
    name = f"many-{leaves}"
    lines = [f"名称: {leaves} 项末级指标的评价体系", "适用: department", f"生效日期: {year}-01-01", "来源: 测试用", "指标:"]
    rows = ["指标编号,指标名称,目标值,比较符,计量单位,实际值,说明,来源"]
    for a in range(1, 5):
        lines += [f"  - 编号: L{a}", f"    名称: 一级指标{a}", "    权重: 25", "    下级:"]
        for b in range(1, 6):
            lines += [f"      - 编号: L{a}{b}", f"        名称: 二级指标{a}{b}", "        权重: 5", "        下级:"]
            for c in range(1, leaves // groups + 1):
                leaf = f"L{a}{b}-{c}"
                lines.append(f"          - {{编号: {leaf}, 名称: 第{c}项任务完成率, 权重: {weight}, 规则: {{类型: completion}}, "
                             "评分标准: 完成目标值得满分，未完成的按完成比例计分}")
                actual = 100 - (a * b * c) % 9
                rows.append(f"{leaf},第{c}项任务完成率,100,≥,%,{actual},全年按计划推进，完成率{actual}%,测试")
    (inputs / "frameworks" / f"{name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    _rewrite_unit(folder / "unit.yaml", lambda data: (data.update({"评价体系": name}),
                                                      data.get("正文", {}).pop("指标分析", None)))  # by huadu's 一级
    return example


def _shared(source: Path, target: Path) -> Path:
    """The frameworks (and shared templates) copied under target/inputs/, which is returned."""
    inputs = target / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "inputs" / "frameworks", inputs / "frameworks", dirs_exist_ok=True)
    if (source / "inputs" / "templates").is_dir():
        shutil.copytree(source / "inputs" / "templates", inputs / "templates", dirs_exist_ok=True)
    return inputs


def _rewrite_unit(path: Path, change: Callable[[dict], object]) -> None:
    """unit.yaml without the figures the example had printed, changed by `change`."""
    data = read_yaml(path, path.name).data
    for key in DROPPED:
        data.pop(key, None)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _unit_yaml(path: Path, number: int) -> None:
    def renamed(data: dict) -> None:
        original = data["单位名称"]
        name = unit_name(original, number)
        data["单位名称"] = name
        for key in ("报告标题", "实施单位"):
            if isinstance(data.get(key), str):
                data[key] = data[key].replace(original, name)
    _rewrite_unit(path, renamed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.generate", description="由示例单位生成 N 个测试单位")
    parser.add_argument("count", type=int)
    parser.add_argument("--into", type=Path, required=True, help="写到该目录下的 inputs/")
    parser.add_argument("--source", type=Path, default=Path.cwd(), help="含示例单位 inputs/ 的项目目录")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    made = generate(args.source, args.into, args.count, args.seed)
    print(f"已生成 {len(made)} 个单位：{(args.into / 'inputs').as_posix()}/")


if __name__ == "__main__":
    main()
