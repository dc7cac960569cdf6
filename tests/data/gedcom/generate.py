"""Write the encoding samples of this corpus from one text, with Python's codecs.

Run from the repository root: ``python tests/data/gedcom/generate.py``. The files are
committed; ``tests/test_gedcom_corpus.py`` checks that running this again gives the
same bytes, so the samples and their recipe never drift apart.

Each sample is the same small family in another character set and header, as the
programs of the last thirty years wrote them. ANSEL has no Python codec, so it has its
own small encoder here (combining marks go *before* their letter in ANSEL).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent
HERE = ROOT / "encodings"

#: Names every single-byte code page below can hold.
WESTERN = ["Jürgen /Müller/", "Zoë /Brontë/", "José /Peña/", "Françoise /Ångström/"]
#: Names that need Unicode or ANSEL's combining marks (Vietnamese, Polish, Czech, …).
WIDE = ["Nguyễn Thị /Phương/", "Trần Văn /Đức/", "Lê /Ngọc Ờn/", "Łukasz /Wałęsa/",
        "Antonín /Dvořák/", "Þórður /Guðmundsson/", "Işık /Erdős/", "Ægir /Œhlenschläger/"]


def family(names: list[str], char: str | None, vers: str | None = None) -> str:
    """A GEDCOM 5.5.1 family: the first two are a couple, the rest their children."""
    head = ["0 HEAD", "1 GEDC", "2 VERS 5.5.1", "2 FORM LINEAGE-LINKED"]
    if char is not None:
        head.append(f"1 CHAR {char}")
        if vers is not None:
            head.append(f"2 VERS {vers}")
    lines = head[:]
    for i, name in enumerate(names, start=1):
        lines += [f"0 @I{i}@ INDI", f"1 NAME {name}", f"1 SEX {'MF'[i % 2]}"]
        lines.append("1 FAMS @F1@" if i <= 2 else "1 FAMC @F1@")
    lines += ["0 @F1@ FAM", "1 HUSB @I1@", "1 WIFE @I2@"]
    lines += [f"1 CHIL @I{i}@" for i in range(3, len(names) + 1)]
    lines.append("0 TRLR")
    return "\r\n".join(lines) + "\r\n"


# -- ANSEL ------------------------------------------------------------------------------------

_SPACING = {
    "Ł": 0xA1, "Ø": 0xA2, "Đ": 0xA3, "Þ": 0xA4, "Æ": 0xA5, "Œ": 0xA6, "ʹ": 0xA7, "·": 0xA8,
    "♭": 0xA9, "®": 0xAA, "±": 0xAB, "Ơ": 0xAC, "Ư": 0xAD, "ʼ": 0xAE, "ʻ": 0xB0, "ł": 0xB1,
    "ø": 0xB2, "đ": 0xB3, "þ": 0xB4, "æ": 0xB5, "œ": 0xB6, "ʺ": 0xB7, "ı": 0xB8, "£": 0xB9,
    "ð": 0xBA, "ơ": 0xBC, "ư": 0xBD, "°": 0xC0, "ℓ": 0xC1, "℗": 0xC2, "©": 0xC3, "♯": 0xC4,
    "¿": 0xC5, "¡": 0xC6, "ß": 0xCF,
}
_MARKS = {
    "\u0309": 0xE0, "\u0300": 0xE1, "\u0301": 0xE2, "\u0302": 0xE3, "\u0303": 0xE4,
    "\u0304": 0xE5, "\u0306": 0xE6, "\u0307": 0xE7, "\u0308": 0xE8, "\u030c": 0xE9,
    "\u030a": 0xEA, "\u0315": 0xED, "\u030b": 0xEE, "\u0310": 0xEF, "\u0327": 0xF0,
    "\u0328": 0xF1, "\u0323": 0xF2, "\u0324": 0xF3, "\u0325": 0xF4, "\u0333": 0xF5,
    "\u0332": 0xF6, "\u0326": 0xF7, "\u031c": 0xF8, "\u032e": 0xF9, "\u0313": 0xFE,
}


def _base(char: str) -> bytes | None:
    if len(char) != 1:
        return None
    if ord(char) < 0x80:
        return char.encode("ascii")
    return bytes([_SPACING[char]]) if char in _SPACING else None


def ansel(text: str) -> bytes:
    """ANSEL bytes of ``text``: each letter as a spacing character (ASCII, or one of
    ANSEL's own such as ơ), preceded by its combining marks.

    >>> ansel("Nguyễn ờ ß")
    b'Nguy\\xe3\\xe4en \\xe1\\xbc \\xcf'
    """
    out = bytearray()
    for cluster in re.findall(r".[\u0300-\u036f\ufe20-\ufe23]*", unicodedata.normalize(
            "NFC", text), re.S):
        parts = unicodedata.normalize("NFD", cluster)
        for cut in range(len(parts), 0, -1):
            base = _base(unicodedata.normalize("NFC", parts[:cut]))
            marks = parts[cut:]
            if base is not None and all(m in _MARKS for m in marks):
                out += bytes(_MARKS[m] for m in marks) + base
                break
        else:
            raise ValueError(f"{cluster!r} cannot be written in ANSEL")
    return bytes(out)


# -- the samples --------------------------------------------------------------------------------

def samples() -> dict[str, bytes]:
    """File name → bytes."""
    wide, western = WESTERN + WIDE, WESTERN
    return {
        "utf8.ged": family(wide, "UTF-8").encode("utf-8"),
        "utf8-bom.ged": family(wide, "UTF-8").encode("utf-8-sig"),
        "utf16le-bom.ged": family(wide, "UNICODE").encode("utf-16-le").join(
            [b"\xff\xfe", b""]),
        "utf16be-bom.ged": family(wide, "UNICODE").encode("utf-16-be").join(
            [b"\xfe\xff", b""]),
        "utf16le-nobom.ged": family(wide, "UNICODE").encode("utf-16-le"),
        "utf16be-nobom.ged": family(wide, "UNICODE").encode("utf-16-be"),
        "ansel.ged": ansel(family(wide, "ANSEL")),
        "ansi-cp1252.ged": family(western + ["Œdipe /Šimek/"], "ANSI").encode("cp1252"),
        "ibm-windows.ged": family(western, "IBM WINDOWS").encode("cp1252"),
        "ibmpc-cp437.ged": family(western, "IBMPC").encode("cp437"),
        "macintosh.ged": family(western, "MACINTOSH").encode("mac_roman"),
        "macintosh-cr-only.ged": family(western, "MACINTOSH").replace("\r\n", "\r")
        .encode("mac_roman"),
        "ansi-vers-1250.ged": family(western[:1] + ["Łucja /Wąsik/", "Ždenka /Řezníčková/"],
                                     "ANSI", "1250").encode("cp1250"),
        "ascii-header-utf8.ged": family(wide, "ASCII").encode("utf-8"),
        "ansel-header-utf8.ged": family(wide, "ANSEL").encode("utf-8"),
        "no-char-cp1252.ged": family(western, None).encode("cp1252"),
        "utf8-header-cp1252.ged": family(western, "UTF-8").encode("cp1252"),
        "lf-only-ascii.ged": family(["Mary /Smith/", "John /Smith/"], "ASCII")
        .replace("\r\n", "\n").encode("ascii"),
        "cr-only-ascii.ged": family(["Mary /Smith/", "John /Smith/"], "ASCII")
        .replace("\r\n", "\r").encode("ascii"),
    }


def torture() -> dict[str, bytes]:
    """Files too large or too repetitive to write by hand (names relative to this folder)."""
    cycle = ["0 HEAD", "1 CHAR ASCII"]
    for i in range(500):
        cycle += [f"0 @I{i}@ INDI", f"1 NAME Gen{i} /Loop/"]
    for i in range(500):
        cycle += [f"0 @F{i}@ FAM", f"1 HUSB @I{i}@", f"1 CHIL @I{(i + 1) % 500}@"]
    long_note = "1 NOTE " + "x" * 100_000
    return {
        "torture/huge-level-number.ged": ("0 HEAD\n1 CHAR ASCII\n0 @I1@ INDI\n1 NAME Kai /Smith/\n"
                                          + "9" * 5000 + " NAME Nobody\n0 TRLR\n").encode(),
        "torture/long-lines.ged": ("0 HEAD\n0 @I1@ INDI\n1 NAME Ann /Long/\n" + long_note
                                   + "\n1 NAME " + "Z" * 9000 + "\n0 TRLR\n").encode(),
        "torture/cycle-500-generations.ged": ("\n".join(cycle) + "\n0 TRLR\n").encode(),
    }


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, data in samples().items():
        (HERE / name).write_bytes(data)
        print(f"{HERE / name}: {len(data)} bytes")
    for name, data in torture().items():
        (ROOT / name).write_bytes(data)
        print(f"{ROOT / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
