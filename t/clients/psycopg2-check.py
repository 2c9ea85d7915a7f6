# t/clients/psycopg2-check.py HOST PORT DBNAME [SECTION...]: psycopg2
# against a PostgreSQL server.  Every section prints what the client saw
# (values with their Python types, cursor descriptions, error classes
# and SQLSTATEs, row counts); t/t4650-serve-python.sh runs it against
# PostgreSQL 15 and against dh-serve and compares the two outputs.  A
# section that raises an unexpected exception prints it and the next
# section goes on (on a new connection).
import datetime
import decimal
import io
import sys
import traceback
import uuid

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras

HOST, PORT, DB = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ONLY = sys.argv[4:]
psycopg2.extras.register_uuid()


def connect(**kw):
    return psycopg2.connect(host=HOST, port=PORT, dbname=DB, user="postgres", **kw)


def show(label, v):
    if isinstance(v, memoryview):
        v = bytes(v)
    if isinstance(v, (list, tuple)):
        v = type(v)(bytes(x) if isinstance(x, memoryview) else x for x in v)
    print(f"  {label}: {type(v).__name__} {v!r}")


def err(e):
    """An error as the client classes it."""
    d = e.diag
    return f"{type(e).__name__} {e.pgcode} {d.message_primary!r}"


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
    ("js", "json", psycopg2.extras.Json({"a": [1, 2, None], "b": "x"})),
    ("jb", "jsonb", psycopg2.extras.Json({"z": 1, "a": {"n": True}})),
    ("ai", "int4[]", [1, None, 3]),
    ("at", "text[]", ["a", "b c", None, 'q"uote']),
    ("an", "numeric[]", [decimal.Decimal("1.5"), decimal.Decimal("-2")]),
    ("ad", "date[]", [datetime.date(2020, 1, 1)]),
]


