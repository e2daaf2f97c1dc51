"""Qt windows, tabs, dialogs and models. Nothing imports this package but the composition root."""
