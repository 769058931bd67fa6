"""SQL over the Parquet dataset with DuckDB: `reports`, `measures`, `agencies` as views.

`connect(DIR)` gives an in-memory DuckDB connection whose three views read the Parquet files
in place (nothing is copied). The files are those of one version — the newest intact commit
record (`extractor/dataset/commits.py`), read once at connect — so the three views always
agree with each other, and a connection keeps reading its version while newer ones land (a
replaced version stays on disk for at least the hour `ingest --keep-replaced` gives it).

Read-only by default: the connection can read only the dataset's files
(`enable_external_access = false` with the files as `allowed_paths`, configuration locked),
and `run_query` runs one statement, a SELECT (DESCRIBE, SHOW, SUMMARIZE) or EXPLAIN — no
COPY, ATTACH, INSTALL or writes. `allow_writes=True` (`--allow-writes`) lifts both, for a
trusted user who wants e.g. `COPY (…) TO 'out.csv'`.

A folder of an older layout (no commit records) is read through its table folders with the
schema's columns, so older datasets still have every documented column (NULL where missing).

`ita-extract query "SQL"` prints the result as an aligned table, CSV or JSON.
"""
from __future__ import annotations

import argparse
import re
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .formats import (_cell, _plain, display_width, format_csv, format_json,  # noqa: F401
                      format_result, format_table)

if TYPE_CHECKING:  # duckdb and pyarrow are imported lazily: `--help` should not pay for them
    import duckdb

DEFAULT_DATA_DIR = "data/parsed"
EXAMPLES_FILE = Path(__file__).parents[1] / "data" / "example_queries.sql"
FORMATS = ("table", "csv", "json")
TABLE_NAMES = ("measures", "reports", "agencies")
# The same exit codes as cli.py (not imported from there: cli imports this module).
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
READ_ONLY_KINDS = ("SELECT", "EXPLAIN")


class DatasetError(Exception):
    """The folder given is not a dataset (missing, or none of the three tables in it)."""


class QueryRefused(Exception):
    """A statement a read-only connection does not run (not one SELECT)."""


def _has_parquet(folder: Path) -> bool:
    return folder.is_dir() and any(folder.rglob("*.parquet"))


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join(_sql_str(str(p)) for p in paths) + "]"


def table_files(data_dir: str | Path) -> dict[str, list[Path]] | None:
    """The files of each table in the dataset's current version (absolute paths), or None
    for a folder of an older layout without commit records. Key `schema_version`: the
    version's schema version (a list of one string)."""
    from extractor.dataset.commits import newest_readable

    root = Path(data_dir).resolve()
    rec = newest_readable(root)
    if rec is None:
        return None
    files = {name: [root / ".data" / f for f in rec.table_files(name)] for name in TABLE_NAMES}
    return {**files, "schema_version": [rec.schema_version]}


def missing_tables(data_dir: str | Path) -> list[str]:
    """Names of the tables with no Parquet files in `data_dir` (their views are empty)."""
    files = table_files(data_dir)
    if files is not None:
        return [name for name in TABLE_NAMES if not files[name]]
    return [name for name in TABLE_NAMES if not _has_parquet(Path(data_dir) / name)]


def _empty_view(name: str) -> str:
    from extractor.dataset.schema import TABLES

    import duckdb

    types = duckdb.connect().from_arrow(TABLES[name].empty_table()).types
    cols = ", ".join(f"CAST(NULL AS {t}) AS \"{c}\"" for c, t in zip(TABLES[name].names, types))
    return f"SELECT {cols} LIMIT 0"


