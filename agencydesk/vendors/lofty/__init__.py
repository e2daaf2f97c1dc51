"""Lofty (formerly Chime), a real-estate CRM: AgencyDesk reads its leads, notes, tasks and
call/email/text history. Contract: ../shared/vendor-docs/lofty-api.txt."""
