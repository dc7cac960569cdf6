"""The text of a GEDCOM file from its bytes, whatever program and decade wrote it.

GEDCOM files come in many character sets: UTF-8 (with or without a byte-order
mark), UTF-16 (with or without one), ANSEL (the GEDCOM 5 standard, whose accents
come *before* their letter), and the old code pages of Windows (ANSI, 1252), DOS
(IBMPC, 437) and the Macintosh. The header says which (``1 CHAR`` and sometimes
``2 VERS``), but is often wrong: many programs write ``ANSI`` or ``ANSEL`` and
then UTF-8. So the bytes themselves decide when they can, and the header when
they cannot.

>>> decode_gedcom("0 HEAD\\n1 CHAR UTF-8\\n".encode("utf-8-sig")).splitlines()[0]
'0 HEAD'
>>> decode_gedcom(b"0 HEAD\\n1 CHAR ANSEL\\n1 NAME Zo\\xe8e").split()[-1]
'Zoë'
>>> decode_gedcom(b"0 HEAD\\n1 CHAR IBMPC\\n1 NAME J\\x81rgen").split()[-1]
'Jürgen'
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator

__all__ = ["decode_gedcom", "decode_with_note", "ansel_to_text", "is_utf16"]

# -- ANSEL (ANSI Z39.47-1985 with the GEDCOM 5.5.1 additions) ----------------------------------

#: Spacing characters above ASCII (MARC-8 / Z39.47, plus GEDCOM's boxes, midline e and o
#: and ß at CF; C7 and C8 are MARC 21's later ß and €).
_ANSEL_CHARS = {
    0x8D: "\u200d", 0x8E: "\u200c",
    0xA1: "Ł", 0xA2: "Ø", 0xA3: "Đ", 0xA4: "Þ", 0xA5: "Æ", 0xA6: "Œ", 0xA7: "ʹ", 0xA8: "·",
    0xA9: "♭", 0xAA: "®", 0xAB: "±", 0xAC: "Ơ", 0xAD: "Ư", 0xAE: "ʼ",
    0xB0: "ʻ", 0xB1: "ł", 0xB2: "ø", 0xB3: "đ", 0xB4: "þ", 0xB5: "æ", 0xB6: "œ", 0xB7: "ʺ",
    0xB8: "ı", 0xB9: "£", 0xBA: "ð", 0xBC: "ơ", 0xBD: "ư", 0xBE: "□", 0xBF: "■",
    0xC0: "°", 0xC1: "ℓ", 0xC2: "℗", 0xC3: "©", 0xC4: "♯", 0xC5: "¿", 0xC6: "¡", 0xC7: "ß",
    0xC8: "€", 0xCD: "ᵉ", 0xCE: "ᵒ", 0xCF: "ß",
}
#: Non-sorting markers: they bracket an article to skip when sorting, and show as nothing.
_ANSEL_SILENT = frozenset({0x88, 0x89})
#: Combining marks, written before the letter they sit on.
_ANSEL_MARKS = {
    0xE0: "\u0309", 0xE1: "\u0300", 0xE2: "\u0301", 0xE3: "\u0302", 0xE4: "\u0303",
    0xE5: "\u0304", 0xE6: "\u0306", 0xE7: "\u0307", 0xE8: "\u0308", 0xE9: "\u030c",
    0xEA: "\u030a", 0xEB: "\ufe20", 0xEC: "\ufe21", 0xED: "\u0315", 0xEE: "\u030b",
    0xEF: "\u0310", 0xF0: "\u0327", 0xF1: "\u0328", 0xF2: "\u0323", 0xF3: "\u0324",
    0xF4: "\u0325", 0xF5: "\u0333", 0xF6: "\u0332", 0xF7: "\u0326", 0xF8: "\u031c",
    0xF9: "\u032e", 0xFA: "\ufe22", 0xFB: "\ufe23", 0xFE: "\u0313",
}


def _ansel_table() -> dict[int, str | None]:
    """Each byte (as a Latin-1 character) → its ANSEL character; unknown bytes → U+FFFD."""
    table: dict[int, str | None] = {b: "\ufffd" for b in range(0x80, 0x100)}
    table.update(_ANSEL_CHARS)
    table.update(_ANSEL_MARKS)
    table.update({b: None for b in _ANSEL_SILENT})
    return table


_ANSEL_TABLE = _ansel_table()
_MARK_RUN = re.compile("([" + "".join(sorted(set(_ANSEL_MARKS.values()))) + "]+)([^\r\n]?)")


def _after(match: re.Match[str]) -> str:
    marks, letter = match.groups()
    return letter + marks if letter else " " + marks  # a mark with no letter stays, spaced


def ansel_to_text(raw: bytes) -> str:
    """Decode ANSEL: each run of combining marks moves after the letter that follows it
    (keeping their order, nearest the letter first, as in MARC-8), and the result is
    NFC-normalised, so ``E2 65`` is one ``é`` and ``E1 BC`` one ``ờ``. The work is done
    by ``str.translate`` and one regular expression, so a large file costs little.

    >>> ansel_to_text(b"Nguy\\xe3\\xe2en \\xe1\\xbcn \\xe2\\xad")
    'Nguyến ờn Ứ'
    """
    if raw.isascii():
        return raw.decode("ascii")
    return "".join(_ansel_piece(piece) for piece in _pieces(raw, 1 << 16))


def _ansel_piece(raw: bytes) -> str:
    text = raw.decode("latin-1").translate(_ANSEL_TABLE)
    return unicodedata.normalize("NFC", _MARK_RUN.sub(_after, text))


def _pieces(raw: bytes, size: int) -> Iterator[bytes]:
    """``raw`` in pieces of about ``size`` bytes, each cut after a byte that is not a
    combining mark, so no letter is parted from its marks (and the work of decoding a
    large file stays small at any moment).

    >>> list(_pieces(b"ab\\xe2cd", 2))
    [b'ab', b'\\xe2c', b'd']
    """
    start = 0
    while start < len(raw):
        end = min(len(raw), start + size)
        while end < len(raw) and raw[end - 1] in _ANSEL_MARKS:
            end += 1
        yield raw[start:end]
        start = end


# -- the header's CHAR and VERS ----------------------------------------------------------------

#: ``1 CHAR`` values as written by programs over the years → Python codec.
_CHARSETS = {
    "ANSEL": "ansel", "UTF-8": "utf-8", "UTF8": "utf-8", "UNICODE": "utf-16",
    "UTF-16": "utf-16", "ASCII": "ascii", "ANSI": "cp1252", "WINDOWS": "cp1252",
    "IBM WINDOWS": "cp1252", "IBMWINDOWS": "cp1252", "WINDOWS-1252": "cp1252",
    "CP1252": "cp1252", "ISO-8859-1": "latin-1", "ISO8859-1": "latin-1", "LATIN1": "latin-1",
    "ISO-8859-15": "iso8859-15", "IBMPC": "cp437", "IBM PC": "cp437", "IBM-PC": "cp437",
    "IBM DOS": "cp437", "MSDOS": "cp437", "DOS": "cp437", "OEM": "cp437", "CP437": "cp437",
    "CP850": "cp850", "MACINTOSH": "mac_roman", "MAC": "mac_roman", "MACROMAN": "mac_roman",
    "MAC-ROMAN": "mac_roman", "APPLE": "mac_roman",
}
_CHAR_LINE = re.compile(r"^[ \t]*1[ \t]+CHAR(?:SET)?[ \t]+([^\r\n]*?)[ \t]*$",
                        re.MULTILINE | re.IGNORECASE)
_VERS_LINE = re.compile(r"\A\r?\n[ \t]*2[ \t]+VERS[ \t]+([^\r\n]*?)[ \t]*$",
                        re.MULTILINE | re.IGNORECASE)
#: Bytes Windows-1252 leaves undefined: text holding them was not written in it.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def _head(raw: bytes) -> str:
    """The start of the file as text, with CR LF and CR-only line ends (old Macintosh
    files) made LF, for reading the header.

    >>> _head(b"0 HEAD\\r1 CHAR MACINTOSH\\r")
    '0 HEAD\\n1 CHAR MACINTOSH\\n'
    """
    return raw[:4000].decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")


def _declared(raw: bytes) -> str | None:
    """The codec the header names, reading ``2 VERS`` under ``1 CHAR`` for a code page
    (``1 CHAR ANSI`` / ``2 VERS 1250``). ``None`` if there is no CHAR line."""
    head = _head(raw)
    end = re.search(r"^\s*0\s", head[5:], re.MULTILINE)  # the header ends at the next record
    head = head[: end.start() + 5] if end else head
    m = _CHAR_LINE.search(head)
    if not m:
        return None
    name = " ".join(m.group(1).upper().split())
    vers = _VERS_LINE.match(head[m.end():])
    if vers and name in ("ANSI", "IBMPC", "IBM PC", "WINDOWS", "IBM WINDOWS", "DOS", "OEM"):
        page = re.sub(r"^(CP|WINDOWS-?|IBM-?)", "", vers.group(1).upper())
        if page.isdigit() and _codec_exists(f"cp{page}"):
            return f"cp{page}"
    if name in _CHARSETS:
        return _CHARSETS[name]
    return name.lower() if _codec_exists(name) and name != "UTF-16" else "unknown"


def _codec_exists(name: str) -> bool:
    """Whether ``name`` is a character set Python can decode text with (not ``base64``,
    ``zlib`` and the like, which Python's codecs also know).

    >>> _codec_exists("cp850"), _codec_exists("base64"), _codec_exists("utf-32")
    (True, False, False)
    """
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,40}", name):
        return False
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    if not getattr(info, "_is_text_encoding", True) or info.name in ("idna", "punycode"):
        return False
    try:  # GEDCOM's own lines are ASCII: a character set that changes them is not this file's
        return b"0 HEAD\n1 CHAR".decode(info.name) == "0 HEAD\n1 CHAR"
    except (UnicodeError, ValueError):
        return False


def is_utf16(raw: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` if the bytes look like UTF-16 without a
    byte-order mark ("0 HEAD" with a zero byte after or before each letter).

    >>> is_utf16("0 HEAD".encode("utf-16-le")), is_utf16(b"0 HEAD")
    ('utf-16-le', None)
    """
    sample = raw[:200]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= len(odd) * 0.9 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) >= len(even) * 0.9 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


