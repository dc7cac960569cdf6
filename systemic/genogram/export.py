"""The genogram as files for the child's record: SVG, and PNG rendered from that same SVG.

What the group saw is what goes on file: :func:`export_svg` writes exactly the
string :func:`~systemic.genogram.draw.draw_svg` returns (the string the widget
shows), and :func:`svg_to_png` rasterises that string with CairoSVG at a
chosen scale, so a PNG is the screen's picture, pixel for pixel up to fonts.

CairoSVG does not know ``paint-order``, which the drawing uses to put a white
halo *behind* each label so lines never cut through a name. Left as it is, the
halo is painted over the letters and the names vanish. :func:`svg_to_png`
therefore hands CairoSVG the same text twice, halo first and letters second,
which is what ``paint-order="stroke"`` means; nothing else is touched.

>>> from systemic.cases import Case, Person
>>> case = Case(id="c", title="Demo", fictional=True,
...             people=[Person(id="amy", name="Amy", sex="female", born=2015)])
>>> png = svg_to_png(genogram_svg(case), scale=1)
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from systemic.cases import Case
from systemic.errors import WorkbookError

__all__ = ["genogram_svg", "export_svg", "export_png", "svg_to_png", "svg_size", "png_scale",
           "render_png", "MAX_PNG_SIDE", "MAX_PNG_PIXELS"]

#: Cairo cannot make an image wider or taller than this many pixels.
MAX_PNG_SIDE = 32_000
#: Nor do we let it take more memory than this many pixels (4 bytes each: 256 MB).
MAX_PNG_PIXELS = 64_000_000

_HALOED_TEXT = re.compile(
    r'<text\b(?P<attrs>[^>]*?)\s+paint-order="stroke"(?P<rest>[^>]*)>(?P<body>.*?)</text>',
    re.DOTALL,
)
_FILL = re.compile(r'\sfill="[^"]*"')
_STROKE = re.compile(r'\sstroke(?:-width|-linejoin)?="[^"]*"')
_VIEWBOX = re.compile(r'<svg\b[^>]*?\sviewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([\d.]+)'
                      r'[\s,]+([\d.]+)\s*"')


def genogram_svg(case: Case, **draw_options: Any) -> str:
    """The SVG the widget shows for these options (see :func:`~systemic.genogram.draw.draw_svg`).

    >>> from systemic.cases import Case
    >>> genogram_svg(Case(id="c", title="t", fictional=True)).startswith("<svg")
    True
    """
    from systemic.genogram.draw import draw_svg

    return draw_svg(case, **draw_options)


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height of an SVG's ``viewBox``, in user units.

    >>> svg_size('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120.5 80">')
    (120.5, 80.0)
    """
    m = _VIEWBOX.search(svg)
    if m is None:
        raise WorkbookError("this SVG has no viewBox, so its size is not known")
    return float(m.group(3)), float(m.group(4))


def _split_halo(match: re.Match[str]) -> str:
    attrs = match.group("attrs") + match.group("rest")
    body = match.group("body")
    halo = _FILL.sub("", attrs) + ' fill="none"'
    letters = _STROKE.sub("", attrs)
    return f"<text{halo}>{body}</text><text{letters}>{body}</text>"


def _for_cairo(svg: str) -> str:
    """The same picture, with ``paint-order="stroke"`` on text spelt out for CairoSVG.

    >>> print(_for_cairo('<text x="1" fill="#000" stroke="#fff" stroke-width="3" '
    ...                  'paint-order="stroke">A</text>').replace("><", ">\\n<"))
    <text x="1" stroke="#fff" stroke-width="3" fill="none">A</text>
    <text x="1" fill="#000">A</text>
    """
    return _HALOED_TEXT.sub(_split_halo, svg)


