"""``python -m agencydesk`` and the ``agencydesk`` entry point."""

from __future__ import annotations

import sys


def main() -> int:
    from agencydesk.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
