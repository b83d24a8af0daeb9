"""DocManager: a personal, offline library of documents read from saved search-result listings."""

__version__ = "0.1.0"
APP_ID = "io.github.docmanager.DocManager"
APP_NAME = "DocManager"
