"""Spiders: routing only. What a page contains is read by :mod:`newscrawler.baghdadpost`."""
