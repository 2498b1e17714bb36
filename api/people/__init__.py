"""People: accounts, sign-in sessions, and (with later capabilities) profiles and connections."""
