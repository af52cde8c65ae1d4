"""The maintainers' tools, kept out of the installed package: make bench (bench, bench_scale, generate), make checkbench,
and the writer of the default 自评表 template (form_template). Run from a checkout: python -m tools.bench."""
