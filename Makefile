# 预算绩效自评报告 — the front door. Every target is a thin wrapper over `python -m pipeline`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEPT   ?=
YEAR   ?=
FORMATS ?=
CHARTS ?= 1
KIND   ?=
FROM   ?=
STRICT ?=
JOBS   ?=
N      ?= 100
FILE   ?=
DIR    ?=
FRAMEWORK ?=
HOST   ?=
PORT   ?=
NAME   ?=
UNIT   ?=
SCHEDULER ?=
PREV   ?=
# a value is data, whatever it contains: each is taken unexpanded ($(value …), so make runs no $(shell …) in it)
# and reaches the program through the environment, quoted by the shell
VARIABLES := DEPT YEAR FORMATS CHARTS KIND FROM STRICT JOBS N FILE DIR FRAMEWORK HOST PORT NAME UNIT SCHEDULER PREV
$(foreach v,$(VARIABLES),$(eval override $(v) := $$(value $(v))))
export $(VARIABLES)
YEAR_ARG := $(if $(YEAR),--year "$$YEAR")
STRICT_ARG := $(if $(filter 1 yes true,$(STRICT)),--strict)
OUT_ARGS := $(if $(FORMATS),--formats "$$FORMATS") $(if $(filter 0 no false,$(CHARTS)),--no-charts) $(STRICT_ARG)

.DEFAULT_GOAL := help
.PHONY: help report all bench check figures next diff units new import review blocks rules styles preview lint types test test-fast corpus checkbench golden reference clean

help: ## 列出所有目标（默认）
	@echo "用法：make <目标> [DEPT=单位] [YEAR=年度]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 10

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,pdf,lint]'
	@touch $(STAMP)

report: $(STAMP) ## 生成一个单位的报告：make report DEPT=huadu [YEAR=2023] [FORMATS=md,docx,html,pdf] [CHARTS=0] [STRICT=1]
	@$(BIN)/python -m pipeline report "$$DEPT" $(YEAR_ARG) $(OUT_ARGS)

all: $(STAMP) ## 并行生成所有单位最新年度的报告并写出 output/汇总表.xlsx：make all [JOBS=4]（默认用全部核；同样接受 FORMATS、CHARTS；SCHEDULER=tcp://主机:8786 在 Dask 集群上运行）
	@$(BIN)/python -m pipeline all $(OUT_ARGS) $(if $(JOBS),--jobs "$$JOBS") $(if $(SCHEDULER),--scheduler "$$SCHEDULER")

bench: $(STAMP) ## 性能测量：一份报告各阶段用时与 pandoc 单独转换之比、每张图表、N 个生成单位在 JOBS=1 与全部核时每分钟的单位数、同一批单位在 Dask LocalCluster 上、冷启动报告与 pandoc 之比、每份 PDF（常驻 LibreOffice 与逐份启动）、10 万行汇总表的用时与内存：make bench [N=100]
	@$(BIN)/python -m tools.bench --units "$$N" --pdf 8

check: $(STAMP) ## 只校验和计算一个单位，不写文件：make check DEPT=huadu
	@$(BIN)/python -m pipeline check "$$DEPT" $(YEAR_ARG) $(STRICT_ARG)

figures: $(STAMP) ## 列出叙述文字可以引用的全部数字（名称和当前值）：make figures DEPT=huadu
	@$(BIN)/python -m pipeline figures "$$DEPT" $(YEAR_ARG)

next: $(STAMP) ## 从最新年度生成下一年度的输入（数据清空、叙述沿用为草稿）：make next DEPT=huadu
	@$(BIN)/python -m pipeline next "$$DEPT"

diff: $(STAMP) ## 最新年度与上一年度相比的变化（得分、主要数字、叙述段落）：make diff DEPT=huadu
	@$(BIN)/python -m pipeline diff "$$DEPT" $(YEAR_ARG)

units: $(STAMP) ## 列出现有单位和年度
	@$(BIN)/python -m pipeline units

new: $(STAMP) ## 新建一个单位（可直接校验）：make new DEPT=baiyun KIND=department|project 或 FRAMEWORK=sichuan-dept [FROM=huadu] [YEAR=2025]
	@$(BIN)/python -m pipeline new "$$DEPT" $(if $(KIND),--kind "$$KIND") $(if $(FRAMEWORK),--framework "$$FRAMEWORK") $(if $(FROM),--from "$$FROM") $(YEAR_ARG)

