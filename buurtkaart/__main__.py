"""``python -m buurtkaart``."""

from buurtkaart.cli import run

if __name__ == "__main__":
    run()
