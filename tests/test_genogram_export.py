"""Genogram export: the SVG the group saw, and a PNG rendered from that very SVG; the command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from systemic.cases import Case, Person, load_case
from systemic.cli import main
from systemic.errors import WorkbookError
from systemic.genogram.draw import draw_svg
from systemic.genogram.export import export_png, export_svg, genogram_svg, svg_size, svg_to_png
from systemic.paths import CASES_DIR
from systemic.session import SupervisorSession
from systemic.store import Store
from widgets.genogram import GenogramEditorPanel

GEDCOM = Path(__file__).resolve().parents[2] / "shared" / "data" / "gedcom"
CASE = CASES_DIR / "blended_family.yaml"


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(CASE)


def test_the_exported_svg_is_the_string_the_widget_shows(case, store_path, tmp_path) -> None:
    with Store.open(store_path) as store:
        session = SupervisorSession.start(store, framework_id="camden_practice_framework",
                                          case=case)
        panel = GenogramEditorPanel(session)
        panel.select("maya")  # the widget marks the selection; the drawing is everyone's
        path = export_svg(case, tmp_path / "g.svg")
    assert path.read_text(encoding="utf-8") == panel.drawing
    assert panel.widget.svg == genogram_svg(case, show_legend=False)


def test_the_png_is_the_svg_at_scale_and_not_blank(case) -> None:
    svg = draw_svg(case)
    width, height = svg_size(svg)
    for scale in (1, 2):
        image = _png(svg_to_png(svg, scale=scale))
        assert abs(image.width - width * scale) <= 1
        assert abs(image.height - height * scale) <= 1
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128])
    assert 0.005 < dark / (image.width * image.height) < 0.5


def test_names_are_legible_in_the_png_not_hidden_under_their_white_halo() -> None:
    # Cairo does not know paint-order; without spelling it out the halo covers the letters.
    one = Case(id="c", title="t", fictional=True,
               people=[Person(id="w", name="WWWWWWWWWWWW", sex="unknown")])
    svg = draw_svg(one, show_legend=False)
    assert 'paint-order="stroke"' in svg
    label = svg.split('class="name"')[0].rsplit("<text", 1)[1]
    y = float(label.split('y="')[1].split('"')[0])
    image = _png(svg_to_png(svg, scale=2)).convert("L")
    band = image.crop((0, int((y - 10) * 2), image.width, int((y + 2) * 2)))
    assert sum(band.histogram()[:128]) > 200


def test_export_png_writes_what_svg_to_png_makes(case, tmp_path) -> None:
    path = export_png(case, tmp_path / "g.png", scale=1, privacy=True)
    assert path.read_bytes() == svg_to_png(genogram_svg(case, privacy=True), scale=1)


def test_a_silly_scale_or_a_missing_folder_is_one_clear_error(case, tmp_path) -> None:
    with pytest.raises(WorkbookError, match="scale"):
        svg_to_png(draw_svg(case), scale=0)
    with pytest.raises(WorkbookError, match="does not exist"):
        export_svg(case, tmp_path / "no" / "such" / "g.svg")


# -- the command ------------------------------------------------------------------------------


def test_the_command_draws_a_case_file_as_svg_and_png(tmp_path, capsys) -> None:
    svg, png = tmp_path / "g.svg", tmp_path / "g.png"
    assert main(["genogram", str(CASE), "--svg", str(svg), "--png", str(png)]) == 0
    text = svg.read_text(encoding="utf-8")
    assert text == genogram_svg(load_case(CASE))
    width, _height = svg_size(text)
    assert abs(_png(png.read_bytes()).width - 2 * width) <= 1
    assert "16 people" in capsys.readouterr().out


def test_the_command_draws_a_gedcom_tree_with_names_hidden(tmp_path) -> None:
    svg = tmp_path / "bronte.svg"
    assert main(["genogram", str(GEDCOM / "bronte.ged"), "--svg", str(svg), "--privacy",
                 "--notation", "genopro"]) == 0
    text = svg.read_text(encoding="utf-8")
    assert "data-person=" in text and "Charlotte" not in text


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        ("- just\n- a list\n", "case.yaml", "a case file must be"),
        ("0 HEAD\n1 GEDC\nthis is not gedcom\n", "tree.ged", "tree.ged"),
        (None, "missing.ged", "file not found"),
    ],
)
def test_a_bad_file_is_one_line_and_exit_2(tmp_path, capsys, content, name, words) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["genogram", str(path), "--svg", str(tmp_path / "out.svg")]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out.svg").exists()


def test_the_command_asks_where_to_write(capsys) -> None:
    assert main(["genogram", str(CASE)]) == 2
    assert "--svg" in capsys.readouterr().err


def _wide_case(n: int = 420) -> Case:
    return Case(id="wide", title="Wide", fictional=True,
                people=[Person(id=f"p{i}", name=f"Person number {i}") for i in range(n)])


def test_a_drawing_too_wide_for_cairo_becomes_a_smaller_png_with_a_note(tmp_path) -> None:
    case = _wide_case()
    svg = genogram_svg(case)
    width, _height = svg_size(svg)
    assert width * 2 > 32_767  # Cairo refused this at scale 2 (INVALID_SIZE)
    notes: list[str] = []
    path = export_png(case, tmp_path / "wide.png", note=notes.append)
    image = _png(path.read_bytes())
    assert 16_000 < image.width <= 32_000
    assert len(notes) == 1 and "scaled to" in notes[0] and "\n" not in notes[0]


def test_the_command_says_in_one_line_when_it_scales_a_png_down(tmp_path, capsys) -> None:
    import yaml

    source = tmp_path / "wide.yaml"
    people = [{"id": p.id, "name": p.name} for p in _wide_case().people]  # as a person writes it
    source.write_text(yaml.safe_dump({"id": "wide", "title": "Wide", "fictional": True,
                                      "people": people}), encoding="utf-8")
    assert main(["genogram", str(source), "--png", str(tmp_path / "wide.png")]) == 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "scaled to" in err and "Traceback" not in err


def test_png_scale_keeps_the_pixels_bounded() -> None:
    from systemic.genogram.export import MAX_PNG_PIXELS, png_scale

    for width, height in [(100, 100), (40_000, 300), (300, 90_000), (20_000, 20_000)]:
        scale, note = png_scale(width, height, 2)
        assert width * scale <= 32_767 and height * scale <= 32_767
        assert width * height * scale * scale <= MAX_PNG_PIXELS
        assert (note is None) == (scale == 2)


def test_the_command_draws_the_family_around_a_person(tmp_path, capsys) -> None:
    svg = tmp_path / "around.svg"
    assert main(["genogram", str(CASE), "--around", "maya", "--generations", "1",
                 "--relationships", "none", "--svg", str(svg)]) == 0
    text = svg.read_text(encoding="utf-8")
    assert 'data-person="maya"' in text and 'data-person="george"' not in text
    assert 'class="relationship"' not in text
    assert main(["genogram", str(CASE), "--around", "nobody", "--svg", str(svg)]) == 2
    err = capsys.readouterr().err
    assert "--around nobody" in err.splitlines()[-1]
