"""Drawing the genogram as SVG: well-formed, escaped, private when asked, accessible,
self-contained, in the chosen notation, with a legend of only what is used."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from systemic.cases import (
    PARENT_KINDS,
    PERSON_KINDS,
    RELATIONSHIP_KINDS,
    SEXES,
    UNION_STATUSES,
    Case,
    Household,
    ParentLink,
    Person,
    Relationship,
    Twins,
)
from systemic.genogram.draw import (
    draw_svg,
    initials,
    legend_entries,
    notation_profile,
    notation_profiles,
    person_keys,
)
from systemic.genogram.geometry import contrast_ratio
from systemic.genogram.layout import NOTATION_FILE, layout
from tests.test_genogram_layout import everything, family, kids, person, random_families, union

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.strip() for el in root.iter() for t in (el.text, el.tail) if t and t.strip()]


def person_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-person"): g for g in root.iter(f"{SVG}g")
            if g.get("class") == "person"}


def legend_captions(root: ET.Element) -> list[str]:
    (legend,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    return [t.text for t in legend.iter(f"{SVG}text") if t.text != "Key"]


def small_family(**extra) -> Case:
    return family([person("mum", "female", 1985), person("dad", "male", 1983),
                   person("kid", "male", 2015)],
                  [union("u", "mum", "dad", began=2010)], kids(["mum", "dad"], "kid"), **extra)


# -- well-formed and self-contained ---------------------------------------------------------


@pytest.mark.parametrize("notation", notation_profiles())
def test_the_svg_is_well_formed_xml_in_every_notation(notation):
    root = parse(draw_svg(everything(), notation=notation, as_of=2025))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Genogram: Test family"
    assert "people over" in root.find(f"{SVG}desc").text


def test_the_svg_loads_nothing_from_anywhere():
    svg = draw_svg(everything(), as_of=2025)
    for forbidden in ("href", "<image", "<script", "@import", "url(", "foreignObject",
                      "http://", "https://"):
        assert forbidden not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "sans-serif" in parse(svg).get("font-family")


def test_names_that_look_like_markup_come_out_literally():
    nasty = '<img src=x onerror=alert(1)>'
    breakout = '"]]></svg><script>alert(2)</script>'
    case = family([person("a", "female", 1980, name=nasty), person("b", "male", 1979,
                                                                      name=breakout),
                   person("c", "unknown", 2010, name="Tom & Jerry's \"kid\"")],
                  [union("u", "a", "b")], kids(["a", "b"], "c"),
                  households=[Household(id="h", name="<b>Home</b>", members=["a", "b", "c"])],
                  relationships=[Relationship(**{"from": "a", "to": "b", "kind": "conflict"})])
    case = case.model_copy(update={"title": "</title><script>x</script>"})
    svg = draw_svg(case, as_of=2025)
    root = parse(svg)  # still well-formed
    assert not [el for el in root.iter() if el.tag.endswith(("img", "script"))]
    groups = person_groups(root)
    name_a = [t.text.strip() for t in groups["a"].iter(f"{SVG}text") if t.get("class") == "name"]
    assert " ".join(name_a) == nasty  # wrapped over two lines, every character kept
    assert any("Tom & Jerry's" in t for t in texts(root))
    assert root.find(f"{SVG}title").text == "Genogram: </title><script>x</script>"
    labels = [g.get("aria-label") for g in root.iter() if g.get("aria-label")]
    assert any(breakout in label for label in labels)
    assert "<img" not in svg and "<script" not in svg


def test_control_characters_in_names_cannot_break_the_xml():
    case = family([person("a", "female", 1980, name="Bad\x00 na\x1bme\x0b here")])
    root = parse(draw_svg(case, as_of=2025))
    assert "Bad name here" in person_groups(root)["a"].get("aria-label")


# -- people are buttons ---------------------------------------------------------------------


def test_every_person_is_a_focusable_button_with_a_description():
    case = everything()
    root = parse(draw_svg(case, as_of=2025))
    groups = person_groups(root)
    assert set(groups) == {p.id for p in case.people}
    for p in case.people:
        g = groups[p.id]
        assert g.get("tabindex") == "0" and g.get("role") == "button"
        # Label in Name (WCAG 2.5.3): the accessible name begins with the text on screen.
        seen = " ".join((t.text or "").strip() for t in g.iter(f"{SVG}text")).strip()
        assert g.get("aria-label").startswith(seen)
        for element in g.iter():
            if element is not g and element.tag != f"{SVG}title":
                assert element.get("data-person") == p.id


def test_the_description_says_who_someone_is():
    root = parse(draw_svg(everything(), as_of=2025))
    gma = person_groups(root)["gma"].get("aria-label")
    assert gma == "82 Gma b. 1943, female, born 1943, age 82, generation 1"
    gc = person_groups(root)["gc"].get("aria-label")
    assert "index person" in gc
    m2 = person_groups(root)["m2"].get("aria-label")
    assert "gender identity non-binary" in m2


def test_selected_and_highlighted_people_are_marked():
    root = parse(draw_svg(everything(), selected="x", highlight=["a", "b"], as_of=2025))
    groups = person_groups(root)
    assert groups["x"].get("aria-pressed") == "true"
    assert groups["a"].get("aria-pressed") == "false"
    assert [r for r in groups["x"].iter(f"{SVG}rect") if r.get("class") == "selected"]
    for pid in ("a", "b"):
        assert [r for r in groups[pid].iter(f"{SVG}rect") if r.get("class") == "highlight"]
    assert not [r for r in groups["c1"].iter(f"{SVG}rect") if r.get("class") == "highlight"]


# -- privacy ----------------------------------------------------------------------------------


def test_privacy_hides_every_name_everywhere():
    case = everything()
    case = case.model_copy(update={
        "title": "Walker family",
        "people": [p.model_copy(update={"name": f"Zephyrine {p.id.title()} Quillfeather"})
                   for p in case.people],
    })
    svg = draw_svg(case, privacy=True, as_of=2025)
    parse(svg)
    lowered = svg.lower()
    for word in ("zephyrine", "quillfeather", "walker", "mark's", "greens"):
        assert word not in lowered
    for p in case.people:
        assert f'"{p.id}"' not in svg  # no ids either: they are often first names
    assert "Z.G.Q." in svg  # initials of "Zephyrine Gc Quillfeather"
    assert set(person_groups(parse(svg))) == set(person_keys(case, privacy=True).values())


def test_privacy_uses_role_labels_when_given():
    case = small_family()
    root = parse(draw_svg(case, privacy=True, labels={"mum": "Mum", "kid": "Child"},
                          as_of=2025))
    groups = person_groups(root)
    keys = person_keys(case, privacy=True)
    assert " Mum " in groups[keys["mum"]].get("aria-label")
    assert " Child " in groups[keys["kid"]].get("aria-label")
    assert " D. " in groups[keys["dad"]].get("aria-label")
    assert all("Dad" not in g.get("aria-label") for g in groups.values())


def test_a_layout_made_with_initials_is_made_again_for_full_names():
    case = small_family()
    narrow = layout(case, names={p.id: initials(p.name) for p in case.people})
    svg = draw_svg(case, narrow, as_of=2025)
    assert "Mum" in svg
    wide = layout(case)
    boxes = re.findall(r'<text x="([\d.]+)"', svg)
    assert boxes  # drawn
    assert wide.people["dad"].x == pytest.approx(
        float(person_groups(parse(svg))["dad"].find(f"{SVG}text[@class='name']").get("x")),
        abs=0.1)


def test_initials_are_made_from_each_word():
    assert initials("Mary-Jane O'Neil") == "M.J.O."
    assert initials("  ") == "?"


# -- notation ----------------------------------------------------------------------------------


def shapes(group: ET.Element) -> list[str]:
    return [el.tag.removeprefix(SVG) for el in group
            if el.tag not in (f"{SVG}title", f"{SVG}text")
            and el.get("class") not in ("focus-ring", "selected", "highlight")]


def test_standard_symbols():
    root = parse(draw_svg(everything(), as_of=2025))
    groups = person_groups(root)
    assert shapes(groups["x"])[0] == "rect"  # male: square
    assert shapes(groups["a"])[0] == "circle"  # female: circle
    assert shapes(groups["lodger"])[0] == "polygon"  # unknown: diamond
    assert shapes(groups["gc"])[:2] == ["rect", "rect"]  # index: double outline
    assert shapes(groups["gpa"]).count("line") == 2  # died: a cross
    assert shapes(groups["preg"])[0] == "polygon"  # pregnancy: triangle
    age = [t.text.strip() for t in groups["gma"].iter(f"{SVG}text") if t.get("class") == "age"]
    assert age == ["82"]  # age inside the symbol
    italic = [t for t in groups["m2"].iter(f"{SVG}text") if t.get("font-style") == "italic"]
    assert [t.text.strip() for t in italic] == ["non-binary"]


def test_contested_glyphs_follow_the_notation_profile():
    case = everything()
    mcg = person_groups(parse(draw_svg(case, notation="mcgoldrick", as_of=2025)))["loss"]
    gp = person_groups(parse(draw_svg(case, notation="genopro", as_of=2025)))["loss"]
    assert shapes(mcg) == ["circle"]  # a small filled circle
    assert mcg.find(f"{SVG}circle").get("fill") != "#ffffff"
    assert shapes(gp)[0] == "polygon" and shapes(gp).count("line") == 2  # crossed triangle


@pytest.mark.parametrize("notation", notation_profiles())
def test_every_profile_covers_every_value_a_case_can_hold(notation):
    profile = notation_profile(notation)
    assert set(profile["sexes"]) == set(SEXES)
    assert set(profile["kinds"]) == set(PERSON_KINDS) - {"person"}
    assert set(UNION_STATUSES) <= set(profile["unions"])
    assert set(profile["parent_links"]) == set(PARENT_KINDS)
    assert set(profile["relationships"]) == set(RELATIONSHIP_KINDS)


def every_glyph() -> Case:
    """One of everything the notation can show."""
    people = [person("p0", "female", 1950, died=2000, index=True)]
    people += [person(f"s_{sex}", sex, 1952) for sex in SEXES]
    people += [Person(id=f"k_{kind}", name=kind.title(), kind=kind, sex="male", born=1980)
               for kind in PERSON_KINDS if kind != "person"]
    people += [person(f"c_{kind}", "female", 1975) for kind in PARENT_KINDS]
    people += [person("t1", "male", 1978), person("t2", "male", 1978),
               person("t3", "female", 1979), person("t4", "female", 1979),
               person("g", "female", 1976, gender_identity="trans man")]
    people += [person(f"partner_{status}", "male", 1950) for status in UNION_STATUSES]
    unions = [union(f"u_{status}", "p0", f"partner_{status}", status=status, began=1970 + i)
              for i, status in enumerate(UNION_STATUSES)]
    unions.append(union("u_parents", "p0", "s_male", began=1969))
    parents = [ParentLink(child=f"c_{kind}", parents=["p0", "s_male"], kind=kind)
               for kind in PARENT_KINDS]
    parents += kids(["p0", "s_male"], "t1", "t2", "t3", "t4", "g",
                    *[p.id for p in people if p.id.startswith("k_")])
    relationships = [Relationship(**{"from": "t1", "to": people[1 + i % 4].id, "kind": kind})
                     for i, kind in enumerate(RELATIONSHIP_KINDS)]
    return family(people, unions, parents, relationships=relationships,
                  twins=[Twins(people=["t1", "t2"], identical=True),
                         Twins(people=["t3", "t4"])],
                  households=[Household(id="h", name="Home", members=["p0", "t1"])])


@pytest.mark.parametrize("notation", notation_profiles())
def test_one_of_everything_draws_with_a_full_legend(notation):
    root = parse(draw_svg(every_glyph(), notation=notation, as_of=2025))
    captions = legend_captions(root)
    profile = notation_profile(notation)
    for sex in SEXES:
        assert profile["sexes"][sex]["legend"] in captions
    for kind in set(PERSON_KINDS) - {"person"}:
        assert profile["kinds"][kind]["legend"] in captions
    for kind in PARENT_KINDS:
        assert profile["parent_links"][kind]["legend"] in captions
    for status in UNION_STATUSES:
        assert profile["unions"][status]["legend"] in captions
    assert "Identical twins (with a bar)" in captions
    assert "Twins (lines meet at one point)" in captions
    assert len([c for c in captions if c]) == len(set(captions))
    relationship_groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "relationship"]
    assert len(relationship_groups) == len(RELATIONSHIP_KINDS)


def test_an_unknown_notation_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="mcgoldrick, genopro"):
        draw_svg(small_family(), notation="fancy")


def test_couple_lines_show_status_marks_and_dates():
    case = family([person("a", "female", 1960), person("x", "male", 1958),
                   person("b", "female", 1965)],
                  [union("u1", "x", "a", status="divorced", began=1980, ended=1990),
                   union("u2", "x", "b", status="cohabiting", began=1995)])
    svg = draw_svg(case, as_of=2025)
    assert ">m. 1980 d. 1990<" in svg and ">LT 1995<" in svg
    dashed = notation_profile()["unions"]["cohabiting"]["dash"]
    assert f'stroke-dasharray="{dashed}"' in svg
    # Two slashes for the divorce: short diagonal lines outside any person.
    root = parse(svg)
    loose_lines = [el for el in root if el.tag == f"{SVG}line"]
    assert len(loose_lines) >= 2


def test_parent_lines_are_styled_by_kind():
    svg = draw_svg(everything(), as_of=2025)
    spec = notation_profile()["parent_links"]
    for kind in ("adoptive", "foster"):
        assert f'stroke-dasharray="{spec[kind]["dash"]}"' in svg


def test_relationship_lines_follow_their_glyphs():
    case = small_family(relationships=[
        Relationship(**{"from": "mum", "to": "dad", "kind": "close"}),
        Relationship(**{"from": "dad", "to": "kid", "kind": "physical_abuse"}),
        Relationship(**{"from": "mum", "to": "kid", "kind": "cut_off"}),
    ])
    root = parse(draw_svg(case, as_of=2025))
    groups = {g.get("aria-label").split(":")[0]: g for g in root.iter(f"{SVG}g")
              if g.get("class") == "relationship"}
    assert len(groups["Close"].findall(f"{SVG}polyline")) == 2  # two parallel lines
    harm = groups["Physical harm"]
    assert harm.findall(f"{SVG}polygon")  # the arrow head, at the person harmed
    assert harm.find(f"{SVG}polygon").get("fill") != "#ffffff"
    assert len(groups["Cut off"].findall(f"{SVG}line")) == 2  # the two bars
    assert len(groups["Cut off"].findall(f"{SVG}polyline")) == 2  # a gap between halves


# -- the legend -------------------------------------------------------------------------------


def test_the_legend_lists_only_the_symbols_used():
    root = parse(draw_svg(small_family(), as_of=2025))
    assert legend_captions(root) == ["Male", "Female", "Married", "Birth child"]


def test_the_legend_grows_with_what_is_drawn():
    case = small_family(relationships=[
        Relationship(**{"from": "mum", "to": "dad", "kind": "conflict"})])
    case = case.model_copy(update={
        "people": [*case.people, person("step", "male", 1980)],
        "parents": [*case.parents, ParentLink(child="kid", parents=["step"], kind="step")],
    })
    captions = legend_captions(parse(draw_svg(case, as_of=2025)))
    assert "Step-parent" in captions and "Conflict" in captions
    assert "Adopted" not in captions and "Divorced (two slashes)" not in captions


def test_no_legend_when_not_asked():
    svg = draw_svg(small_family(), show_legend=False, as_of=2025)
    assert 'class="legend"' not in svg


def test_legend_entries_come_in_reading_order():
    assert legend_entries(["rel:close", "sex:male", "household"]) == [
        ("sex:male", "Male"),
        ("household", "Household: people who live together"),
        ("rel:close", "Close"),
    ]


# -- colours ----------------------------------------------------------------------------------


def test_notation_colours_pass_wcag_aa_on_white():
    data = yaml.safe_load(NOTATION_FILE.read_text(encoding="utf-8"))
    colours = data["colours"]
    for name in ("ink", "muted"):  # used for text
        assert contrast_ratio(colours[name]) >= 4.5, name
    for name in ("household", "selected", "highlight"):  # lines and rings
        assert contrast_ratio(colours[name]) >= 3.0, name
    for profile in data["profiles"]:
        for kind, style in notation_profile(profile)["relationships"].items():
            assert contrast_ratio(style["colour"]) >= 3.0, kind


def test_every_colour_in_the_drawing_passes_on_white():
    svg = draw_svg(everything(), selected="x", highlight=["a"], as_of=2025)
    root = parse(svg)
    for el in root.iter():
        for attribute in ("stroke", "fill"):
            colour = el.get(attribute)
            if not colour or colour in ("none", "#ffffff"):
                continue
            needed = 4.5 if el.tag == f"{SVG}text" else 3.0
            assert contrast_ratio(colour) >= needed, (el.tag, attribute, colour)


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#ffffff") == pytest.approx(1.0)


# -- layouts ----------------------------------------------------------------------------------


def test_a_given_layout_is_used_as_it_is():
    case = everything()
    result = layout(case)
    svg = draw_svg(case, result, as_of=2025)
    assert svg == draw_svg(case, as_of=2025)
    x = person_groups(parse(svg))["gc"].find(f"{SVG}text[@class='name']").get("x")
    assert float(x) == pytest.approx(result.people["gc"].x, abs=0.1)


def test_a_layout_missing_a_newcomer_is_extended_keeping_everyone_in_order():
    case = small_family()
    before = layout(case)
    grown = case.model_copy(update={
        "people": [*case.people, person("baby", "female", 2020)],
        "parents": [*case.parents, *kids(["mum", "dad"], "baby")],
    })
    root = parse(draw_svg(grown, before, as_of=2025))
    assert "baby" in person_groups(root)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_families())
def test_random_families_draw_as_well_formed_svg_without_names_when_private(case):
    root = parse(draw_svg(case, as_of=2025))
    assert len(person_groups(root)) == len(case.people)
    private = draw_svg(case, privacy=True, as_of=2025)
    parse(private)
    assert "Person" not in private and "Featherstonehaugh" not in private
