"""The frozen executable's entry script: the same ``agencydesk.__main__:main`` as the installed
``agencydesk`` command, so the bundle takes every option the command takes."""

from __future__ import annotations

import sys

from agencydesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
