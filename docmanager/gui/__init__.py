"""The Qt desktop interface; it talks to the library only through docmanager.store's API."""
