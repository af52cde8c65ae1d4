"""The converter's server, run by LibreOffice's Python (pdf_converter.start) with nothing of ours importable: unoserver,
each document opened hidden, as LibreOffice's own --convert-to opens it. No window is built for it: the same pages,
some 0.04-0.08 s less of LibreOffice's time a document."""
from __future__ import annotations


class _Hidden:
    """LibreOffice's desktop as unoserver uses it (to open documents), opening each one hidden."""

    def __init__(self, desktop):
        self.desktop = desktop

    def loadComponentFromURL(self, url, target, flags, properties):  # noqa: N802 (the UNO method's name)
        from com.sun.star.beans import PropertyValue
        return self.desktop.loadComponentFromURL(url, target, flags,
                                                 (*properties, PropertyValue(Name="Hidden", Value=True)))


def main() -> None:
    """unoserver's server, its converter given the hidden-opening desktop."""
    from unoserver import converter, server  # LibreOffice's `uno` is importable only in its own Python
    opening = converter.UnoConverter.__init__

    def opening_hidden(self, *args, **kwargs) -> None:
        opening(self, *args, **kwargs)
        self.desktop = _Hidden(self.desktop)

    converter.UnoConverter.__init__ = opening_hidden
    server.main()


if __name__ == "__main__":
    main()
