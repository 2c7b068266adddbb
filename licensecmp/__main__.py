"""`python -m licensecmp` entry point."""

from licensecmp.cli import main

main()
