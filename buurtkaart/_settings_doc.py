"""Write ``docs/settings.md`` from :data:`buurtkaart.settings.SETTINGS`.

Run ``python -m buurtkaart._settings_doc`` after adding a setting.
"""

from __future__ import annotations

from buurtkaart import settings

HEADER = """# Settings

buurtkaart reads its settings from environment variables. This file is generated
from `buurtkaart/settings.py` by `python -m buurtkaart._settings_doc`; a test fails
when a setting is missing here.

| variable | default | meaning |
|---|---|---|
"""


def render() -> str:
    """Return the Markdown table of all settings."""
    rows = [
        f"| `{s.env}` | {f'`{s.default}`' if s.default else '(empty)'} | {s.doc} |"
        for s in settings.SETTINGS.values()
    ]
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    (settings.PROJECT_ROOT / "docs" / "settings.md").write_text(render(), encoding="utf-8")
