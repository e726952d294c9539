"""What calamine does not say of an Excel 97-2003 (.xls) workbook, read from its BIFF records: the rows hidden (by
hand, or filtered out by AutoFilter) and the fonts (".VnTime": text typed in TCVN3).

The workbook is an OLE2 compound file; its ``Workbook`` stream holds a FONT record per font, one BOUNDSHEET
record per sheet (name and where its records start) and, in each sheet, a ROW record per row whose ``fDyZero``
bit says it is hidden. Best effort: a file this cannot follow gives no hidden rows and no fonts (its cells are
read, or refused, by calamine).
"""

from __future__ import annotations

import struct

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_BOUNDSHEET, _BOF, _EOF, _ROW, _FONT, _FILEPASS = 0x0085, 0x0809, 0x000A, 0x0208, 0x0031, 0x002F
_HIDDEN = 0x0020  # ROW.grbit fDyZero: the row is hidden


def read(data: bytes) -> tuple[frozenset[str], dict[str, frozenset[int]]]:
    """The workbook's font names, and by sheet name the 0-based rows hidden; nothing for anything that is not a
    readable BIFF8 workbook."""
    try:
        stream = _workbook_stream(data)
        return (_fonts(stream), _hidden_by_sheet(stream)) if stream else (frozenset(), {})
    except (struct.error, IndexError, KeyError, ValueError, UnicodeDecodeError):
        return frozenset(), {}


def encrypted(data: bytes) -> bool:
    """Whether an Excel 97-2003 workbook is password-protected: a FILEPASS record among its globals."""
    try:
        stream = _workbook_stream(data)
    except (struct.error, IndexError, KeyError, ValueError):
        return False
    pos = 0
    while stream and pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind == _FILEPASS:
            return True
        if kind == _EOF:
            break
        pos += 4 + size
    return False


def _fonts(stream: bytes) -> frozenset[str]:
    names, pos = set(), 0
    while pos + 4 <= len(stream):  # the workbook globals, up to their EOF
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + size]
        if kind == _FONT and size >= 16:  # the name: a count, a flag (UTF-16 or 8-bit), the characters
            count, wide = body[14], body[15] & 1
            names.add(body[16 : 16 + count * (2 if wide else 1)].decode("utf-16-le" if wide else "latin-1"))
        if kind == _EOF:
            break
        pos += 4 + size
    return frozenset(names)


def _workbook_stream(data: bytes) -> bytes | None:
    if not data.startswith(_SIGNATURE):
        return None
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini = 1 << struct.unpack_from("<H", data, 0x20)[0]
    fat_count, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _, first_difat, difat_count = struct.unpack_from("<IIIII", data, 0x38)

    def at(n: int) -> bytes:
        return data[(n + 1) * sector : (n + 2) * sector]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    n = first_difat
    for _ in range(difat_count):  # more FAT sectors than the header lists
        words = struct.unpack(f"<{sector // 4}I", at(n))
        difat += words[:-1]
        n = words[-1]
    fat: list[int] = []
    for n in difat[:fat_count]:
        fat += struct.unpack(f"<{sector // 4}I", at(n))

    def chain(first: int, table: list[int]) -> list[int]:
        out, n = [], first
        while n < len(table) and n != _END_OF_CHAIN and len(out) <= len(table):
            out.append(n)
            n = table[n]
        return out

    directory = b"".join(at(n) for n in chain(first_dir, fat))
    entries = {}
    for offset in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset : offset + max(length - 2, 0)].decode("utf-16-le")
        start, size = struct.unpack_from("<II", directory, offset + 116)
        entries.setdefault(name, (start, size, directory[offset + 66]))
    start, size, _ = entries.get("Workbook") or entries["Book"]
    if size >= cutoff:
        return b"".join(at(n) for n in chain(start, fat))[:size]
    root_start = entries["Root Entry"][0]
    ministream = b"".join(at(n) for n in chain(root_start, fat))
    minifat: list[int] = []
    for n in chain(first_minifat, fat):
        minifat += struct.unpack(f"<{sector // 4}I", at(n))
    return b"".join(ministream[n * mini : (n + 1) * mini] for n in chain(start, minifat))[:size]


def _hidden_by_sheet(stream: bytes) -> dict[str, frozenset[int]]:
    sheets, pos = [], 0
    while pos + 4 <= len(stream):  # the workbook globals: one BOUNDSHEET per sheet
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + size]
        if kind == _BOUNDSHEET and body[5] == 0:  # a worksheet (not a chart, not a macro sheet)
            offset, count, wide = struct.unpack_from("<I", body)[0], body[6], body[7] & 1
            name = body[8 : 8 + count * (2 if wide else 1)].decode("utf-16-le" if wide else "latin-1")
            sheets.append((name, offset))
        if kind == _EOF:
            break
        pos += 4 + size
    out = {}
    for name, pos in sheets:
        hidden = set()
        while pos + 4 <= len(stream):
            kind, size = struct.unpack_from("<HH", stream, pos)
            if kind == _ROW and size >= 16 and struct.unpack_from("<H", stream, pos + 4 + 12)[0] & _HIDDEN:
                hidden.add(struct.unpack_from("<H", stream, pos + 4)[0])
            if kind == _EOF:
                break
            pos += 4 + size
        if hidden:
            out[name] = frozenset(hidden)
    return out
