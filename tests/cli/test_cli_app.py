"""``buurtkaart app``: the Streamlit command line it runs; every CLI command is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from buurtkaart.cli import app_cmd, build_parser

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_app_runs_streamlit_on_the_packaged_script_with_its_config() -> None:
    cmd = app_cmd.streamlit_command(8599, "127.0.0.1", headless=True)
    assert cmd[1:4] == ["-m", "streamlit", "run"]
    script = Path(cmd[4])
    assert script == ROOT / "buurtkaart" / "app" / "asgi.py" and script.is_file()
    assert (script.parent / "main.py").is_file()  # the st.App serves main.py
    assert (script.parent / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()
    assert cmd[cmd.index("--server.port") + 1] == "8599"
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    for flag in ("--server.enableStaticServing=true", "--server.maxUploadSize=50",
                 "--browser.gatherUsageStats=false", "--client.toolbarMode=minimal",
                 "--server.headless=true", "--client.showErrorDetails=none",
                 "--server.enableAgentApi=false", "--logger.level=warning"):
        assert flag in cmd, flag


def test_app_flags_match_the_checkouts_streamlit_config() -> None:
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    cmd = " ".join(app_cmd.streamlit_command(8501))
    items = _config_items(config)
    assert len(items) >= 4
    for section, key, value in items:
        assert f"--{section}.{key}={value}" in cmd, (section, key)


def _config_items(text: str) -> list[tuple[str, str, str]]:
    items, section = [], ""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            items.append((section, key, value.strip('"')))
    return items


def test_every_command_is_documented() -> None:
    docs = "\n".join(p.read_text(encoding="utf-8")
                     for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    missing = [name for name in _commands()
               if not re.search(rf"(?m)(`|^)buurtkaart {re.escape(name)}\b", docs)]
    assert not missing, f"commands not documented in README.md or docs/: {missing}"