@section
def types_roundtrip(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p2types")
    cols = ", ".join(f"{n} {t}" for n, t, _ in TYPES)
    cur.execute(f"CREATE TABLE p2types (id int PRIMARY KEY, {cols})")
    names = ", ".join(n for n, _, _ in TYPES)
    marks = ", ".join(["%s"] * (len(TYPES) + 1))
    cur.execute(f"INSERT INTO p2types (id, {names}) VALUES ({marks})", [1] + [v for _, _, v in TYPES])
    print("  rowcount", cur.rowcount)
    cur.execute(f"INSERT INTO p2types (id) VALUES (%s)", (2,))
    conn.commit()
    cur.execute(f"SELECT {names} FROM p2types ORDER BY id")
    print("  description", desc(cur))
    for row in cur.fetchall():
        for (n, _, _), v in zip(TYPES, row):
            show(n, v)
    # each value as a parameter compared with the stored one
    for n, _, v in TYPES:
        if n in ("js", "jb"):
            continue
        cur.execute(f"SELECT {n} = %s FROM p2types WHERE id = 1", (v,))
        print(f"  {n} = param:", cur.fetchone()[0])


@section
def literals(conn):
    cur = conn.cursor()
    cur.execute("SELECT %s AS a, %s AS b, %s AS c, %s AS d, %s AS e",
                (None, True, 2 ** 40, decimal.Decimal("NaN"), float("inf")))
    print("  description", desc(cur))
    for v in cur.fetchone():
        show("v", v)
    cur.execute("SELECT %(x)s::int + %(y)s::int AS sum, %(x)s || '' AS again", {"x": 40, "y": 2})
    print("  ", cur.fetchall())
    cur.execute("SELECT 1 AS one WHERE %s", (False,))
    print("  rowcount", cur.rowcount, cur.fetchall())
    cur.execute("SELECT x FROM unnest(%s) AS x ORDER BY x", ([3, 1, 2],))
    print("  ", cur.fetchall())
    cur.execute("SELECT %s::text[] AS e, '{}'::int[] AS z, ARRAY[[1,2],[3,4]] AS m", ([],))
    print("  ", cur.fetchall())


@section
def errors(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p2child, p2parent")
    cur.execute("CREATE TABLE p2parent (id int PRIMARY KEY, name text NOT NULL, n int CHECK (n > 0))")
    cur.execute("CREATE TABLE p2child (id int PRIMARY KEY, pid int REFERENCES p2parent (id))")
    cur.execute("INSERT INTO p2parent VALUES (1, 'a', 1)")
    conn.commit()
    for q in [
        "INSERT INTO p2parent VALUES (1, 'b', 2)",
        "INSERT INTO p2parent VALUES (2, NULL, 2)",
        "INSERT INTO p2parent VALUES (3, 'c', 0)",
        "INSERT INTO p2child VALUES (1, 99)",
        "SELECT * FROM nosuch",
        "SELECT nosuch FROM p2parent",
        "SELEC 1",
        "SELECT 1 / 0",
        "SELECT 'x'::int",
        "SELECT 99999::int2",
        "SELECT '2024-13-01'::date",
    ]:
        try:
            cur.execute(q)
            print("  no error:", q)
        except psycopg2.Error as e:
            print("  ", q, "->", err(e), isinstance(e, psycopg2.IntegrityError),
                  isinstance(e, psycopg2.ProgrammingError), isinstance(e, psycopg2.DataError))
            try:
                cur.execute("SELECT 1")
            except psycopg2.errors.InFailedSqlTransaction as e2:
                print("    then", err(e2))
            conn.rollback()
    try:
        cur.execute("INSERT INTO p2parent VALUES (1, 'b', 2)")
    except psycopg2.errors.UniqueViolation as e:
        print("  caught UniqueViolation:", e.diag.sqlstate)
        conn.rollback()


@section
def transactions(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p2tx")
    cur.execute("CREATE TABLE p2tx (id int PRIMARY KEY, v text)")
    conn.commit()
    print("  status", conn.status, conn.get_transaction_status())
    cur.execute("INSERT INTO p2tx VALUES (1, 'kept')")
    print("  in tx", conn.get_transaction_status())
    conn.commit()
    cur.execute("INSERT INTO p2tx VALUES (2, 'gone')")
    conn.rollback()
    with conn:
        with conn.cursor() as c2:
            c2.execute("INSERT INTO p2tx VALUES (3, 'with block')")
    try:
        with conn:
            with conn.cursor() as c2:
                c2.execute("INSERT INTO p2tx VALUES (4, 'rolled back')")
                c2.execute("INSERT INTO p2tx VALUES (4, 'dup')")
    except psycopg2.errors.UniqueViolation as e:
        print("  with block rolled back:", err(e))
    cur.execute("SELECT id, v FROM p2tx ORDER BY id")
    print("  ", cur.fetchall())
    conn.rollback()
    conn.autocommit = True
    cur.execute("INSERT INTO p2tx VALUES (5, 'autocommit')")
    print("  autocommit status", conn.get_transaction_status())
    cur.execute("BEGIN")
    cur.execute("INSERT INTO p2tx VALUES (6, 'explicit')")
    cur.execute("ROLLBACK")
    conn.autocommit = False
    conn.set_session(readonly=True)
    cur.execute("SELECT count(*) FROM p2tx")
    print("  count", cur.fetchone())
    try:
        cur.execute("INSERT INTO p2tx VALUES (7, 'read only')")
    except psycopg2.Error as e:
        print("  read only:", err(e))
    conn.rollback()
    conn.set_session(readonly=False, isolation_level="SERIALIZABLE")
    cur.execute("SHOW transaction_isolation")
    print("  ", cur.fetchone())
    conn.rollback()
    conn.set_session(isolation_level="DEFAULT", readonly="DEFAULT")
    cur.execute("SAVEPOINT sp")
    cur.execute("INSERT INTO p2tx VALUES (8, 'savepoint')")
    cur.execute("ROLLBACK TO SAVEPOINT sp")
    cur.execute("INSERT INTO p2tx VALUES (9, 'after savepoint')")
    conn.commit()
    cur.execute("SELECT id, v FROM p2tx ORDER BY id")
    print("  ", cur.fetchall())
    conn.commit()


@section
def many(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p2many")
    cur.execute("CREATE TABLE p2many (id int PRIMARY KEY, v text, d date)")
    cur.executemany("INSERT INTO p2many VALUES (%s, %s, %s)",
                    [(i, f"v{i}", datetime.date(2020, 1, i)) for i in range(1, 6)])
    print("  executemany rowcount", cur.rowcount)
    psycopg2.extras.execute_values(cur, "INSERT INTO p2many VALUES %s",
                                   [(i, None, None) for i in range(6, 11)])
    psycopg2.extras.execute_batch(cur, "UPDATE p2many SET v = %s WHERE id = %s",
                                  [("b" + str(i), i) for i in range(6, 9)])
    r = psycopg2.extras.execute_values(cur, "INSERT INTO p2many VALUES %s RETURNING id",
                                       [(11, "r", None), (12, "s", None)], fetch=True)
    print("  returning", r)
    cur.execute("UPDATE p2many SET d = %s WHERE id > %s", (datetime.date(2021, 2, 3), 8))
    print("  update rowcount", cur.rowcount)
    cur.execute("DELETE FROM p2many WHERE id = 12 RETURNING *")
    print("  delete", cur.rowcount, cur.fetchall())
    conn.commit()
    cur.execute("SELECT * FROM p2many ORDER BY id")
    for row in cur:
        print("  ", row)
    dc = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
    dc.execute("SELECT id, v FROM p2many WHERE id < 3 ORDER BY id")
    print("  ", dc.fetchall())
    conn.commit()


@section
def copy(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p2copy")
    cur.execute("CREATE TABLE p2copy (id int PRIMARY KEY, name text, amount numeric(8,2))")
    cur.copy_from(io.StringIO("1\tone\t1.50\n2\t\\N\t2\n3\ttab\\there\t-0.5\n"), "p2copy")
    print("  copy_from rowcount", cur.rowcount)
    cur.copy_from(io.StringIO("4|four|\n5|five|5.25\n"), "p2copy", sep="|", null="")
    cur.copy_expert("COPY p2copy (id, name) FROM STDIN WITH (FORMAT csv, HEADER true)",
                    io.StringIO('id,name\n6,"comma, here"\n7,"quote "" here"\n'))
    print("  copy_expert rowcount", cur.rowcount)
    conn.commit()
    out = io.StringIO()
    cur.copy_to(out, "p2copy", sep=",", null="NULL")
    print("  copy_to:", sorted(out.getvalue().splitlines()))
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT * FROM p2copy ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)", out)
    print("  copy_expert out:", out.getvalue().splitlines())
    try:
        cur.copy_from(io.StringIO("8\teight\tnot a number\n"), "p2copy")
    except psycopg2.Error as e:
        print("  bad data:", err(e))
        conn.rollback()
    try:
        cur.copy_from(io.StringIO("1\tdup\t1\n"), "p2copy")
        conn.commit()
    except psycopg2.Error as e:
        print("  duplicate:", err(e))
        conn.rollback()
    cur.execute("SELECT count(*) FROM p2copy")
    print("  count", cur.fetchone())
    conn.commit()


@section
def named_cursors(conn):
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS p2big")
    cur.execute("CREATE TABLE p2big (id int PRIMARY KEY, sq bigint)")
    cur.execute("INSERT INTO p2big SELECT g, g::bigint * g FROM generate_series(1, 2500) g")
    conn.commit()
    nc = conn.cursor("big")
    nc.itersize = 1000
    nc.execute("SELECT id, sq FROM p2big WHERE id > %s ORDER BY id", (10,))
    print("  first", nc.fetchone(), "many", nc.fetchmany(3))
    n = 0
    total = 0
    for row in nc:
        n += 1
        total += row[1]
    print("  iterated", n, total, "rownumber", nc.rownumber)
    print("  description", desc(nc))
    nc.close()
    sc = conn.cursor("scroll", scrollable=True)
    sc.execute("SELECT id FROM p2big WHERE id <= 20 ORDER BY id")
    print("  ", sc.fetchmany(5))
    sc.scroll(2)
    print("  after scroll 2", sc.fetchone())
    sc.scroll(3, mode="absolute")
    print("  absolute 3", sc.fetchone())
    sc.scroll(-2)
    print("  back 2", sc.fetchall())
    sc.close()
    conn.commit()
    hc = conn.cursor("held", withhold=True)
    hc.execute("SELECT id FROM p2big WHERE id <= 5 ORDER BY id")
    print("  held", hc.fetchmany(2))
    conn.commit()
    print("  after commit", hc.fetchall())
    hc.close()
    bad = conn.cursor("bad")
    try:
        bad.execute("SELECT nosuch FROM p2big")
        bad.fetchall()
    except psycopg2.Error as e:
        print("  named error:", err(e))
    conn.rollback()
    gone = conn.cursor("gone")
    gone.execute("SELECT 1")
    conn.commit()
    try:
        gone.fetchall()
    except psycopg2.Error as e:
        print("  after commit:", err(e))
    conn.rollback()


@section
def notices(conn):
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("COMMIT")
    cur.execute("DROP TABLE IF EXISTS p2nothere")
    print("  ", [n.strip() for n in conn.notices])
    print("  status message", cur.statusmessage)


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
