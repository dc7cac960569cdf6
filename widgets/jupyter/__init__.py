"""What the participants' Voila server loads: :mod:`widgets.jupyter.room` (places, no kernel
API, our host names only, strict headers), :mod:`widgets.jupyter.drawer` (one drawing of the
page per change for the whole room), :mod:`widgets.jupyter.snapshot` (that drawing sent in the
page before the widgets are up), our templates (``voila/templates/room`` for the
dashboard: the snapshot kept current by ``static/room.js``, a small client of the page's kernel;
``voila/templates/workbook`` for other pages) and
:mod:`widgets.jupyter.auth`, its token-only sign-in."""
