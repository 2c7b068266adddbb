"""licensecmp: what an open-weight model's licence lets you do, clause by clause."""

__version__ = "0.1.0"
