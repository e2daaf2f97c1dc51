"""New/edit dialogs: one generic validating form, fed by a field list per record kind."""
