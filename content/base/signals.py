"""Signals the apps send about their content, for whoever keeps derived copies (the page cache)."""

from django.dispatch import Signal

# Sent when content changed without a model signal (bulk writes such as a facility import):
# ``sender`` is the model class whose rows changed.
content_changed = Signal()
