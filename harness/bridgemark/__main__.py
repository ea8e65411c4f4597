"""``python -m bridgemark``: see :mod:`bridgemark.cli`."""

from bridgemark.cli import main

main()