def connect(data_dir: str | Path = DEFAULT_DATA_DIR, allow_writes: bool = False,
            views: Sequence[str] = TABLE_NAMES) -> "duckdb.DuckDBPyConnection":
    """An in-memory DuckDB connection with views `reports`, `measures`, `agencies` (or only
    `views`) over one version of the dataset (see the module's doc), read-only unless
    `allow_writes`."""
    import duckdb

    data_dir = Path(data_dir)
    hint = f"make one with: ita-extract ingest data/raw -o {data_dir}"
    if not data_dir.is_dir():
        raise DatasetError(f"no dataset folder {data_dir} ({hint})")
    files = table_files(data_dir)
    if files is None:
        if len(missing_tables(data_dir)) == len(TABLE_NAMES):
            raise DatasetError(f"{data_dir} holds no dataset: none of "
                               + ", ".join(f"{data_dir / n}/" for n in TABLE_NAMES)
                               + f" has Parquet files ({hint})")
        con = duckdb.connect()
        found = {n: sorted(p.resolve() for p in (data_dir / n).rglob("*.parquet")) for n in TABLE_NAMES}
        _views_by_name(con, {n: (found[n], any(p.is_dir() and p.name.startswith("fiscal_year_be=")
                                               for p in (data_dir / n).glob("*")))
                             for n in TABLE_NAMES})
        made = list(TABLE_NAMES)
        allowed = [p for n in made for p in found[n]]
    else:
        from extractor.dataset.version import SCHEMA_VERSION

        con = duckdb.connect()
        if files["schema_version"] == [SCHEMA_VERSION]:  # files of this schema: read as they are
            made = [n for n in TABLE_NAMES if n in views]
            for name in made:
                source = (f"SELECT * FROM read_parquet({_sql_list(files[name])})" if files[name]
                          else _empty_view(name))
                con.execute(f"CREATE VIEW {name} AS {source}")
        else:  # another version's files: every documented column, NULL where they lack it
            made = list(TABLE_NAMES)
            _views_by_name(con, {n: (files[n], False) for n in made})
        allowed = [p for n in made for p in files[n]]
    # Timestamps (reports.ingested_at) print the same on every machine. Only where a view
    # has one: loading the time-zone data is a third of a small query's time.
    if any(_has_zoned_time(n) for n in made):
        con.execute("SET TimeZone = 'UTC'")
    if not allow_writes:
        con.execute(f"SET allowed_paths = {_sql_list(allowed)}")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


def _has_zoned_time(name: str) -> bool:
    from extractor.dataset.schema import TABLES

    import pyarrow as pa

    return any(pa.types.is_timestamp(f.type) and f.type.tz for f in TABLES[name])


def _views_by_name(con, files: dict[str, tuple[list[Path], bool]]) -> None:
    """Views for files of another schema version: the schema's columns UNION ALL BY NAME the
    files (`True`: hive-partitioned by `fiscal_year_be=` folders, the older layout)."""
    from extractor.dataset.schema import TABLES

    con.execute("CREATE SCHEMA ita_schema")
    for name, schema in TABLES.items():
        con.from_arrow(schema.empty_table()).create(f"ita_schema.{name}")
        source = f"SELECT * FROM ita_schema.{name}"
        paths, partitioned = files[name]
        if paths:
            hive = ("hive_partitioning = true, hive_types = {'fiscal_year_be': INTEGER}"
                    if partitioned else "hive_partitioning = false")
            source += (f" UNION ALL BY NAME SELECT * FROM read_parquet({_sql_list(paths)}, {hive}, "
                       "union_by_name = true)")
        con.execute(f"CREATE VIEW {name} AS {source}")


def _check(con, sql: str, allow_writes: bool) -> str:
    """The statement's kind; a read-only connection refuses anything but one SELECT or EXPLAIN."""
    statements = con.extract_statements(sql)
    if len(statements) != 1:
        raise QueryRefused(f"give exactly one SQL statement (got {len(statements)})")
    kind = statements[0].type.name
    if not allow_writes and kind not in READ_ONLY_KINDS:
        raise QueryRefused(f"{kind} statements are not run: queries are read-only "
                           "(--allow-writes lifts this for a trusted user)")
    return kind


def execute(con, sql: str, allow_writes: bool = False):
    """Run one statement (see `_check`); returns the DuckDB cursor."""
    _check(con, sql, allow_writes)
    return con.execute(sql)


def _tables_named(sql: str) -> Sequence[str]:
    """The dataset's tables a statement names (all three when that cannot be told)."""
    import duckdb

    try:
        named = {n.rsplit(".", 1)[-1].strip('"').lower() for n in duckdb.get_table_names(sql)}
    except duckdb.Error:
        return TABLE_NAMES
    return [n for n in TABLE_NAMES if n in named] or TABLE_NAMES


def run_query(sql: str, data_dir: str | Path = DEFAULT_DATA_DIR,
              allow_writes: bool = False) -> tuple[list[str], list[tuple]]:
    """Run one statement against the dataset at `data_dir`: (column names, rows)."""
    con = connect(data_dir, allow_writes, views=_tables_named(sql))
    try:
        if _check(con, sql, allow_writes) in READ_ONLY_KINDS:
            rel = con.sql(sql)  # a relation knows its column types (a cursor's description varies)
            columns, types, rows = rel.columns, [str(t) for t in rel.types], rel.fetchall()
        else:
            cur = con.execute(sql)
            if cur.description is None:  # a statement with no result set (SET, COPY …)
                return [], []
            columns, rows = [d[0] for d in cur.description], cur.fetchall()
            types = [str(d[1]) for d in cur.description]
        floats = [i for i, t in enumerate(types) if t == "FLOAT"]
        if floats:
            rows = [tuple(_float32(v) if i in floats else v for i, v in enumerate(row))
                    for row in rows]
        return list(columns), rows
    finally:
        con.close()


