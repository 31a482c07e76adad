"""``notebooks/01_places.ipynb`` runs top to bottom, offline, on the demo extract."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from nbclient import NotebookClient

from buurtkaart.settings import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "01_places.ipynb"


class ThisPythonKernels(KernelSpecManager):
    """Resolve every kernel name to an ipykernel running on this interpreter (the venv)."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="buurtkaart venv", language="python", name=kernel_name,
        )


@pytest.mark.slow
def test_places_notebook_executes(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPythonKernels())
    client = NotebookClient(nb, km=km, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) for o in outputs)
    assert "places" in text and "FeatureCollection" in text
