"""AgencyDesk: a desktop workstation for insurance agencies."""

# pyproject.toml's [project] version, written out (tests/test_version.py keeps the two equal):
# asking importlib.metadata costs every start about 30 ms (it loads the email package and
# walks sys.path), a tenth of the window's whole start-up budget (issue 13).
__version__ = "0.1.0"

APP_NAME = "AgencyDesk"
ORG_NAME = "AgencyDesk"
