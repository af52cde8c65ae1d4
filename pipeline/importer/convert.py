"""Old and other formats made readable: .doc/.wps and .xls/.et through LibreOffice into .docx/.xlsx, a text PDF's tables."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError, Location, MachineError, Problem
from ..limits import CONVERT_SECONDS

# what LibreOffice turns each old format into, and the reader that then takes it
CONVERTED = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}
# all four are OLE compound files; anything else under their names (HTML, say) is not handed to LibreOffice
OLE = bytes.fromhex("d0cf11e0a1b11ae1")


def converted(path: Path, folder: Path) -> Path:
    """The document as .docx or .xlsx in folder, converted by LibreOffice run headless with a private profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise MachineError(f"读取 {path.suffix} 文件需要 LibreOffice，本机未安装（Debian/Ubuntu：apt-get install -y "
                           "libreoffice-writer libreoffice-calc）；也可以在 Word/WPS、Excel 中另存为 .docx、.xlsx 后导入")
    target = CONVERTED[path.suffix.lower()]
    with open(path, "rb") as handle:
        if handle.read(len(OLE)) != OLE:
            raise InputError([Problem(Location(path.name), f"这不是 Word/WPS 或 Excel 保存的旧版 {path.suffix} 文件",
                                      hint="请在 Word/WPS、Excel 中打开后另存为 .docx、.xlsx 再导入")])
    source = folder / f"form{path.suffix.lower()}"  # a plain name: the user's may hold anything
    shutil.copyfile(path, source)
    try:
        subprocess.run([soffice, "--headless", "-env:UserInstallation=" + (folder / "profile").as_uri(), "--convert-to", target,
                        "--outdir", str(folder / "out"), str(source)], capture_output=True, timeout=CONVERT_SECONDS,
                       env={**os.environ, "HOME": str(folder)}, check=False)
    except subprocess.TimeoutExpired:
        raise InputError([Problem(Location(path.name), f"LibreOffice 在 {CONVERT_SECONDS} 秒内没有转换完这个文件",
                                  hint="请在 Word/WPS、Excel 中另存为 .docx、.xlsx 后导入")]) from None
    result = folder / "out" / f"form.{target}"
    if not result.is_file():
        raise InputError([Problem(Location(path.name), f"LibreOffice 无法把这个 {path.suffix} 文件转换为 .{target}",
                                  hint="请确认文件没有损坏、没有设置打开密码（" + ("转换 .xls、.et 需要 LibreOffice Calc：apt-get "
                                  "install -y libreoffice-calc" if target == "xlsx" else "转换 .doc、.wps 需要 LibreOffice "
                                  "Writer") + "），或在 Word/WPS、Excel 中另存为 .docx、.xlsx")])
    return result


def scratch() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="import-convert-")
