"""What the participants' Voila server loads: our template (``voila/templates/workbook``)
and :mod:`widgets.jupyter.auth`, its token-only sign-in."""
