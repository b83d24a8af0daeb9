"""``python -m docmanager``: the same as the ``docmanager`` command; the frozen app's entry point."""

import multiprocessing
import sys

if __name__ == "__main__":
    # In the frozen app (PyInstaller) the fork server and worker processes of a big import are this
    # executable started again: freeze_support() runs them instead of the program, before any import.
    multiprocessing.freeze_support()

    from docmanager.cli import main

    sys.exit(main())
