"""Pure engine decisions: no I/O, no clock reads, no randomness except what the caller passes in."""
