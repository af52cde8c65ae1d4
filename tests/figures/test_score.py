"""score(): leaves roll up to their parents and the total; the grade follows the framework's bands."""
from __future__ import annotations

from decimal import Decimal


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def test_every_parent_is_the_sum_of_its_children(built):
    for dept, (result, _) in built.items():
        scores = result.scores
        # the 合计 is the blocks' points; the 总分 is that, or brought to the total when leaves do not apply
        assert scores.scored == sum((b.points for b in scores.blocks), Decimal(0)), dept
        assert scores.total == (scores.scored if not scores.dropped else
                                (scores.scored * scores.weight / scores.applicable).quantize(Decimal("0.01"))), dept
        for node in _walk(scores.blocks):
            if node.children:
                assert node.points == sum((c.points for c in node.children), Decimal(0)), (dept, node.id)
                # its weight as published: those that do not apply (example-dept's B13) count in it
                assert node.weight == sum((c.weight for c in node.every_child()), Decimal(0)), (dept, node.id)


def test_published_totals_and_grades(built):
    # the seeds: Huadu 49.82 + 47.00 = 96.82 优; Shaoguan 7.10 + 8 + 32.67 + 38.00 = 85.77 良; Lianjiang 100 优
    expected = {"huadu": ("96.82", "优"), "shaoguan": ("85.77", "良"), "lianjiang": ("100.00", "优")}
    for dept, (total, grade) in expected.items():
        scores = built[dept][0].scores
        assert (f"{scores.total:.2f}", scores.grade) == (total, grade)
    huadu = {b.name: b.points for b in built["huadu"][0].scores.blocks}
    assert huadu == {"履职效能": Decimal("49.82"), "管理效率": Decimal("47.00")}
