"""The vocabulary every service shares: codes of the domain taxonomy, division codes, referral statuses and
stages, and the rule that says two reports are about the same child. Pure: no I/O and no framework."""