# -- deciding ---------------------------------------------------------------------------------


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_with_note(raw: bytes) -> tuple[str, str | None]:
    """The text, and a sentence if the header's character set was not the one used.

    Order of evidence: a byte-order mark; UTF-16's zero bytes; then, as UTF-8 almost
    never decodes by accident, any file that is valid UTF-8 is read as UTF-8 (whatever
    the header says); otherwise the header's CHAR (and VERS) decides, and with no usable
    header, Windows-1252.

    >>> decode_with_note("0 HEAD\\n1 CHAR ANSI\\n1 NAME Zoë".encode())[1]
    'the header says ANSI (cp1252) but the text is UTF-8, so it was read as UTF-8'
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, errors="replace"), None
    wide = is_utf16(raw)
    if wide:
        return raw[: len(raw) // 2 * 2].decode(wide, errors="replace"), None
    declared = _declared(raw)
    text = _utf8(raw)
    if text is not None:
        if raw.isascii() or declared in (None, "utf-8", "ascii", "unknown"):
            return text, None
        header = _CHAR_LINE.search(_head(raw))
        said = " ".join(header.group(1).split()) if header else declared
        codec = "" if said.lower() == declared else f" ({declared})"
        return text, (f"the header says {said}{codec} but the text is UTF-8, "
                      "so it was read as UTF-8")
    if declared == "ansel":
        return ansel_to_text(raw), None
    if declared in (None, "utf-8", "ascii", "unknown", "utf-16"):
        header = _CHAR_LINE.search(_head(raw))
        what = " ".join(header.group(1).split())[:40] if header else "no character set"
        codec, called = (("cp437", "DOS (code page 437)") if _NOT_CP1252.search(raw)
                         else ("cp1252", "Windows-1252"))
        note = (f"the header gives {what or 'no character set'} but the text is not UTF-8; "
                f"it was read as {called} — check names with accents")
        return raw.decode(codec, errors="replace"), note
    try:
        return raw.decode(declared, errors="replace"), None
    except (UnicodeError, LookupError, ValueError):
        return raw.decode("cp1252", errors="replace"), (
            f"the header's character set ({declared}) could not be used; the text was read "
            "as Windows-1252 — check names with accents")


def decode_gedcom(raw: bytes) -> str:
    """The text of a GEDCOM file (see :func:`decode_with_note`).

    >>> decode_gedcom(b"0 HEAD\\n1 CHAR MACINTOSH\\n1 NAME J\\x9frgen").split()[-1]
    'Jürgen'
    """
    return decode_with_note(raw)[0]
