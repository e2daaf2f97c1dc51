"""LeadExec: a lead-distribution platform whose "clients" are lead buyers.

Its Account API (../shared/vendor-docs/leadexec-api.txt) authenticates with client credentials
(``POST /v1/authorization/token``, a Bearer token valid 3600 s) and answers in many shapes: bare
integers, bare ``true``, empty 200s, wrapped and bare arrays. ``sandbox/`` emulates it.
"""
