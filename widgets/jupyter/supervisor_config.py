# The supervisor's JupyterLab (started by `systemic-workbook demo`): notebooks are saved without
# outputs or widget state, so nothing of a case stays on disk (systemic/privacy.py).
from systemic.privacy import strip_before_save

c = get_config()  # noqa: F821 - provided by Jupyter when it reads this file
c.FileContentsManager.pre_save_hook = strip_before_save
# No news feed or update check: the supervisor's server talks only to this machine.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
