"""``python -m docmanager``: the same as the ``docmanager`` command."""

import sys

from docmanager.cli import main

if __name__ == "__main__":
    sys.exit(main())
