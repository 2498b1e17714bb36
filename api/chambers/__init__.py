"""Chambers of commerce: member businesses, the business directory and member perks."""
