// t/clients/JdbcCheck.java HOST PORT DBNAME [SECTION...]: pgjdbc (Debian's
// libpostgresql-jdbc-java) against a PostgreSQL server.  Each section
// prints what the driver handed back: values read with the getters of
// their types, update counts, batches, generated keys, SQLSTATEs,
// transactions and savepoints, fetch sizes (portals read in pieces) and
// DatabaseMetaData.  t/t4660-serve-jdbc.sh runs it against PostgreSQL 15
// and against dh-serve and compares the outputs.  Run with
//   java -cp /usr/share/java/postgresql.jar JdbcCheck.java ...
import java.math.BigDecimal;
import java.sql.*;
import java.time.*;
import java.util.*;

public class JdbcCheck {
	static Connection conn;

	interface Section { void run() throws Exception; }

	static void p(Object... xs) {
		StringBuilder b = new StringBuilder(" ");
		for (Object x : xs) b.append(' ').append(show(x));
		System.out.println(b);
	}

	static String show(Object x) {
		if (x == null) return "null";
		if (x instanceof byte[]) return "bytes" + Arrays.toString((byte[]) x);
		if (x instanceof int[]) return Arrays.toString((int[]) x);
		if (x instanceof Object[]) return Arrays.deepToString((Object[]) x);
		if (x instanceof String) return "'" + x + "'";
		return x.toString();
	}

	static String err(SQLException e) {
		return "SQLException " + e.getSQLState() + " " + e.getMessage().split("\n")[0];
	}

	static void exec(String sql) throws SQLException {
		try (Statement s = conn.createStatement()) { s.execute(sql); }
	}

	static void rows(ResultSet rs) throws SQLException {
		ResultSetMetaData md = rs.getMetaData();
		StringBuilder h = new StringBuilder("  columns");
		for (int i = 1; i <= md.getColumnCount(); i++)
			h.append(' ').append(md.getColumnLabel(i)).append(':').append(md.getColumnType(i));
		System.out.println(h);
		while (rs.next()) {
			StringBuilder b = new StringBuilder("  row");
			for (int i = 1; i <= md.getColumnCount(); i++)
				b.append(" | ").append(show(rs.getObject(i) instanceof Array
					? ((Array) rs.getObject(i)).getArray() : rs.getObject(i)));
			System.out.println(b);
		}
	}

