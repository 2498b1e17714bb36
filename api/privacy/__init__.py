"""Privacy: what members may ask of their own data (a copy of it, its erasure)."""
