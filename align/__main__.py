"""Allow `python -m align`."""

from align.cli import main

main()
