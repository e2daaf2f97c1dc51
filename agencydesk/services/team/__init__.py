"""The team book (issue 14): one hub syncing the agency's vendor accounts into PostgreSQL, and
desks keeping a full SQLite replica of it (``hub.py``, ``desk.py``, ``seats.py``)."""