import: $(STAMP) ## 把填好的自评表或评分表导入为新单位：make import FILE=自评表.docx DEPT=baiyun [YEAR=2024] [KIND=…] [FRAMEWORK=…]；一个文件夹：make import DIR=收到的表格 DEPT=baiyun（每份一个单位）
	@$(BIN)/python -m pipeline import "$${DIR:-$$FILE}" "$$DEPT" $(YEAR_ARG) $(if $(KIND),--kind "$$KIND") $(if $(FRAMEWORK),--framework "$$FRAMEWORK")

review: $(STAMP) ## 复核一个文件夹中的全部自评表，写出 output/复核汇总.xlsx 和各单位的复核意见：make review DIR=收到的自评表 [FRAMEWORK=…] [PREV=上年的自评表] [SCHEDULER=tcp://主机:8786]
	@$(BIN)/python -m pipeline review "$$DIR" $(if $(FRAMEWORK),--framework "$$FRAMEWORK") $(if $(PREV),--previous "$$PREV") $(if $(SCHEDULER),--scheduler "$$SCHEDULER")

blocks: $(STAMP) ## 列出默认报告模板中的块（block）名称和层次，供单位模板改写
	@$(BIN)/python -m pipeline blocks

rules: $(STAMP) ## 列出评价体系可用的评分规则类型及其参数
	@$(BIN)/python -m pipeline rules

styles: $(STAMP) ## 把默认 Word 样式写到单位的 templates/reference.docx 供修改：make styles DEPT=huadu
	@$(BIN)/python -m pipeline styles "$$DEPT" $(YEAR_ARG)

preview: $(STAMP) ## 把报告转成 PDF 和逐页 PNG 供人查看（需 LibreOffice、poppler）：make preview DEPT=huadu
	@$(BIN)/python -m pipeline report "$$DEPT" $(YEAR_ARG) --formats md,docx,pdf $(if $(filter 0 no false,$(CHARTS)),--no-charts)
	@$(BIN)/python -m pipeline preview "$$DEPT" $(YEAR_ARG)

lint: $(STAMP) ## 代码检查：ruff（风格与常见错误），CI 在测试前运行
	$(BIN)/ruff check

types: $(STAMP) ## 类型检查：mypy（含 pydantic 插件），CI 在测试前运行，须无错误
	$(BIN)/mypy

test: $(STAMP) ## 运行全部测试
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## 只运行快的测试（不含标为 slow 的：LibreOffice、PDF、批量、安装、真实语料），改代码时用，一分钟内
	$(BIN)/python -m pytest -m "not slow"

corpus: $(STAMP) ## 真实语料：tests/corpus/ 中每个案例生成 md、docx、html、pdf，导入表格，核对预期，并逐页检查 PDF 版式（需 LibreOffice）
	$(BIN)/python -m tests.corpus

golden: $(STAMP) ## 审阅输出的改动后，用本次输出更新 tests/golden/（各示例单位的 report.md、checks.md、scores.json）
	$(BIN)/python -m pytest tests/test_golden.py --update-golden
	@git status --short tests/golden

reference: $(STAMP) ## 按代码重写 docs/reference.md（评分规则、unit.yaml 的键、模板的块、复核规则、上限）；改了这些代码后运行
	@$(BIN)/python -m tools.reference

clean: ## 删除生成的文件（output/）
	rm -rf output

checkbench: $(STAMP) ## 叙述数字核对的基准：在真实报告句子中逐一植入笔误，列出发现、漏报和原文误报的个数
	@$(BIN)/python -m tools.checkbench

.PHONY: serve account
serve: $(STAMP) ## 启动网页版：浏览器打开 http://127.0.0.1:8000/ 填报、编辑叙述、生成和下载报告（HOST=0.0.0.0 PORT=8080 时需要登录账号）
	@$(BIN)/python -m pipeline serve $(if $(HOST),--host "$$HOST") $(if $(PORT),--port "$$PORT")

account: $(STAMP) ## 添加网页版的登录账号或修改密码：make account NAME=huadu-cw UNIT=huadu（财政部门账号：UNIT=bureau）
	@$(BIN)/python -m pipeline.web.accounts add "$$NAME" $(if $(filter bureau,$(UNIT)),--bureau,--unit "$$UNIT")

.PHONY: template
template: $(STAMP) ## 按评价体系生成或重写单位的 数据.xlsx（下拉选项、各列说明；已填的数据按指标编号保留）：make template DEPT=huadu
	@$(BIN)/python -m pipeline template "$$DEPT" $(YEAR_ARG)
