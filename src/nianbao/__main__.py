"""``python -m nianbao`` runs the command-line interface."""

from .cli import main

main()
