"""Builds everything and owns the frame loop; the only module that knows every scene."""
from __future__ import annotations

import sys


def main() -> None:
    from neuronlab.cli import main as cli_main

    sys.exit(cli_main())
