"""The ecomap: the household in the middle, Hartman's lines, readable and self-contained."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from systemic.cases import Case, EcomapConnection, Household, Person
from systemic.genogram.ecomap import CHAR_WIDTH, STRESS, ecomap_plan, ecomap_svg

SVG = "{http://www.w3.org/2000/svg}"


def connection(cid: str, name: str, to: str = "kai", **rest) -> EcomapConnection:
    return EcomapConnection(id=cid, name=name, connected_to=to, **rest)


def family(*connections: EcomapConnection, **rest) -> Case:
    return Case(
        id="kai", title="Kai", fictional=True, focal_child="kai",
        people=[Person(id="kai", name="Kai Smith", born=2015),
                Person(id="mia", name="Mia Smith", sex="female", born=1990),
                Person(id="darren", name="Darren Jones", sex="male", born=1988)],
        households=[Household(id="home", name="Mum's house", members=["mia", "kai"]),
                    Household(id="flat", name="Dad's flat", members=["darren"])],
        ecomap=list(connections), **rest)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def ties(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-connection"): g for g in root.iter(f"{SVG}g")
            if g.get("class") == "tie"}


# -- geometry helpers for the tests --------------------------------------------------------


def text_box(t: ET.Element) -> tuple[float, float, float, float]:
    """A generous box round a text element: same width rule as the drawing, full line height."""
    x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size"))
    width = len(t.text or "") * CHAR_WIDTH * size
    left = {"middle": x - width / 2, "start": x, "end": x - width}[t.get("text-anchor")]
    return left, y - size * 0.6, left + width, y + size * 0.6


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# -- the tests -----------------------------------------------------------------------------


def test_the_focal_childs_household_is_in_the_middle():
    root = parse(ecomap_svg(family(connection("school", "School"))))
    words = texts(root)
    assert words[:3] == ["Mum's house", "Mia Smith", "Kai Smith"]
    assert root.find(f"{SVG}title").text == "Ecomap: Mum's house"


def test_another_household_or_a_person_can_be_put_in_the_middle():
    case = family(connection("work", "Dad's work", to="flat"), connection("gym", "Gym",
                                                                          to="darren"))
    flat = parse(ecomap_svg(case, centre="flat"))
    assert "Dad's flat" in texts(flat) and set(ties(flat)) == {"work", "gym"}
    darren = parse(ecomap_svg(case, centre="darren"))
    assert texts(darren)[0] == "Darren Jones" and set(ties(darren)) == {"gym"}
    with pytest.raises(ValueError, match="no person or household"):
        ecomap_svg(case, centre="nobody")


def test_connections_are_spread_evenly_round_the_middle():
    case = family(*[connection(f"s{i}", f"Service {i}") for i in range(7)])
    plan = ecomap_plan(case)
    angles = [math.atan2(p.y - plan.cy, p.x - plan.cx) for p in plan.placed]
    radii = {round(math.hypot(p.x - plan.cx, p.y - plan.cy), 6) for p in plan.placed}
    following = angles[1:] + angles[:1]
    steps = {round((b - a) % (2 * math.pi), 6) for a, b in zip(angles, following, strict=True)}
    assert len(radii) == 1
    assert steps == {round(2 * math.pi / 7, 6)}
    assert angles[0] == pytest.approx(-math.pi / 2)  # the first at twelve o'clock


def test_hartmans_line_styles():
    case = family(connection("a", "A", strength="strong"),
                  connection("b", "B", strength="moderate"),
                  connection("c", "C", strength="tenuous"),
                  connection("d", "D", strength="moderate", stressful=True))
    lines = {cid: g.findall(f"{SVG}line") for cid, g in ties(parse(ecomap_svg(case))).items()}
    assert float(lines["a"][0].get("stroke-width")) > float(lines["b"][0].get("stroke-width"))
    assert lines["b"][0].get("stroke-dasharray") is None
    assert lines["c"][0].get("stroke-dasharray")
    ticks = [line for line in lines["d"] if line.get("stroke") == STRESS]
    assert len(ticks) >= 5  # cross-ticks all along a stressful tie
    assert not any(line.get("stroke") == STRESS for line in lines["b"])


def test_arrowheads_show_which_way_energy_flows():
    case = family(connection("in", "In", flow="to_family"),
                  connection("out", "Out", flow="from_family"),
                  connection("both", "Both", flow="both"),
                  connection("none", "None", flow="none"))
    plan = ecomap_plan(case)
    groups = ties(parse(ecomap_svg(case)))
    assert {cid: len(g.findall(f"{SVG}polygon")) for cid, g in groups.items()} == {
        "in": 1, "out": 1, "both": 2, "none": 0}

    def tip_distance(cid: str) -> float:
        tip = groups[cid].find(f"{SVG}polygon").get("points").split()[0]
        x, y = (float(v) for v in tip.split(","))
        return math.hypot(x - plan.cx, y - plan.cy)

    assert tip_distance("in") < tip_distance("out")  # "to the family" points at the middle


def test_the_key_shows_only_the_styles_used():
    words = texts(parse(ecomap_svg(family(connection("a", "A", strength="strong",
                                                     flow="to_family")))))
    assert "Strong" in words
    assert "Energy or help flows to the family" in words
    assert not {"Moderate", "Tenuous", "Stressful", "Energy or help flows both ways"} & set(words)
    full = texts(parse(ecomap_svg(family(connection("a", "A", strength="tenuous",
                                                    stressful=True)))))
    assert {"Tenuous", "Stressful"} <= set(full) and "Strong" not in full


def test_all_text_is_escaped_and_the_svg_is_well_formed():
    svg = ecomap_svg(family(connection("x", 'Tom & "Jerry" <b>club</b>', kind="group")))
    assert "<b>" not in svg and "&amp;" in svg
    root = parse(svg)  # raises if anything broke the XML
    assert 'Tom & "Jerry"' in " ".join(texts(root))


def test_the_svg_is_self_contained():
    svg = ecomap_svg(family(connection("school", "School", strength="strong", flow="both")))
    without_namespace = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?:|<script|<image|<foreignObject|@import|url\(|@font-face",
                         without_namespace)
    assert 'font-family="sans-serif"' in svg


def test_privacy_mode_shows_initials_not_names():
    case = family(connection("nan", "Nan Pat Smith", kind="person", to="mia"),
                  connection("school", "Oakfield School"))
    svg = ecomap_svg(case, privacy=True)
    words = texts(parse(svg))
    assert "Smith" not in svg and "Mia" not in svg and "Kai" not in svg
    assert {"M.S.", "K.S.", "N.P.S.", "with M.S."} <= set(words)
    assert "Oakfield" in words and "School" in words  # services keep their names
    assert "Household" in words


def test_labels_never_overlap_even_with_many_long_names():
    names = ["Child and Adolescent Mental Health Service", "Oakfield Primary School",
             "Youth Offending Team", "Early Help", "Grandma Pat", "Football club on Saturdays",
             "Housing association", "Food bank", "Church", "GP", "Health visitor",
             "Domestic abuse support service", "Mosque", "Dad's new partner's family"]
    case = family(*[connection(f"s{i}", name, to="home" if i % 2 else "kai",
                               strength=["strong", "moderate", "tenuous"][i % 3],
                               stressful=i % 4 == 0,
                               flow=["none", "to_family", "from_family", "both"][i % 4])
                    for i, name in enumerate(names)],
                  )
    root = parse(ecomap_svg(case))
    width, height = float(root.get("width")), float(root.get("height"))
    boxes = [text_box(t) for t in root.iter(f"{SVG}text")]
    assert len(boxes) > len(names) * 2
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= width and a[3] <= height
        for b in boxes[i + 1:]:
            assert not overlap(a, b), (a, b)


def test_labels_stay_inside_their_circles():
    case = family(*[connection(f"s{i}", "Child and Adolescent Mental Health Service")
                    for i in range(5)])
    root = parse(ecomap_svg(case))
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "system":
            continue
        circle = group.find(f"{SVG}circle")
        cx, cy, r = (float(circle.get(k)) for k in ("cx", "cy", "r"))
        for t in group.findall(f"{SVG}text"):
            left, top, right, bottom = text_box(t)
            for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
                assert math.hypot(x - cx, y - cy) <= r


def test_colours_meet_wcag_aa_on_white():
    case = family(connection("a", "A", strength="strong", stressful=True, flow="both"),
                  connection("b", "B", strength="tenuous", flow="to_family"))
    root = parse(ecomap_svg(case))
    fills = {e.get("fill") for e in root.iter(f"{SVG}circle")} | {"#ffffff"}
    for element in root.iter():
        stroke = element.get("stroke")
        if stroke and stroke != "none":
            assert contrast(stroke, "#ffffff") >= 3, stroke
        if element.tag == f"{SVG}text":
            for background in fills:
                assert contrast(element.get("fill"), background) >= 4.5


def test_connections_of_people_outside_the_middle_are_counted_not_drawn():
    case = family(connection("school", "School"), connection("work", "Work", to="darren"))
    root = parse(ecomap_svg(case))
    assert set(ties(root)) == {"school"}
    assert "1 connection to people outside this household not shown" in texts(root)


def test_an_empty_ecomap_says_so():
    root = parse(ecomap_svg(family()))
    assert "No connections recorded yet" in texts(root)
    assert "Key" not in texts(root)


def test_a_case_with_no_one_to_centre_on_is_refused():
    case = Case(id="c", title="t", fictional=True, people=[Person(id="a", name="A")])
    with pytest.raises(ValueError, match="whose ecomap"):
        ecomap_svg(case)


def test_connections_can_be_clicked_by_id():
    svg = ecomap_svg(family(connection("school", "School")))
    assert svg.count('data-connection="school"') == 2  # the line and the circle


def test_labels_wrap_in_full_and_fit_inside_their_circles(blended):
    """Issue 15: "Clayton Road Surgery (family…" — a label is wrapped, never cut."""
    import math

    from systemic.genogram.ecomap import CHAR_WIDTH, ecomap_plan

    plan = ecomap_plan(blended)
    for placed in plan.placed:
        assert " ".join(placed.lines).replace("- ", "") == placed.connection.name
        assert not any(line.endswith("…") for line in placed.lines)
        notes = placed.note.split("\n") if placed.note else []
        assert not any(line.endswith("…") for line in notes)
        widest = max([len(line) * CHAR_WIDTH * 12 for line in placed.lines]
                     + [len(line) * CHAR_WIDTH * 10.5 for line in notes])
        tall = (len(placed.lines) * 12 + len(notes) * 10.5) * 1.3
        assert math.hypot(widest / 2, tall / 2) <= plan.system_r
    assert " ".join(plan.title_lines) == plan.title == "Mum's house, Clayton Road"
    assert not any(line.endswith("…") for line in plan.members)
    surgery = next(p for p in plan.placed if p.connection.name.startswith("Clayton Road"))
    assert surgery.lines[-1] == "doctor)"


def test_a_very_long_name_makes_every_circle_bigger_rather_than_being_cut():
    from systemic.cases import Case, EcomapConnection, Person
    from systemic.genogram.ecomap import ecomap_plan, ecomap_svg

    name = "Child and Adolescent Mental Health Service (CAMHS), Eastgate and Harrowfield"
    case = Case(id="c", title="t", fictional=True, focal_child="kai",
                people=[Person(id="kai", name="Kai")],
                ecomap=[EcomapConnection(id="camhs", name=name, connected_to="kai"),
                        EcomapConnection(id="gp", name="GP", connected_to="kai")])
    plan = ecomap_plan(case)
    assert plan.system_r > 66
    assert " ".join(plan.placed[0].lines) == name
    radius = f"{plan.system_r:.1f}".rstrip("0").rstrip(".")
    assert ecomap_svg(case).count(f'r="{radius}"') == 2  # both circles, the same size