def png_scale(width: float, height: float, scale: float) -> tuple[float, str | None]:
    """The scale a PNG of a ``width`` × ``height`` drawing can have, and a note if smaller.

    Cairo refuses images over :data:`MAX_PNG_SIDE` pixels a side, and a huge image
    would take unbounded memory, so a big family tree is scaled down to fit.

    >>> png_scale(400, 300, 2)
    (2, None)
    >>> png_scale(40_000, 500, 2)[0]
    0.8
    >>> print(png_scale(40_000, 500, 2)[1])  # doctest: +ELLIPSIS
    The PNG is scaled to 0.8 pixels per unit (not 2) to stay within what Cairo can draw;...
    """
    fit = min(MAX_PNG_SIDE / max(width, 1e-9), MAX_PNG_SIDE / max(height, 1e-9),
              math.sqrt(MAX_PNG_PIXELS / max(width * height, 1e-9)))
    if scale <= fit:
        return scale, None
    smaller = math.floor(fit * 1000) / 1000
    return smaller, (f"The PNG is scaled to {smaller:g} pixels per unit (not {scale:g}) to stay "
                     "within what Cairo can draw; the SVG has full detail.")


def render_png(svg: str, scale: float = 2) -> tuple[bytes, str | None]:
    """Rasterise an SVG string as PNG bytes, ``scale`` pixels per SVG unit, scaled down
    if the image would be too large (see :func:`png_scale`); returns the bytes and
    the one-line note saying so, or ``None``.

    Raises
    ------
    WorkbookError
        ``scale`` is not a sensible positive number, or the Cairo library is missing.
    """
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= 8:
        raise WorkbookError(f"the PNG scale must be a number above 0 and at most 8, not {scale!r}")
    try:
        import cairosvg
    except (ImportError, OSError):
        raise WorkbookError(
            "PNG export needs the Cairo library — install it (Debian/Ubuntu: "
            "sudo apt-get install libcairo2) or export SVG instead"
        ) from None
    width, height = svg_size(svg)
    scale, note = png_scale(width, height, scale)
    from cairocffi import CairoError

    try:
        png = cairosvg.svg2png(bytestring=_for_cairo(svg).encode("utf-8"), scale=scale)
    except (CairoError, MemoryError, ValueError, OSError) as e:
        raise WorkbookError(f"the PNG could not be drawn ({type(e).__name__}) — "
                            "export SVG instead") from None
    return bytes(png), note


def svg_to_png(svg: str, scale: float = 2) -> bytes:
    """Rasterise an SVG string as PNG bytes (see :func:`render_png`; the note is dropped).

    >>> svg_to_png(genogram_svg(Case(id="c", title="t", fictional=True)))[:4]
    b'\\x89PNG'
    """
    return render_png(svg, scale)[0]


def _write(path: str | os.PathLike[str], data: bytes) -> Path:
    target = Path(path)
    if target.is_dir():
        raise WorkbookError(f"{target} is a folder — give a file name, like genogram.svg")
    if not target.parent.is_dir():
        raise WorkbookError(f"the folder {target.parent} does not exist — create it first")
    try:
        target.write_bytes(data)
    except OSError as e:
        raise WorkbookError(f"{target} could not be written ({e.strerror or e})") from None
    return target


def export_svg(case: Case, path: str | os.PathLike[str], **draw_options: Any) -> Path:
    """Write the genogram as a self-contained SVG file; returns the path.

    ``draw_options`` are those of :func:`~systemic.genogram.draw.draw_svg`
    (``privacy``, ``labels``, ``notation``, ``selected``, ``highlight``, ``show_legend``…).
    """
    return _write(path, genogram_svg(case, **draw_options).encode("utf-8"))


def export_png(case: Case, path: str | os.PathLike[str], scale: float = 2,
               note: Callable[[str], None] | None = None, **draw_options: Any) -> Path:
    """Write the genogram as a PNG rendered from the SVG :func:`export_svg` would write.

    The image is the SVG's ``viewBox`` times ``scale`` pixels (2 suits print and
    high-density screens); a drawing too large for that is scaled down, and
    ``note`` (if given) is called with one line saying so.
    """
    png, said = render_png(genogram_svg(case, **draw_options), scale)
    if said and note is not None:
        note(said)
    return _write(path, png)
