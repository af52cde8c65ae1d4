"""A batch's outcomes kept on disk as they arrive, read back in the units' order: the summary of 100,000 units takes the
memory of one row and an offset per unit, not of every row.

The file has no name (the system's temporary folder, unlinked at once): nothing of it is left behind however the batch
ends, killed included, and no other process can reach it. A record is plain values (text, numbers, tuples) in marshal's
format, each after its length: read back several times faster than pickle reads the same values.
"""
from __future__ import annotations

import contextlib
import marshal
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import MachineError

LENGTH = 4  # bytes of a record's length


class Spool:
    """Outcomes written once each (a unit written again replaces its record), iterated in the order of `names` as
    many times as asked; `encode` makes an outcome's record (plain values), `decode` gives the outcome back."""

    def __init__(self, file: Any, names: Iterable[str], encode: Callable[[Any], Any] = lambda o: o,
                 decode: Callable[[Any], Any] = lambda r: r):
        self._file, self._encode, self._decode = file, encode, decode
        self._index = {name: i for i, name in enumerate(names)}
        self._offsets = array("q", [-1]) * len(self._index)  # each unit's record, by its place in the order

    def add(self, name: str, outcome: Any) -> None:
        record = marshal.dumps(self._encode(outcome))
        try:
            self._file.seek(0, 2)
            offset = self._file.tell()
            self._file.write(len(record).to_bytes(LENGTH, "little") + record)
        except OSError as failure:
            raise unwritable(failure) from None
        self._offsets[self._index[name]] = offset

    def __len__(self) -> int:
        return len(self._offsets)

    def __iter__(self) -> Iterator[Any]:
        self._file.flush()
        for offset in self._offsets:
            yield self._read(offset)

    def place(self, name: str) -> int:
        """A unit's place in the order."""
        return self._index[name]

    def get(self, name: str) -> Any:
        """One unit's outcome, wherever it is in the order."""
        self._file.flush()
        return self._read(self._offsets[self._index[name]])

    def _read(self, offset: int) -> Any:
        if offset < 0:
            raise KeyError("a unit of the batch has no outcome")  # a fault of the program, never of a unit
        self._file.seek(offset)
        return self._decode(marshal.loads(self._file.read(int.from_bytes(self._file.read(LENGTH), "little"))))


@dataclass(frozen=True)
class Mapped:
    """`function` of each of `items` (a list, or a Spool), made anew at each pass: iterable again and again."""

    function: Callable[[Any], Any]
    items: Iterable[Any]

    def __iter__(self) -> Iterator[Any]:
        return map(self.function, self.items)


@dataclass(frozen=True)
class Chained:
    """Each item of each of `items` (lists, as a Spool of several outcomes a unit gives), anew at each pass."""

    items: Iterable[Iterable[Any]]

    def __iter__(self) -> Iterator[Any]:
        return (item for group in self.items for item in group)


@contextlib.contextmanager
def spooled(names: Iterable[str], encode: Callable[[Any], Any] = lambda o: o,
            decode: Callable[[Any], Any] = lambda r: r) -> Iterator[Spool]:
    """A spool for the units `names`, in that order; its file is gone when the block ends, whatever ended it."""
    try:
        file = tempfile.TemporaryFile(prefix="selfeval-batch-")
    except OSError as failure:
        raise unwritable(failure) from None
    with file:
        yield Spool(file, names, encode, decode)


def unwritable(failure: OSError) -> MachineError:
    return MachineError(f"无法写入批处理的临时文件（{failure.strerror or failure}）；各单位已写出的报告不受影响，"
                        "请确认系统临时目录（环境变量 TMPDIR 所指）可写且有空间后重试")
