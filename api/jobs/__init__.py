"""Jobs: employers' postings with their lifecycle and moderation, applications, feeds."""
