"""The Qt desktop interface; it talks to the library only through docmanager.library's API."""
