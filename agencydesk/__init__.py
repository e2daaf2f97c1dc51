"""AgencyDesk: a desktop workstation for insurance agencies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("agencydesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "AgencyDesk"
ORG_NAME = "AgencyDesk"
