"""AgencyZoom (insurance agency sales and service CRM): client, mapping, capabilities, sandbox.

The vendor document is ../shared/vendor-docs/agencyzoom-api.txt; its digest with line references
is ../shared/vendor-notes/agencyzoom.md.
"""