	static void types() throws Exception {
		exec("DROP TABLE IF EXISTS jtypes");
		exec("CREATE TABLE jtypes (id int PRIMARY KEY, s smallint, l bigint, n numeric(12,3), r real, "
		     + "f double precision, t text, vc varchar(8), c char(3), b bytea, ok boolean, d date, "
		     + "tm time, ts timestamp, tz timestamptz, u uuid, ai int[], at text[])");
		try (PreparedStatement ps = conn.prepareStatement(
			"INSERT INTO jtypes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
			ps.setInt(1, 1);
			ps.setShort(2, (short) -7);
			ps.setLong(3, 9007199254740993L);
			ps.setBigDecimal(4, new BigDecimal("-123456789.125"));
			ps.setFloat(5, 1.5f);
			ps.setDouble(6, 0.1);
			ps.setString(7, "héllo 'q' \\");
			ps.setString(8, "vc");
			ps.setString(9, "ab");
			ps.setBytes(10, new byte[] {0, 1, -2, 127});
			ps.setBoolean(11, true);
			ps.setDate(12, java.sql.Date.valueOf("1999-12-31"));
			ps.setTime(13, Time.valueOf("23:59:58"));
			ps.setTimestamp(14, Timestamp.valueOf("2024-02-29 12:00:01.5"));
			ps.setObject(15, OffsetDateTime.of(2024, 2, 29, 12, 0, 1, 0, ZoneOffset.ofHours(2)));
			ps.setObject(16, UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
			ps.setArray(17, conn.createArrayOf("int4", new Integer[] {1, null, 3}));
			ps.setArray(18, conn.createArrayOf("text", new String[] {"a", "b c", null}));
			p("insert", ps.executeUpdate());
			ps.setInt(1, 2);
			for (int i = 2; i <= 18; i++) ps.setNull(i, Types.NULL);
			p("insert nulls", ps.executeUpdate());
		}
		try (Statement s = conn.createStatement();
		     ResultSet rs = s.executeQuery("SELECT * FROM jtypes ORDER BY id")) {
			rows(rs);
		}
		try (PreparedStatement ps = conn.prepareStatement(
			"SELECT id, s, l, n, ts, tz, d, tm, b FROM jtypes WHERE id = ? AND l = ? AND n = ?")) {
			ps.setInt(1, 1);
			ps.setLong(2, 9007199254740993L);
			ps.setBigDecimal(3, new BigDecimal("-123456789.125"));
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next())
					p(rs.getInt(1), rs.getShort(2), rs.getLong(3), rs.getBigDecimal(4),
					  rs.getTimestamp(5), rs.getObject(6, OffsetDateTime.class),
					  rs.getObject(7, LocalDate.class), rs.getObject(8, LocalTime.class),
					  rs.getBytes(9), rs.getString(4), rs.getDouble(4));
			}
		}
		// the same statement five times: pgjdbc then prepares it on the
		// server (named statement, binary results)
		try (PreparedStatement ps = conn.prepareStatement(
			"SELECT ?::int + 1 AS n, ?::text AS t, ?::numeric * 2 AS m, ?::timestamp AS ts, ?::float8 AS f")) {
			for (int i = 0; i < 7; i++) {
				ps.setInt(1, i);
				ps.setString(2, "t" + i);
				ps.setBigDecimal(3, new BigDecimal("1.25"));
				ps.setTimestamp(4, Timestamp.valueOf("2020-01-01 00:00:00"));
				ps.setDouble(5, i / 4.0);
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					p("repeat", rs.getInt(1), rs.getString(2), rs.getBigDecimal(3), rs.getTimestamp(4),
					  rs.getDouble(5));
				}
			}
		}
	}

	static void batches() throws Exception {
		exec("DROP TABLE IF EXISTS jbatch");
		exec("CREATE TABLE jbatch (id serial PRIMARY KEY, name text NOT NULL, qty int)");
		try (PreparedStatement ps = conn.prepareStatement("INSERT INTO jbatch (name, qty) VALUES (?, ?)")) {
			for (int i = 1; i <= 5; i++) {
				ps.setString(1, "n" + i);
				ps.setInt(2, i * 10);
				ps.addBatch();
			}
			p("batch", ps.executeBatch());
		}
		try (Statement s = conn.createStatement()) {
			s.addBatch("UPDATE jbatch SET qty = qty + 1 WHERE id <= 2");
			s.addBatch("DELETE FROM jbatch WHERE id = 5");
			s.addBatch("INSERT INTO jbatch (name) VALUES ('x'), ('y')");
			p("statement batch", s.executeBatch());
		}
		try (PreparedStatement ps = conn.prepareStatement("INSERT INTO jbatch (name, qty) VALUES (?, ?)",
								   new String[] {"id"})) {
			ps.setString(1, "keyed");
			ps.setInt(2, 1);
			ps.executeUpdate();
			try (ResultSet k = ps.getGeneratedKeys()) {
				while (k.next()) p("generated key", k.getInt(1));
			}
		}
		try (PreparedStatement ps = conn.prepareStatement("INSERT INTO jbatch (name, qty) VALUES (?, ?)")) {
			ps.setString(1, "ok");
			ps.setInt(2, 1);
			ps.addBatch();
			ps.setNull(1, Types.VARCHAR);
			ps.setInt(2, 2);
			ps.addBatch();
			ps.executeBatch();
			p("no error");
		} catch (BatchUpdateException e) {
			p("batch error", e.getSQLState(), e.getUpdateCounts().length > 0);
		}
		try (Statement s = conn.createStatement();
		     ResultSet rs = s.executeQuery("SELECT id, name, qty FROM jbatch ORDER BY id")) {
			rows(rs);
		}
	}

	static void transactions() throws Exception {
		exec("DROP TABLE IF EXISTS jtx");
		exec("CREATE TABLE jtx (id int PRIMARY KEY, v text)");
		conn.setAutoCommit(false);
		exec("INSERT INTO jtx VALUES (1, 'committed')");
		conn.commit();
		exec("INSERT INTO jtx VALUES (2, 'rolled back')");
		conn.rollback();
		exec("INSERT INTO jtx VALUES (3, 'before savepoint')");
		Savepoint sp = conn.setSavepoint("sp1");
		exec("INSERT INTO jtx VALUES (4, 'after savepoint')");
		conn.rollback(sp);
		Savepoint sp2 = conn.setSavepoint();
		exec("INSERT INTO jtx VALUES (5, 'released')");
		conn.releaseSavepoint(sp2);
		conn.commit();
		try {
			exec("INSERT INTO jtx VALUES (1, 'dup')");
		} catch (SQLException e) {
			p(err(e));
			try {
				exec("SELECT 1");
			} catch (SQLException e2) {
				p("then", err(e2));
			}
			conn.rollback();
		}
		conn.setReadOnly(true);
		try {
			exec("INSERT INTO jtx VALUES (6, 'read only')");
		} catch (SQLException e) {
			p(err(e));
		}
		conn.rollback();
		conn.setReadOnly(false);
		conn.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
		try (Statement s = conn.createStatement();
		     ResultSet rs = s.executeQuery("SHOW transaction_isolation")) {
			rs.next();
			p("isolation", rs.getString(1));
		}
		conn.commit();
		conn.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
		conn.setAutoCommit(true);
		try (Statement s = conn.createStatement();
		     ResultSet rs = s.executeQuery("SELECT id, v FROM jtx ORDER BY id")) {
			rows(rs);
		}
	}

	static void errors() throws Exception {
		String[] qs = {
			"SELECT * FROM nosuch", "SELECT nosuch FROM jtx", "SELEC 1", "SELECT 1 / 0",
			"SELECT 'x'::int", "INSERT INTO jtx VALUES (NULL, 'n')",
		};
		for (String q : qs) {
			try (Statement s = conn.createStatement()) {
				s.execute(q);
				p("no error", q);
			} catch (SQLException e) {
				p(q, "->", err(e));
			}
		}
		try (PreparedStatement ps = conn.prepareStatement("SELECT ?::int")) {
			ps.setString(1, "nope");
			ps.executeQuery();
		} catch (SQLException e) {
			p("parameter", err(e));
		}
	}

	static void fetchSize() throws Exception {
		exec("DROP TABLE IF EXISTS jbig");
		exec("CREATE TABLE jbig (id int PRIMARY KEY, sq bigint)");
		exec("INSERT INTO jbig SELECT g, g::bigint * g FROM generate_series(1, 1000) g");
		conn.setAutoCommit(false);
		try (PreparedStatement ps = conn.prepareStatement("SELECT id, sq FROM jbig WHERE id > ? ORDER BY id")) {
			ps.setFetchSize(64);
			ps.setInt(1, 10);
			try (ResultSet rs = ps.executeQuery()) {
				long n = 0, sum = 0;
				while (rs.next()) { n++; sum += rs.getLong(2); }
				p("fetched", n, sum);
			}
		}
		try (Statement s = conn.createStatement()) {
			s.setFetchSize(10);
			s.setMaxRows(25);
			try (ResultSet rs = s.executeQuery("SELECT id FROM jbig ORDER BY id DESC")) {
				int n = 0;
				while (rs.next()) n++;
				p("max rows", n);
			}
		}
		conn.commit();
		conn.setAutoCommit(true);
	}

	static void metadata() throws Exception {
		exec("DROP TABLE IF EXISTS jchild");
		exec("DROP TABLE IF EXISTS jmeta");
		exec("CREATE TABLE jmeta (id int PRIMARY KEY, name text NOT NULL, note varchar(20))");
		exec("CREATE INDEX jmeta_name ON jmeta (name)");
		exec("CREATE TABLE jchild (id int PRIMARY KEY, meta_id int REFERENCES jmeta (id) ON DELETE CASCADE)");
		DatabaseMetaData md = conn.getMetaData();
		try (ResultSet rs = md.getTables(null, "public", "jmeta", new String[] {"TABLE"})) {
			while (rs.next()) p("table", rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE"));
		}
		try (ResultSet rs = md.getColumns(null, "public", "jmeta", null)) {
			while (rs.next())
				p("column", rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"),
				  rs.getString("IS_NULLABLE"), rs.getInt("ORDINAL_POSITION"));
		}
		try (ResultSet rs = md.getPrimaryKeys(null, "public", "jmeta")) {
			while (rs.next()) p("pk", rs.getString("COLUMN_NAME"), rs.getString("PK_NAME"));
		}
		try (ResultSet rs = md.getIndexInfo(null, "public", "jmeta", false, false)) {
			while (rs.next())
				p("index", rs.getString("INDEX_NAME"), rs.getBoolean("NON_UNIQUE"), rs.getString("COLUMN_NAME"));
		}
		try (ResultSet rs = md.getImportedKeys(null, "public", "jchild")) {
			while (rs.next())
				p("fk", rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME"), rs.getString("FKCOLUMN_NAME"),
				  rs.getString("FK_NAME"), rs.getInt("KEY_SEQ"), rs.getInt("UPDATE_RULE"), rs.getInt("DELETE_RULE"));
		}
		try (ResultSet rs = md.getSchemas()) {
			while (rs.next()) p("schema", rs.getString("TABLE_SCHEM"));
		}
	}

	// interval and jsonb are not in pgjdbc's built-in type table: it
	// looks their OIDs up in pg_catalog.pg_type
	static void typesCatalog() throws Exception {
		try (PreparedStatement ps = conn.prepareStatement(
			"SELECT ?::interval AS iv, ?::jsonb AS j")) {
			ps.setString(1, "1 day 02:03:04");
			ps.setString(2, "{\"b\": [1, 2], \"a\": null}");
			try (ResultSet rs = ps.executeQuery()) {
				rows(rs);
			}
		}
	}

	// names of the columns' types (serial: the column's default), and the
	// table and nullability behind each column (RowDescription's table
	// OID and column number, read in pg_catalog)
	static void resultMetadata() throws Exception {
		try (Statement s = conn.createStatement();
		     ResultSet rs = s.executeQuery("SELECT * FROM jbatch ORDER BY id")) {
			ResultSetMetaData md = rs.getMetaData();
			for (int i = 1; i <= md.getColumnCount(); i++)
				p(md.getColumnTypeName(i));
		}
		try (Statement s = conn.createStatement();
		     ResultSet rs = s.executeQuery("SELECT id, v FROM jtx ORDER BY id")) {
			ResultSetMetaData md = rs.getMetaData();
			for (int i = 1; i <= md.getColumnCount(); i++)
				p(md.getColumnName(i), md.getTableName(i), md.isNullable(i), md.isAutoIncrement(i));
		}
	}

	public static void main(String[] a) throws Exception {
		String url = "jdbc:postgresql://" + a[0] + ":" + a[1] + "/" + a[2];
		Properties props = new Properties();
		props.setProperty("user", "postgres");
		props.setProperty("password", "");
		conn = DriverManager.getConnection(url, props);
		LinkedHashMap<String, Section> all = new LinkedHashMap<>();
		all.put("types", JdbcCheck::types);
		all.put("batches", JdbcCheck::batches);
		all.put("transactions", JdbcCheck::transactions);
		all.put("errors", JdbcCheck::errors);
		all.put("fetch_size", JdbcCheck::fetchSize);
		all.put("types_catalog", JdbcCheck::typesCatalog);
		all.put("metadata", JdbcCheck::metadata);
		all.put("result_metadata", JdbcCheck::resultMetadata);
		List<String> only = Arrays.asList(a).subList(3, a.length);
		for (Map.Entry<String, Section> e : all.entrySet()) {
			if (!only.isEmpty() && !only.contains(e.getKey())) continue;
			System.out.println(e.getKey());
			try {
				e.getValue().run();
			} catch (SQLException x) {
				System.out.println("  UNEXPECTED " + err(x));
				if (!conn.getAutoCommit()) conn.rollback();
			}
		}
		conn.close();
	}
}
