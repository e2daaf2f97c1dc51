"""Sync in the UI: the Accounts dialog, per-account status in the status bar, sync progress
with Cancel, the conflict dialog, the "Set aside" viewer and the capability gate that disables
what a vendor's API cannot do."""
