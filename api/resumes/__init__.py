"""Resumes: JSON Resume in and out, audiences, open-to-work preferences, exclusion lists."""