def _float32(value: float | None) -> float | None:
    """The shortest decimal that is the same float32 (`confidence` 0.85, not 0.8500000238…).

    >>> _float32(0.8500000238418579), _float32(None)
    (0.85, None)
    """
    if value is None:
        return None
    for digits in range(6, 10):
        short = float(f"{value:.{digits}g}")
        if struct.unpack("f", struct.pack("f", short))[0] == value:
            return short
    return value


# --- example queries --------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    name: str
    description: str
    sql: str


def load_examples(path: str | Path = EXAMPLES_FILE) -> dict[str, Example]:
    """The named queries of `example_queries.sql`: a `-- name: NAME` line, the `--` comment
    lines right after it (the description), then the SQL up to the next name line."""
    examples: dict[str, Example] = {}
    blocks = re.split(r"^-- name:[ \t]*", Path(path).read_text(encoding="utf-8"), flags=re.M)
    for block in blocks[1:]:
        name, _, rest = block.partition("\n")
        lines = rest.strip("\n").splitlines()
        doc = []
        while lines and lines[0].startswith("--"):
            doc.append(lines.pop(0).lstrip("-").strip())
        examples[name.strip()] = Example(name.strip(), " ".join(doc), "\n".join(lines).strip())
    return examples


# --- command line -----------------------------------------------------------------------

def add_query_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `query` to the ita-extract sub-commands (sets `handler` to run_query_command)."""
    examples = ", ".join(load_examples()) if EXAMPLES_FILE.is_file() else "none"
    p = subparsers.add_parser(
        "query", help="run SQL over the dataset (DuckDB)",
        description="Run one SQL statement with DuckDB over the dataset in DIR, where the "
                    "views reports, measures and agencies read its Parquet files. Read-only: "
                    "one SELECT, no file outside the dataset (see --allow-writes).",
        epilog=f"examples: {examples}.\n"
               "  ita-extract query \"select status, count(*) from measures group by all\"\n"
               "  ita-extract query --example measures-per-year --format csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sql", nargs="?", metavar="SQL", help="the query ('-' reads it from stdin)")
    p.add_argument("--data", default=DEFAULT_DATA_DIR, metavar="DIR",
                   help=f"dataset folder (default {DEFAULT_DATA_DIR})")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    p.add_argument("--max-width", type=int, default=60, metavar="N",
                   help="table format: cut cells to N columns, 0 for never (default 60)")
    p.add_argument("--example", metavar="NAME", help="run a named example query instead of SQL")
    p.add_argument("--list-examples", action="store_true", help="list the example queries")
    p.add_argument("--allow-writes", action="store_true",
                   help="run any statement and read or write any file (COPY … TO, ATTACH, "
                        "read_csv of other files); off by default: one read-only SELECT")
    p.set_defaults(handler=run_query_command)
    return p


def run_query_command(args: argparse.Namespace) -> int:
    """`ita-extract query`: 0 on success, 1 when the SQL fails, 2 on usage errors."""
    import duckdb

    err = sys.stderr
    examples = load_examples() if EXAMPLES_FILE.is_file() else {}
    if args.list_examples:
        for ex in examples.values():
            print(f"{ex.name}\n    {ex.description}")
        return EXIT_OK
    if (args.sql is None) == (args.example is None):
        print("ita-extract query: give either SQL or --example NAME (see --list-examples)", file=err)
        return EXIT_USAGE
    if args.example is not None:
        if args.example not in examples:
            print(f"ita-extract query: no example named {args.example!r}; "
                  f"known: {', '.join(examples)}", file=err)
            return EXIT_USAGE
        sql = examples[args.example].sql
    else:
        sql = sys.stdin.read() if args.sql == "-" else args.sql
    missing = missing_tables(args.data)
    if len(missing) < len(TABLE_NAMES):  # else connect() explains that there is no dataset at all
        for name in missing:
            print(f"ita-extract query: note: no {name} table in {Path(args.data) / name}/; "
                  f"the view {name} is empty", file=err)
    try:
        columns, rows = run_query(sql, args.data, args.allow_writes)
    except DatasetError as exc:
        print(f"ita-extract query: {exc}", file=err)
        return EXIT_USAGE
    except QueryRefused as exc:
        print(f"ita-extract query: {exc}", file=err)
        return EXIT_FAILED
    except duckdb.Error as exc:
        print(f"ita-extract query: {exc}", file=err)
        return EXIT_FAILED
    sys.stdout.write(format_result(columns, rows, args.format, args.max_width))
    return EXIT_OK
