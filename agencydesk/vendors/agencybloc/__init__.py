"""AgencyBloc AMS+ (life & health agency management): policies module, form-encoded POST API."""
