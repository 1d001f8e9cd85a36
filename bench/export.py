"""Speed of exports against plain baselines, in one run.

Imports the 30,257 UPR Info recommendations of ../shared/data/upr_info into a temporary
corpus (no tagging, no index), then times, each the median of ``--repeat`` runs:

* reading the export rows (``records()``, every column) against one SQL query reading the
  same joined rows (the floor for any reader of the store);
* writing them as CSV, JSON Lines, XLSX and Parquet with ``export()`` (reading included);
* the XLSX writer (openpyxl's write-only mode, streamed) against the writer it replaced,
  pandas' ``DataFrame.to_excel`` with openpyxl and the same reader aids, on the same rows
  already read.

    python bench/export.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _upr import timed, upr_info_corpus

from rightsindex.corpus.store import Store
from rightsindex.search.export import EXPORT_COLUMNS, _write_xlsx, csv_value, export, records


def pandas_xlsx(rows: list[dict], path: Path) -> int:
    """The writer export used before: a DataFrame written by pandas with openpyxl."""
    import pandas as pd
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    frame = pd.DataFrame([{c: csv_value(c, r[c]) for c in EXPORT_COLUMNS} for r in rows],
                         columns=list(EXPORT_COLUMNS))
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="recommendations")
        sheet = writer.sheets["recommendations"]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for i in range(1, len(EXPORT_COLUMNS) + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 12
        text_col = list(EXPORT_COLUMNS).index("text")
        para_col = list(EXPORT_COLUMNS).index("paragraph")
        for row in sheet.iter_rows(min_row=2):
            row[text_col].alignment = Alignment(wrap_text=True, vertical="top")
            row[para_col].number_format = "@"
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = upr_info_corpus(Path(tmp) / "corpus")
        with Store.open(folder) as store:
            n = store.count_recommendations()
        print(f"{n:,} recommendations (UPR Info sessions 1-16), median of {args.repeat} runs")

        def sql_rows() -> int:
            with Store.open(folder, create=False) as store:
                return len(store.conn.execute(
                    "SELECT r.*, d.* FROM recommendations r JOIN documents d ON d.id = r.document_id"
                ).fetchall())

        base, _ = timed(sql_rows, args.repeat)
        read, rows = timed(lambda: list(records(folder)), args.repeat)
        print(f"  baseline, SQL rows:        {base:6.2f} s")
        print(f"  records() (export rows):   {read:6.2f} s  ratio {read / base:5.1f}")
        for fmt in ("csv", "jsonl", "xlsx", "parquet"):
            took, _ = timed(lambda fmt=fmt: export(folder, Path(tmp) / f"all.{fmt}", format=fmt), args.repeat)
            print(f"  export {fmt:<8}           {took:6.2f} s  ratio {took / base:5.1f}")
        old, _ = timed(lambda: pandas_xlsx(rows, Path(tmp) / "old.xlsx"), args.repeat)
        new, _ = timed(lambda: _write_xlsx(iter(rows), Path(tmp) / "new.xlsx"), args.repeat)
        print(f"  xlsx writer, pandas (old): {old:6.2f} s")
        print(f"  xlsx writer, streamed:     {new:6.2f} s  ratio {new / old:5.2f} of pandas'")


if __name__ == "__main__":
    main()
