"""What the participants' Voila server loads: :mod:`widgets.jupyter.room` (places, no kernel
API, our host names only, strict headers), :mod:`widgets.jupyter.drawer` (one drawing of the
page per change for the whole room), :mod:`widgets.jupyter.snapshot` (that drawing sent in the
page before the widgets are up), our template (``voila/templates/workbook``) and
:mod:`widgets.jupyter.auth`, its token-only sign-in."""
