"""``python -m rightsindex``: the same as the ``rightsindex`` command."""

from rightsindex.cli import main

if __name__ == "__main__":
    main(prog_name="rightsindex")
