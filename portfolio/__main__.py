"""``python -m portfolio`` runs the command line."""

from portfolio.cli import console

console()
