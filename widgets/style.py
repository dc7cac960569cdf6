"""Shared look of the workbook's views, chosen for WCAG 2.2 AA contrast on white.

Colours: text #1a1a1a (16:1), accent #0b5394 (7.6:1), current-step background
#fff4cc with #1a1a1a text (15:1).
"""

from __future__ import annotations

__all__ = ["DASHBOARD_CSS"]

DASHBOARD_CSS = """<style>
.wb-dashboard { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1a1a1a; max-width: 60rem; line-height: 1.5; }
.wb-dashboard h1 { font-size: 1.6rem; margin: 0.2rem 0; }
.wb-dashboard h2 { font-size: 1.2rem; margin: 1rem 0 0.3rem; }
.wb-framework { color: #0b5394; margin: 0; }
.wb-steps { display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0; list-style: none; }
.wb-step { border: 1px solid #5f6368; border-radius: 0.3rem; padding: 0.2rem 0.6rem; }
.wb-step-current { background: #fff4cc; border: 2px solid #1a1a1a; }
.wb-guidance { border-left: 4px solid #0b5394; padding-left: 0.8rem; }
.wb-selected { background: #eef4fb; padding: 0.3rem 0.6rem; }
</style>"""
