"""An HTML page that only shows: no script, no event handler, no javascript: link, nothing fetched when it is opened;
and a stylesheet that cannot pull in a file or an address."""
from __future__ import annotations

import re

from lxml import etree

from ..errors import TemplateError, nth_line

PAGE = frozenset("""
    html head body meta title style header footer main section article nav div span p br hr h1 h2 h3 h4 h5 h6
    em strong b i u s del ins mark small sub sup code pre kbd samp var q blockquote cite abbr
    ul ol li dl dt dd table caption colgroup col thead tbody tfoot tr th td figure figcaption img a""".split())
# dropped with everything inside them (other unknown elements give way to their text)
ACTIVE = frozenset("""
    script iframe frame frameset object embed applet form input button textarea select option link base svg math
    template noscript audio video source track canvas portal""".split())
ATTRIBUTES = frozenset("id class lang dir title alt role colspan rowspan span start type scope width height".split())
META_NAMES = frozenset("viewport generator author dcterms.date keywords description".split())
WEB_LINK = re.compile(r"\s*(?:https?://|mailto:|#)", re.IGNORECASE)
OUR_PICTURE = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*")
# the inline styles pandoc writes: alignment and widths, plain values only
INLINE_STYLE = re.compile(r"\s*(?:(?:text-align|vertical-align|width|height)\s*:\s*[\w.%# -]+;?\s*)*")

# what a stylesheet may not hold: anything that loads a file or an address, runs script, or ends the <style> element
STYLESHEET_REFUSED = re.compile(r"@import|url\s*\(|image(?:-set)?\s*\(|expression\s*\(|javascript:|behavior\s*:"
                                r"|-moz-binding|\\|<", re.IGNORECASE)


def checked_stylesheet(css: str, shown: str) -> str:
    """The stylesheet as it is, or a TemplateError naming the file and line of the first thing it may not hold."""
    for number, line in enumerate(css.split("\n"), 1):
        found = STYLESHEET_REFUSED.search(line)
        if found:
            raise TemplateError(
                f"{shown}:{nth_line(number)}：样式表不能含有“{found.group(0)}”（当前行：{line.strip()[:80]!r}）；"
                "网页样式只能写字体、字号、颜色、间距等，不能用 @import、url()、image-set()、expression()、"
                "反斜杠转义或“<”引用其他文件、网络资源或脚本")
    return css


def inert(document: etree._Element) -> None:
    """Keep only the elements and attributes of a page that shows text, tables and our charts."""
    for node in list(document.iter(etree.Comment, etree.ProcessingInstruction)):
        node.getparent().remove(node)
    for element in list(document.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ACTIVE or (tag == "style" and element.getparent().tag != "head"):
            element.drop_tree()
        elif tag not in PAGE:
            element.drop_tag()
        else:
            _inert_attributes(element, tag)


def _inert_attributes(element: etree._Element, tag: str) -> None:
    for name, value in list(element.attrib.items()):
        if not _allowed(tag, name.lower(), value, element):
            del element.attrib[name]


def _allowed(tag: str, name: str, value: str, element: etree._Element) -> bool:
    if name in ATTRIBUTES or name.startswith(("data-", "aria-")) or name in ("xmlns", "xml:lang"):
        return True
    if name == "href":
        return tag == "a" and bool(WEB_LINK.match(value))
    if name == "src":
        return tag == "img" and bool(OUR_PICTURE.fullmatch(value))
    if name == "style":
        return bool(INLINE_STYLE.fullmatch(value))
    if tag == "meta":
        return name == "charset" or (name in ("name", "content") and element.get("name") in META_NAMES)
    return False
