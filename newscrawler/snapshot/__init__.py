"""Site snapshots: a manifest of paths, statuses and headers plus page bodies, served like the real site."""
