"""Charts that read: the few rules every plot of the workbook follows, in one place.

A team manager reading a chart should not have to decode it. So counts sit on whole-number
axes that start at nought; each series gets its own small panel (a "small multiple") rather
than sharing one where markers can hide one another; a legend, when there is one, stands
beside the data, never on it, and shows a swatch for every series; months are written as
words; and every chart goes on the page with a text alternative saying what it shows.
Colours are Okabe & Ito's (2008), which stay apart for readers with colour-blindness.

Drawn with matplotlib's object interface (no global state), so charts can be made from
any thread and tested without a screen.

>>> figure = small_multiples({"Grief": [0, 2, 1], "School": [1, 1, 1]},
...                          ["2026-01", "2026-02", "2026-03"], "Case discussions")
>>> len(figure.axes), whole_number_ticks(figure.axes[0])
(2, True)
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from systemic.dates import period_label
from systemic.html_templates import render

__all__ = [
    "COLOURS",
    "new_figure",
    "count_axis",
    "share_axis",
    "time_axis",
    "legend_beside",
    "small_multiples",
    "stacked_bars",
    "figure_html",
    "whole_number_ticks",
]

#: Okabe & Ito (2008) colours, safe for colour-blind readers.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: The most period labels a time axis shows; more would overlap.
MOST_PERIODS = 12


def new_figure(width: float = 8.0, height: float = 3.2, rows: int = 1) -> tuple[Figure, list[Axes]]:
    """A figure of ``rows`` panels, one above the other, sharing their time axis."""
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = list(figure.subplots(rows, 1, sharex=True, squeeze=False)[:, 0])
    for panel in axes:
        panel.spines[["top", "right"]].set_visible(False)
    return figure, axes


def count_axis(axes: Axes, label: str = "", axis: str = "y") -> None:
    """Whole numbers only, from nought, and never a range as thin as 0.96–1.04."""
    target = axes.yaxis if axis == "y" else axes.xaxis
    target.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    if axis == "y":
        low, high = axes.get_ylim()
        axes.set_ylim(0, max(high, 1))
        if label:
            axes.set_ylabel(label)
    else:
        low, high = axes.get_xlim()
        axes.set_xlim(0, max(high, 1))
        if label:
            axes.set_xlabel(label)


def share_axis(axes: Axes, label: str) -> None:
    """A share from 0% to 100%."""
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_ylabel(label)


def time_axis(axes: Axes, periods: Sequence[str], most: int = MOST_PERIODS) -> None:
    """Periods in words ("May 2026"), at most ``most`` of them, evenly spaced."""
    labels = [period_label(p) for p in periods]
    step = max(1, -(-len(labels) // most))
    axes.set_xticks(range(0, len(labels), step), labels[::step])
    axes.tick_params(axis="x", labelrotation=45, labelsize="small")
    for text in axes.get_xticklabels():
        text.set_horizontalalignment("right")
        text.set_rotation_mode("anchor")


def legend_beside(axes: Axes, entries: Sequence[tuple[str, str]]) -> None:
    """A legend to the right of the data: one swatch (colour, label) for every series."""
    handles = [Patch(facecolor=colour, edgecolor="#1a1a1a", label=label)
               for colour, label in entries]
    axes.legend(handles=handles, frameon=False, fontsize="small", loc="upper left",
                bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def small_multiples(series: Mapping[str, Sequence[float]], periods: Sequence[str],
                    unit: str, *, counts: bool = True, marker: str = "bar") -> Figure:
    """One small panel per series over the same periods, each titled with its name.

    Bars (or a line with dots, ``marker="line"``) in one colour per panel: no series
    can hide another, and the title says which is which, so no legend is needed.
    Panels share their axes, so heights compare across panels.
    """
    rows = max(len(series), 1)
    figure, panels = new_figure(8.0, 1.0 + 1.3 * rows, rows)
    where = range(len(periods))
    top = max((max(values, default=0) for values in series.values()), default=0)
    for index, (panel, (name, values)) in enumerate(zip(panels, series.items(),
                                                        strict=False)):
        colour = COLOURS[index % len(COLOURS)]
        if marker == "bar":
            panel.bar(where, values, color=colour, width=0.7)
        else:
            panel.plot(where, values, color=colour, marker="o")
        panel.set_title(name, loc="left", fontsize="medium")
        panel.set_ylim(0, max(top * 1.1, 1))
        if counts:
            panel.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3, min_n_ticks=1))
        else:
            panel.yaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=1))
    figure.supylabel(unit, fontsize="medium")
    time_axis(panels[-1], periods)
    return figure


def stacked_bars(parts: Mapping[str, Sequence[int]], periods: Sequence[str],
                 unit: str) -> Figure:
    """Counts per period as stacked bars, parts from the bottom up, with a legend beside.

    Each bar's whole height is the total, written above it, so nothing needs reading
    off the axis.
    """
    figure, (axes,) = new_figure(8.0, 3.4)
    where = range(len(periods))
    bottom = [0] * len(periods)
    entries = []
    for index, (name, values) in enumerate(parts.items()):
        colour = COLOURS[(0, 4, 1, 2)[index % 4]]
        bars = axes.bar(where, values, bottom=bottom, color=colour, width=0.7,
                        edgecolor="#1a1a1a", linewidth=0.5, label=name)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        entries.append((colour, name))
    axes.bar_label(bars, labels=[str(int(t)) for t in bottom], padding=2, fontsize="small")
    count_axis(axes, unit)
    axes.set_ylim(0, max(max(bottom, default=0) * 1.15, 1))
    time_axis(axes, periods)
    legend_beside(axes, list(reversed(entries)))
    return figure


def whole_number_ticks(axes: Axes, axis: str = "y") -> bool:
    """Whether every tick shown on an axis is a whole number (for tests and checks)."""
    low, high = axes.get_ylim() if axis == "y" else axes.get_xlim()
    ticks = axes.get_yticks() if axis == "y" else axes.get_xticks()
    shown = [t for t in ticks if low - 1e-9 <= t <= high + 1e-9]
    return bool(shown) and all(float(t).is_integer() for t in shown)


def figure_html(figure: Figure, description: str) -> str:
    """A figure as a PNG image, with ``description`` as its text alternative.

    >>> "alt='Three &lt;b&gt;'" in figure_html(new_figure()[0], "Three <b>")
    True
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return render("widgets/charts/figure.html.j2", data=data, description=description)
