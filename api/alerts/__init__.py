"""Saved searches that alert their owners: new matches since the last run or alert."""
