"""The seeded synthetic agency behind ``agencydesk --demo`` (see ``demo_book``)."""
