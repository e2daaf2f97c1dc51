"""ConeCRM (a dealership sales CRM some agencies use): bearer-JWT JSON API under /api."""
