"""Use-cases above the store: demo book, CSV import/export, accounts."""
