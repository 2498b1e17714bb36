"""Posts in organizations: announcements, discussions and blog posts, comments, reports."""
