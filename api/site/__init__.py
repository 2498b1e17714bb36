"""The static-site job: builds the public site with MkDocs and swaps it in atomically."""
