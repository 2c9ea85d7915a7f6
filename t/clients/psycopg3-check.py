# t/clients/psycopg3-check.py HOST PORT DBNAME [SECTION...]: psycopg 3
# against a PostgreSQL server, as t/clients/psycopg2-check.py does for
# psycopg2: parameters sent in text and in binary, results read in
# binary, server-side prepared statements, pipelines, COPY, server-side
# cursors, errors and transactions.  t/t4650-serve-python.sh compares
# its output from PostgreSQL 15 with its output from dh-serve.
import datetime
import decimal
import sys
import uuid

import psycopg
import psycopg.errors
from psycopg.types.json import Json, Jsonb

HOST, PORT, DB = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ONLY = sys.argv[4:]


def connect(**kw):
    return psycopg.connect(host=HOST, port=PORT, dbname=DB, user="postgres", **kw)


def show(label, v):
    print(f"  {label}: {type(v).__name__} {v!r}")


def err(e):
    return f"{type(e).__name__} {e.sqlstate} {e.diag.message_primary!r}"


def desc(cur):
    return [(c.name, c.type_code, c.internal_size, c.precision, c.scale) for c in cur.description]


SECTIONS = []


def section(fn):
    SECTIONS.append(fn)
    return fn


TYPES = [
    ("i2", "int2", 7),
    ("i4", "int4", -2147483648),
    ("i8", "int8", 9007199254740993),
    ("num", "numeric", decimal.Decimal("12345678901234567890.0125")),
    ("num_s", "numeric(10,3)", decimal.Decimal("-3.5")),
    ("f4", "float4", 1.5),
    ("f8", "float8", 0.1),
    ("txt", "text", "héllo 'quoted' \\ back"),
    ("vc", "varchar(10)", "short"),
    ("ch", "char(4)", "ab"),
    ("ba", "bytea", b"\x00\x01\xfe\xff'\\"),
    ("bo", "bool", False),
    ("d", "date", datetime.date(1999, 12, 31)),
    ("t", "time", datetime.time(23, 59, 58, 123456)),
    ("ts", "timestamp", datetime.datetime(2024, 2, 29, 12, 0, 1, 500)),
    ("tz", "timestamptz",
     datetime.datetime(2024, 2, 29, 12, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
    ("iv", "interval", datetime.timedelta(days=3, hours=4, microseconds=5)),
    ("u", "uuid", uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
    ("js", "json", Json({"a": [1, 2, None], "b": "x"})),
    ("jb", "jsonb", Jsonb({"z": 1, "a": {"n": True}})),
    ("ai", "int4[]", [1, None, 3]),
    ("at", "text[]", ["a", "b c", None, 'q"uote']),
    ("an", "numeric[]", [decimal.Decimal("1.5"), decimal.Decimal("-2")]),
    ("ad", "date[]", [datetime.date(2020, 1, 1)]),
]
NAMES = ", ".join(n for n, _, _ in TYPES)


@section
def types_text_and_binary(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p3types")
    cols = ", ".join(f"{n} {t}" for n, t, _ in TYPES)
    cur.execute(f"CREATE TABLE p3types (id int PRIMARY KEY, {cols})")
    conn.commit()
    # %s: psycopg picks; %t: text; %b: binary
    for i, mark in ((1, "%s"), (2, "%t"), (3, "%b")):
        marks = ", ".join([mark] * (len(TYPES) + 1))
        cur.execute(f"INSERT INTO p3types (id, {NAMES}) VALUES ({marks})",
                    [i] + [v for _, _, v in TYPES])
        print("  insert", mark, cur.rowcount)
    cur.execute("INSERT INTO p3types (id) VALUES (%b)", (4,))
    conn.commit()
    for binary in (False, True):
        c = conn.cursor(binary=binary)
        c.execute(f"SELECT id, {NAMES} FROM p3types ORDER BY id")
        print("  binary" if binary else "  text", desc(c))
        for row in c.fetchall():
            print("  row", row[0])
            for (n, _, _), v in zip(TYPES, row[1:]):
                show(n, v)
    # each value as a binary parameter against the stored one
    for n, t, v in TYPES:
        if n in ("js", "jb"):
            continue
        cur.execute(f"SELECT {n} = %b::{t}, {n} = %t::{t} FROM p3types WHERE id = 1", (v, v))
        print(f"  {n} = param:", cur.fetchone())
    conn.commit()


@section
def parameters(conn):
    cur = conn.cursor()
    cur.execute("SELECT %s AS a, %s AS b, %s AS c, %s AS d, %s AS e",
                (None, True, 2 ** 40, decimal.Decimal("NaN"), float("inf")))
    print("  ", desc(cur), cur.fetchone())
    cur.execute("SELECT %(x)s + %(y)s AS sum, %(x)s::text AS again", {"x": 40, "y": 2})
    print("  ", cur.fetchall())
    cur.execute("SELECT x FROM unnest(%s::int[]) AS x ORDER BY x", ([3, 1, 2],))
    print("  ", cur.fetchall())
    cur.execute("SELECT %s || %s AS cat, length(%s) AS len", ("a", "b", "héllo"))
    print("  ", cur.fetchall())
    cur.execute("SELECT %b::int8 * 2 AS big, %b AS day", (2 ** 62 - 1, datetime.date(2000, 2, 29)))
    print("  ", cur.fetchall())
    try:
        cur.execute("SELECT %s::int", ("x",))
    except psycopg.Error as e:
        print("  ", err(e))
    conn.rollback()


@section
def prepared(conn):
    cur = conn.cursor()
    for i in range(3):
        cur.execute("SELECT %s::int * 2 AS twice, %s::text AS t", (i, str(i)), prepare=True)
        print("  prepared", cur.fetchall())
    conn.prepare_threshold = 0
    cur.execute("SELECT %s + 1 AS n", (41,))
    print("  ", cur.fetchall())
    try:
        cur.execute("SELECT 1 / %s", (0,))
    except psycopg.Error as e:
        print("  ", err(e))
    conn.rollback()  # psycopg sends DEALLOCATE ALL after a rollback
    cur.execute("SELECT %s + 1 AS n", (1,))
    print("  after rollback", cur.fetchall())
    cur.execute("DEALLOCATE ALL")
    conn.commit()


@section
def many_and_pipeline(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p3many")
    cur.execute("CREATE TABLE p3many (id int PRIMARY KEY, v text)")
    cur.executemany("INSERT INTO p3many VALUES (%s, %s)", [(i, f"v{i}") for i in range(1, 6)])
    print("  executemany rowcount", cur.rowcount)
    cur.executemany("INSERT INTO p3many VALUES (%s, %s) RETURNING id * 10", [(6, "a"), (7, "b")],
                    returning=True)
    res = []
    while True:
        res.append(cur.fetchall())
        if not cur.nextset():
            break
    print("  returning", res)
    conn.commit()
    with conn.pipeline():
        cur.execute("INSERT INTO p3many VALUES (%s, %s)", (8, "piped"))
        cur.execute("UPDATE p3many SET v = v || '!' WHERE id < %s", (3,))
        c2 = conn.cursor()
        c2.execute("SELECT count(*) FROM p3many")
    print("  pipeline", c2.fetchall())
    conn.commit()
    try:
        with conn.pipeline():
            cur.execute("INSERT INTO p3many VALUES (%s, %s)", (9, "x"))
            cur.execute("INSERT INTO p3many VALUES (%s, %s)", (1, "dup"))
            cur.execute("INSERT INTO p3many VALUES (%s, %s)", (10, "skipped"))
    except psycopg.Error as e:
        print("  pipeline error", err(e))
    conn.rollback()
    cur.execute("SELECT * FROM p3many ORDER BY id")
    print("  ", cur.fetchall())
    conn.commit()


@section
def copy(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p3copy")
    cur.execute("CREATE TABLE p3copy (id int PRIMARY KEY, name text, amount numeric(8,2), d date)")
    conn.commit()
    with cur.copy("COPY p3copy (id, name, amount, d) FROM STDIN") as cp:
        cp.write_row((1, "one", decimal.Decimal("1.5"), datetime.date(2020, 1, 1)))
        cp.write_row((2, None, None, None))
        cp.write_row((3, "tab\there\nnewline", 3, datetime.date(2021, 12, 31)))
    print("  write_row rowcount", cur.rowcount)
    with cur.copy("COPY p3copy FROM STDIN WITH (FORMAT csv)") as cp:
        cp.write('4,"csv, text",4.25,2022-02-02\n5,,,\n')
    conn.commit()
    with cur.copy("COPY (SELECT * FROM p3copy ORDER BY id) TO STDOUT") as cp:
        cp.set_types(["int4", "text", "numeric", "date"])
        for row in cp.rows():
            print("  ", row)
    with cur.copy("COPY p3copy TO STDOUT WITH (FORMAT csv, HEADER)") as cp:
        data = b"".join(bytes(b) for b in cp)
    print("  ", sorted(data.decode().splitlines()))
    try:
        with cur.copy("COPY p3copy (id) FROM STDIN") as cp:
            cp.write_row((1,))
    except psycopg.Error as e:
        print("  ", err(e))
    conn.rollback()
    try:
        with cur.copy("COPY p3copy (id) FROM STDIN") as cp:
            cp.write_row((99,))
            raise ValueError("client gives up")
    except (ValueError, psycopg.Error) as e:
        print("  client gave up:", type(e).__name__)
    conn.rollback()
    cur.execute("SELECT count(*) FROM p3copy")
    print("  count", cur.fetchone())
    conn.commit()


@section
def copy_binary(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p3copyb")
    cur.execute("CREATE TABLE p3copyb (id int, name text)")
    conn.commit()
    with cur.copy("COPY p3copyb FROM STDIN (FORMAT BINARY)") as cp:
        cp.set_types(["int4", "text"])
        cp.write_row((1, "one"))
    conn.commit()
    with cur.copy("COPY p3copyb TO STDOUT (FORMAT BINARY)") as cp:
        cp.set_types(["int4", "text"])
        print("  ", list(cp.rows()))


@section
def server_cursors(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p3big")
    cur.execute("CREATE TABLE p3big (id int PRIMARY KEY, sq bigint, label text)")
    cur.execute("INSERT INTO p3big SELECT g, g::bigint * g, 'l' || g FROM generate_series(1, 2500) g")
    conn.commit()
    with conn.cursor("big") as nc:
        nc.itersize = 700
        nc.execute("SELECT id, sq, label FROM p3big WHERE id > %s ORDER BY id", (10,))
        print("  ", desc(nc))
        print("  first", nc.fetchone(), "many", nc.fetchmany(2))
        n = total = 0
        for row in nc:
            n += 1
            total += row[1]
        print("  iterated", n, total)
    with conn.cursor("bin", binary=True) as bc:
        bc.execute("SELECT id, label, sq::numeric / 7 AS q FROM p3big WHERE id <= %s ORDER BY id", (3,))
        print("  binary", bc.fetchall())
    with conn.cursor("scroll", scrollable=True) as sc:
        sc.execute("SELECT id FROM p3big WHERE id <= 20 ORDER BY id")
        print("  ", sc.fetchmany(5))
        sc.scroll(2)
        print("  after scroll 2", sc.fetchone())
        sc.scroll(3, mode="absolute")
        print("  absolute 3", sc.fetchone())
        sc.scroll(-2)
        print("  back 2", sc.fetchmany(3))
    conn.commit()
    hc = conn.cursor("held", withhold=True)
    hc.execute("SELECT id FROM p3big WHERE id <= 5 ORDER BY id")
    print("  held", hc.fetchmany(2))
    conn.commit()
    print("  after commit", hc.fetchall())
    hc.close()
    conn.commit()
    try:
        with conn.cursor("bad") as bad:
            bad.execute("SELECT nosuch FROM p3big")
    except psycopg.Error as e:
        print("  ", err(e))
    conn.rollback()


@section
def errors(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p3child, p3parent")
    cur.execute("CREATE TABLE p3parent (id int PRIMARY KEY, name text NOT NULL, n int CHECK (n > 0))")
    cur.execute("CREATE TABLE p3child (id int PRIMARY KEY, pid int REFERENCES p3parent (id))")
    cur.execute("INSERT INTO p3parent VALUES (1, 'a', 1)")
    conn.commit()
    for q, args in [
        ("INSERT INTO p3parent VALUES (%s, 'b', 2)", (1,)),
        ("INSERT INTO p3parent VALUES (%s, NULL, 2)", (2,)),
        ("INSERT INTO p3parent VALUES (%s, 'c', 0)", (3,)),
        ("INSERT INTO p3child VALUES (1, %s)", (99,)),
        ("SELECT * FROM nosuch WHERE a = %s", (1,)),
        ("SELEC %s", (1,)),
        ("SELECT 1 / %s", (0,)),
        ("SELECT %s::int2", (99999,)),
    ]:
        try:
            cur.execute(q, args)
            print("  no error:", q)
        except psycopg.Error as e:
            print("  ", q, "->", err(e), isinstance(e, psycopg.IntegrityError),
                  isinstance(e, psycopg.ProgrammingError), isinstance(e, psycopg.DataError))
            try:
                cur.execute("SELECT 1")
            except psycopg.errors.InFailedSqlTransaction as e2:
                print("    then", err(e2))
            conn.rollback()


@section
def transactions(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p3tx")
    cur.execute("CREATE TABLE p3tx (id int PRIMARY KEY, v text)")
    conn.commit()
    print("  ", conn.info.transaction_status.name)
    with conn.transaction():
        cur.execute("INSERT INTO p3tx VALUES (1, 'outer')")
        try:
            with conn.transaction():
                cur.execute("INSERT INTO p3tx VALUES (2, 'inner')")
                cur.execute("INSERT INTO p3tx VALUES (1, 'dup')")
        except psycopg.errors.UniqueViolation as e:
            print("  inner rolled back:", err(e))
        with conn.transaction():
            cur.execute("INSERT INTO p3tx VALUES (3, 'inner kept')")
    conn.commit()
    cur.execute("INSERT INTO p3tx VALUES (4, 'rolled back')")
    conn.rollback()
    conn.autocommit = True
    print("  ", conn.info.transaction_status.name)
    cur.execute("INSERT INTO p3tx VALUES (5, 'autocommit')")
    with conn.transaction():
        cur.execute("INSERT INTO p3tx VALUES (6, 'block')")
    try:
        with conn.transaction():
            cur.execute("INSERT INTO p3tx VALUES (7, 'gone')")
            raise psycopg.Rollback()
    except Exception as e:
        print("  ", type(e).__name__)
    conn.autocommit = False
    conn.read_only = True
    try:
        cur.execute("INSERT INTO p3tx VALUES (8, 'read only')")
    except psycopg.Error as e:
        print("  ", err(e))
    conn.rollback()
    conn.read_only = None
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    cur.execute("SHOW transaction_isolation")
    print("  ", cur.fetchone())
    conn.rollback()
    conn.isolation_level = None
    cur.execute("SELECT id, v FROM p3tx ORDER BY id")
    print("  ", cur.fetchall())
    conn.commit()


@section
def type_info(conn):
    from psycopg.types import TypeInfo
    t = TypeInfo.fetch(conn, "int4")
    print("  ", t.name, t.oid, t.array_oid)


def main():
    for fn in SECTIONS:
        if ONLY and fn.__name__ not in ONLY:
            continue
        print(fn.__name__)
        conn = connect()
        try:
            fn(conn)
        except Exception as e:
            print("  UNEXPECTED", type(e).__name__, str(e).strip().splitlines()[0])
        finally:
            conn.close()


main()
