"""Networks: organizations of every kind, memberships, and (with later work) directories,
events, posts and perks."""
