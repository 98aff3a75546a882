// Drives shardgate's PostgreSQL frontend with the PostgreSQL JDBC driver (PgJDBC), unmodified:
// server-side prepared statements with binary parameters, batches, transactions, errors.
// Usage: java -cp postgresql.jar PgJdbcCheck.java PORT KEY:SHARD... ; exits non-zero on a failure.
//   or:  java -cp postgresql.jar PgJdbcCheck.java CASE port=N primary.SHARD=PORT
//        replica.SHARD=PORT keys.SHARD=K,K,... [proxy_mode=true|false] [duration_ms=N]
//        CASE: placement | transactions | read_your_writes (jdbc_test.py pg_jdbc_*). Prints
//        ok/FAIL lines, one `ROW table key present hex(name) what` line per row written (the
//        runner checks them on every primary directly) and `INFO k=v` lines; exits non-zero on
//        a failure.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;

public class PgJdbcCheck {
    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    interface SqlBody {
        void run() throws SQLException;
    }

    static String expectError(SqlBody body) {
        try {
            body.run();
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage();
        }
        return null;
    }

    static long keyOnOtherShard(List<Long> keys, List<String> shards, long key) {
        String shard = shards.get(keys.indexOf(key));
        for (int i = 0; i < keys.size(); ++i) {
            if (!shards.get(i).equals(shard)) {
                return keys.get(i);
            }
        }
        throw new AssertionError("keys must span two shards");
    }

    static void basicCheck(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<Long> keys = new ArrayList<>();
        List<String> shards = new ArrayList<>();
        for (int i = 1; i < args.length; ++i) {
            String[] pair = args[i].split(":");
            keys.add(Long.parseLong(pair[0]));
            shards.add(pair[1]);
        }
        Properties props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app");
        // Named server-side statements from the first execution, binary transfer of keys.
        props.setProperty("prepareThreshold", "1");
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/shop";
        try (Connection conn = DriverManager.getConnection(url, props)) {
            check(conn.getMetaData().getDatabaseProductName().equals("PostgreSQL"),
                  "product name");

            // Autocommit inserts, one statement text reused with different keys (and shards).
            try (PreparedStatement insert =
                     conn.prepareStatement("INSERT INTO customers (id, name) VALUES (?, ?)")) {
                for (long key : keys) {
                    insert.setLong(1, key);
                    insert.setString(2, "jdbc-" + key);
                    check(insert.executeUpdate() == 1, "insert " + key);
                }
            }

            // Reads by key, forced to the primary so replica lag cannot matter.
            try (PreparedStatement select = conn.prepareStatement(
                     "/* shardgate: primary */ SELECT name FROM customers WHERE id = ?")) {
                for (int round = 0; round < 3; ++round) {
                    for (long key : keys) {
                        select.setLong(1, key);
                        try (ResultSet rs = select.executeQuery()) {
                            check(rs.next(), "row for " + key);
                            check(rs.getString(1).equals("jdbc-" + key), "name of " + key);
                            check(!rs.next(), "one row for " + key);
                        }
                    }
                }
            }

            // A transaction on one shard: update, read back inside it, commit.
            long first = keys.get(0);
            conn.setAutoCommit(false);
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
                update.setString(1, "jdbc-updated");
                update.setLong(2, first);
                check(update.executeUpdate() == 1, "update in transaction");
            }
            try (PreparedStatement select =
                     conn.prepareStatement("SELECT name FROM customers WHERE id = ?")) {
                select.setLong(1, first);
                try (ResultSet rs = select.executeQuery()) {
                    check(rs.next() && rs.getString(1).equals("jdbc-updated"),
                          "own write visible inside the transaction");
                }
            }
            conn.commit();

            // An error inside a transaction: the backend's SQLSTATE reaches the driver, the
            // rollback works and the connection stays usable.
            String duplicate = expectError(() -> {
                try (PreparedStatement insert =
                         conn.prepareStatement("INSERT INTO customers (id, name) VALUES (?, ?)")) {
                    insert.setLong(1, first);
                    insert.setString(2, "again");
                    insert.executeUpdate();
                }
            });
            check(duplicate != null && duplicate.startsWith("23505"),
                  "duplicate key error, got " + duplicate);
            conn.rollback();

            // A second shard inside one transaction joins it (two-phase commit at COMMIT,
            // which pgjdbc sends through the extended protocol); both rows change.
            long otherShardKey = keyOnOtherShard(keys, shards, first);
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
                update.setString(1, "first");
                update.setLong(2, first);
                check(update.executeUpdate() == 1, "first shard in transaction");
                update.setString(1, "second");
                update.setLong(2, otherShardKey);
                check(update.executeUpdate() == 1, "second shard in the same transaction");
            }
            conn.commit();
            try (PreparedStatement read = conn.prepareStatement(
                     "SELECT name FROM customers WHERE id = ? /* shardgate: primary */")) {
                for (long key : new long[] {first, otherShardKey}) {
                    read.setLong(1, key);
                    try (ResultSet rs = read.executeQuery()) {
                        check(rs.next(), "row " + key + " after the distributed commit");
                        String expected = key == first ? "first" : "second";
                        check(expected.equals(rs.getString(1)),
                              "row " + key + " committed as " + expected);
                    }
                }
            }
            // A second distributed transaction puts the insert values back.
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
                for (long key : new long[] {first, otherShardKey}) {
                    update.setString(1, "jdbc-" + key);
                    update.setLong(2, key);
                    check(update.executeUpdate() == 1, "restore row " + key);
                }
            }
            conn.commit();
            conn.setAutoCommit(true);

            // Batches: Parse/Bind/Execute per row and one Sync. Rows of one shard run; rows of
            // two shards share one implicit transaction (committed with two-phase commit).
            String firstShard = shards.get(0);
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
                int sameShard = 0;
                for (int i = 0; i < keys.size(); ++i) {
                    if (shards.get(i).equals(firstShard)) {
                        update.setString(1, "batch-" + keys.get(i));
                        update.setLong(2, keys.get(i));
                        update.addBatch();
                        ++sameShard;
                    }
                }
                int[] counts = update.executeBatch();
                check(counts.length == sameShard, "one count per batch row");
                for (int count : counts) {
                    check(count == 1, "batch row count " + count);
                }
                for (long key : keys) {
                    update.setString(1, "spanning-" + key);
                    update.setLong(2, key);
                    update.addBatch();
                }
                // A batch over both shards runs statement by statement in one transaction.
                int[] spanning = update.executeBatch();
                check(spanning.length == keys.size(), "one count per spanning batch row");
                for (int count : spanning) {
                    check(count == 1, "spanning batch row count " + count);
                }
            }
            try (PreparedStatement select = conn.prepareStatement(
                     "/* shardgate: primary */ SELECT name FROM customers WHERE id = ?")) {
                for (int i = 0; i < keys.size(); ++i) {
                    select.setLong(1, keys.get(i));
                    try (ResultSet rs = select.executeQuery()) {
                        check(rs.next(), "row for " + keys.get(i));
                        // The spanning batch wrote every shard's rows.
                        String want = "spanning-" + keys.get(i);
                        check(rs.getString(1).equals(want),
                              "after batches, key " + keys.get(i) + ": " + rs.getString(1));
                    }
                }
            }

            // Plain statement and a result with many rows.
            try (Statement statement = conn.createStatement();
                 ResultSet rs = statement.executeQuery(
                     "SELECT g, repeat('x', 100) FROM generate_series(1, 5000) g")) {
                int rows = 0;
                while (rs.next()) {
                    ++rows;
                    check(rs.getInt(1) == rows, "row order");
                }
                check(rows == 5000, "5000 rows, got " + rows);
            }
            System.out.println("ok: " + keys.size() + " keys");
        }
    }

    // --- named cases (jdbc_test.py pg_jdbc_*) ---------------------------------------------------

    static final Map<String, String> cfg = new HashMap<>();
    static final TreeMap<String, List<Long>> keyPools = new TreeMap<>();
    static final Map<String, Integer> nextKey = new HashMap<>();
    static final List<String> failures = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].matches("\\d+")) {
            basicCheck(args);
            return;
        }
        String name = args[0];
        for (int i = 1; i < args.length; ++i) {
            int eq = args[i].indexOf('=');
            String key = args[i].substring(0, eq);
            String value = args[i].substring(eq + 1);
            cfg.put(key, value);
            if (key.startsWith("keys.")) {
                List<Long> list = new ArrayList<>();
                for (String k : value.split(",")) {
                    if (!k.isEmpty()) {
                        list.add(Long.parseLong(k));
                    }
                }
                keyPools.put(key.substring(5), list);
                nextKey.put(key.substring(5), 0);
            }
        }
        try {
            switch (name) {
                case "placement": placement(); break;
                case "transactions": transactions(); break;
                case "read_your_writes": readYourWrites(); break;
                default:
                    System.err.println("unknown case " + name);
                    System.exit(2);
            }
        } catch (Throwable e) {
            fail(name + " aborted", describe(e));
            e.printStackTrace(System.out);
        }
        System.out.flush();
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    static List<String> shards() {
        return new ArrayList<>(keyPools.keySet());
    }

    /// The next unused test key owned by `shard` (as `shardctl locate` says).
    static long take(String shard) {
        int i = nextKey.get(shard);
        List<Long> list = keyPools.get(shard);
        if (i >= list.size()) {
            throw new IllegalStateException("out of test keys for " + shard);
        }
        nextKey.put(shard, i + 1);
        return list.get(i);
    }

    static int cfgInt(String key) {
        return Integer.parseInt(cfg.get(key));
    }

    static String oneLine(String s) {
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
            .replace("\t", "\\t").replace("\0", "\\0");
    }

    static void fail(String what, String detail) {
        String line = oneLine(what + ": " + detail);
        failures.add(line);
        System.out.println("FAIL " + line);
    }

    static void ok(String what) {
        System.out.println("ok   " + oneLine(what));
    }

    static String hex(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.append(String.format("%02x", b & 0xff));
        }
        return out.toString();
    }

    /// A row the runner checks on every primary: present on the owner with `name`, or absent;
    /// null: unknown (its scenario failed half-way), but never on another shard.
    static void row(String what, String table, long key, String name, Boolean present) {
        System.out.println("ROW\t" + table + "\t" + key + "\t" +
                           (present == null ? "?" : present ? "1" : "0") + "\t" +
                           (name == null ? "-" : hex(name)) + "\t" + oneLine(what));
    }

    static String describe(Throwable e) {
        if (e instanceof SQLException) {
            SQLException s = (SQLException) e;
            return "SQLSTATE " + s.getSQLState() + ": " + s.getMessage();
        }
        return e.toString();
    }

    static void expect(boolean condition, String detail) {
        if (!condition) {
            throw new AssertionError(detail);
        }
    }

    static Connection connect(int port, String... extra) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "app");
        props.setProperty("password", "app");
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        for (String kv : extra) {
            int eq = kv.indexOf('=');
            props.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", props);
    }

    /// A statement template with {K} (the bigint key) and {N} (the text name) as JDBC markers.
    static final class Bound {
        final StringBuilder sql = new StringBuilder();
        final List<Character> order = new ArrayList<>();

        Bound(String template) {
            int i = 0;
            while (i < template.length()) {
                if (template.startsWith("{K}", i) || template.startsWith("{N}", i)) {
                    order.add(template.charAt(i + 1));
                    sql.append('?');
                    i += 3;
                } else {
                    sql.append(template.charAt(i++));
                }
            }
        }

        void set(PreparedStatement ps, long key, String name) throws SQLException {
            for (int i = 0; i < order.size(); ++i) {
                if (order.get(i) == 'K') {
                    ps.setLong(i + 1, key);
                } else {
                    ps.setString(i + 1, name);
                }
            }
        }
    }

    /// The template with the values written as literals (standard_conforming_strings).
    static String inline(String template, long key, String name) {
        return template.replace("{K}", Long.toString(key))
            .replace("{N}", name == null ? "NULL" : "'" + name.replace("'", "''") + "'");
    }

    /// One way of sending statements: a connection, prepared or text, statements kept or not.
    static final class Mode {
        final String label;
        final Connection conn;
        final boolean prepared;
        final boolean reuse;
        final Map<String, PreparedStatement> cache = new HashMap<>();

        Mode(String label, Connection conn, boolean prepared, boolean reuse) {
            this.label = label;
            this.conn = conn;
            this.prepared = prepared;
            this.reuse = reuse;
        }

        PreparedStatement statement(String sql) throws SQLException {
            if (!reuse) {
                return conn.prepareStatement(sql);
            }
            PreparedStatement ps = cache.get(sql);
            if (ps == null) {
                ps = conn.prepareStatement(sql);
                cache.put(sql, ps);
            }
            return ps;
        }

        int update(String template, long key, String name) throws SQLException {
            if (!prepared) {
                try (Statement st = conn.createStatement()) {
                    return st.executeUpdate(inline(template, key, name));
                }
            }
            Bound b = new Bound(template);
            PreparedStatement ps = statement(b.sql.toString());
            try {
                b.set(ps, key, name);
                return ps.executeUpdate();
            } finally {
                if (!reuse) {
                    ps.close();
                }
            }
        }

        List<String> query(String template, long key) throws SQLException {
            List<String> out = new ArrayList<>();
            if (!prepared) {
                try (Statement st = conn.createStatement();
                     ResultSet rs = st.executeQuery(inline(template, key, null))) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
            Bound b = new Bound(template);
            PreparedStatement ps = statement(b.sql.toString());
            try {
                b.set(ps, key, null);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            } finally {
                if (!reuse) {
                    ps.close();
                }
            }
            return out;
        }
    }

    interface Read {
        List<String> run() throws SQLException;
    }

    /// Reads until `accept` or 3 s passed: a replica may be a few milliseconds behind (the
    /// read-your-writes cases do not poll); a row on the wrong shard never turns up.
    static List<String> poll(Read read, Predicate<List<String>> accept) throws Exception {
        long deadline = System.currentTimeMillis() + 3000;
        for (;;) {
            List<String> got = read.run();
            if (accept.test(got) || System.currentTimeMillis() > deadline) {
                return got;
            }
            Thread.sleep(50);
        }
    }

    // --- 1. placement of every spelling ----------------------------------------------------------

    static final String[][] INSERTS = {
        {"lower", "INSERT INTO customers (id, name) VALUES ({K}, {N})"},
        {"UPPER", "INSERT INTO CUSTOMERS (ID, NAME) VALUES ({K}, {N})"},
        {"Mixed", "INSERT INTO Customers (Id, Name) VALUES ({K}, {N})"},
        {"quoted", "INSERT INTO \"customers\" (\"id\", \"name\") VALUES ({K}, {N})"},
        {"schema-qualified", "INSERT INTO public.customers (ID, name) VALUES ({K}, {N})"},
        {"SCHEMA-QUALIFIED UPPER", "INSERT INTO PUBLIC.CUSTOMERS (Id, NAME) VALUES ({K}, {N})"},
        {"quoted schema-qualified",
         "INSERT INTO \"public\".\"customers\" (\"id\", \"name\") VALUES ({K}, {N})"},
        {"Mixed schema, quoted table",
         "INSERT INTO Public.\"customers\" (iD, \"name\") VALUES ({K}, {N})"},
        {"columns reversed", "INSERT INTO Customers (NAME, ID) VALUES ({N}, {K})"},
        {"alias", "INSERT INTO customers AS c (Id, name) VALUES ({K}, {N})"},
    };

    static final String[][] UPDATES = {
        {"UPPER", "UPDATE CUSTOMERS SET NAME = {N} WHERE ID = {K}"},
        {"schema alias Mixed key", "UPDATE public.Customers c SET name = {N} WHERE c.Id = {K}"},
        {"quoted schema alias",
         "UPDATE \"public\".\"customers\" AS \"c\" SET \"name\" = {N} WHERE \"c\".\"id\" = {K}"},
        {"quoted key", "UPDATE Customers SET Name = {N} WHERE \"id\" = {K}"},
    };

    static final String[][] DELETES = {
        {"UPPER", "DELETE FROM CUSTOMERS WHERE ID = {K}"},
        {"schema alias Mixed key", "DELETE FROM public.Customers AS c WHERE c.iD = {K}"},
        {"quoted schema-qualified", "DELETE FROM \"public\".\"customers\" WHERE \"id\" = {K}"},
    };

    static final String[][] SELECTS = {
        {"UPPER", "SELECT NAME FROM CUSTOMERS WHERE ID = {K}"},
        {"Mixed alias", "SELECT c.Name FROM Customers c WHERE C.Id = {K}"},
        {"quoted schema-qualified",
         "SELECT \"name\" FROM \"public\".\"customers\" WHERE \"id\" = {K}"},
        {"SCHEMA UPPER", "SELECT name FROM PUBLIC.Customers WHERE iD = {K}"},
    };

    // Quoted names that differ in case are other (missing) tables: the server's 42P01.
    static final String[][] WRONG_TABLES = {
        {"\"Customers\"", "INSERT INTO \"Customers\" (id, name) VALUES ({K}, {N})"},
        {"\"CUSTOMERS\"", "INSERT INTO \"CUSTOMERS\" (id, name) VALUES ({K}, {N})"},
        {"public.\"Customers\"", "INSERT INTO public.\"Customers\" (id, name) VALUES ({K}, {N})"},
        {"\"PUBLIC\".customers", "INSERT INTO \"PUBLIC\".customers (id, name) VALUES ({K}, {N})"},
    };

    // Quoted key columns that differ in case are other (missing) columns: an error, no row.
    static final String[][] WRONG_COLUMNS = {
        {"\"ID\"", "INSERT INTO customers (\"ID\", name) VALUES ({K}, {N})"},
        {"\"Id\"", "INSERT INTO Customers (\"Id\", name) VALUES ({K}, {N})"},
    };

    static void expectCount(String what, int got, int want) {
        if (got != want) {
            fail(what, "update count " + got + ", expected " + want);
        } else {
            ok(what);
        }
    }

    static void placement() throws Exception {
        int port = cfgInt("port");
        List<Mode> modes = new ArrayList<>();
        // Named server-side statements from the first execution, binary keys; kept and reused.
        modes.add(new Mode("prepared, named (prepareThreshold=1)",
                           connect(port, "prepareThreshold=1"), true, true));
        // Unnamed Parse/Bind/Execute every time.
        modes.add(new Mode("prepared, unnamed (prepareThreshold=0)",
                           connect(port, "prepareThreshold=0"), true, false));
        // Statement with the values as literals (PgJDBC still uses the extended protocol).
        modes.add(new Mode("text Statement", connect(port), false, false));
        // Simple Query messages.
        modes.add(new Mode("text Statement, preferQueryMode=simple",
                           connect(port, "preferQueryMode=simple"), false, false));
        // PreparedStatement interpolated by the driver, sent as a simple Query.
        modes.add(new Mode("prepared, preferQueryMode=simple (client-side interpolation)",
                           connect(port, "preferQueryMode=simple"), true, true));
        Map<String, Map<String, long[]>> present = new LinkedHashMap<>(); // mode -> shard -> key
        Map<Long, String> names = new HashMap<>();
        for (Mode mode : modes) {
            Map<String, long[]> mine = new HashMap<>();
            present.put(mode.label, mine);
            for (String shard : shards()) {
                for (String[] s : INSERTS) {
                    long key = take(shard);
                    String name = "insert " + s[0] + " (" + mode.label + ")";
                    String what = "customers INSERT " + s[0] + " (" + mode.label + ") key " + key +
                                  " owned by " + shard;
                    boolean good = false;
                    try {
                        int n = mode.update(s[1], key, name);
                        expectCount(what, n, 1);
                        good = n == 1;
                    } catch (SQLException e) {
                        fail(what, describe(e));
                    }
                    row(what, "customers", key, name, true);
                    if (good && !mine.containsKey(shard)) {
                        mine.put(shard, new long[] {key});
                        names.put(key, name);
                    }
                }
                for (String[] s : UPDATES) {
                    long key = take(shard);
                    String name = "update " + s[0] + " (" + mode.label + ")";
                    String what = "customers UPDATE " + s[0] + " (" + mode.label + ") key " + key +
                                  " owned by " + shard;
                    try {
                        expectCount(what + ": setup insert", mode.update(INSERTS[0][1], key,
                                                                         "before update"), 1);
                        expectCount(what, mode.update(s[1], key, name), 1);
                    } catch (SQLException e) {
                        fail(what, describe(e));
                    }
                    row(what, "customers", key, name, true);
                }
                for (String[] s : DELETES) {
                    long key = take(shard);
                    String what = "customers DELETE " + s[0] + " (" + mode.label + ") key " + key +
                                  " owned by " + shard;
                    try {
                        expectCount(what + ": setup insert", mode.update(INSERTS[0][1], key,
                                                                         "before delete"), 1);
                        expectCount(what, mode.update(s[1], key, null), 1);
                    } catch (SQLException e) {
                        fail(what, describe(e));
                    }
                    row(what, "customers", key, null, false);
                }
                for (String[] s : WRONG_TABLES) {
                    long key = take(shard);
                    String what = "INSERT INTO " + s[0] + " (" + mode.label + ") key " + key;
                    try {
                        mode.update(s[1], key, "wrong table " + s[0]);
                        fail(what, "succeeded; expected the server's 42P01 (relation does not " +
                                   "exist)");
                    } catch (SQLException e) {
                        if (!"42P01".equals(e.getSQLState())) {
                            fail(what, "expected 42P01, got " + describe(e));
                        } else {
                            ok(what + ": " + describe(e));
                        }
                    }
                    row(what, "customers", key, null, false);
                }
                for (String[] s : WRONG_COLUMNS) {
                    long key = take(shard);
                    String what = "INSERT with key column " + s[0] + " (" + mode.label + ") key " +
                                  key;
                    try {
                        mode.update(s[1], key, "wrong column " + s[0]);
                        fail(what, "succeeded; expected an error (there is no column " + s[0] +
                                   ")");
                    } catch (SQLException e) {
                        ok(what + ": " + describe(e));
                    }
                    row(what, "customers", key, null, false);
                }
            }
        }
        // Every spelling of a read finds the rows of both shards.
        for (Mode mode : modes) {
            for (String[] s : SELECTS) {
                for (String shard : shards()) {
                    long[] k = present.get(mode.label).get(shard);
                    if (k == null) {
                        continue;
                    }
                    long key = k[0];
                    String want = names.get(key);
                    String what = "customers SELECT " + s[0] + " (" + mode.label + ") key " + key +
                                  " owned by " + shard;
                    try {
                        List<String> got = poll(() -> mode.query(s[1], key),
                                                (g) -> g.size() == 1 && g.get(0).equals(want));
                        if (got.size() != 1 || !got.get(0).equals(want)) {
                            fail(what, "read " + got + ", expected [" + want + "]");
                        } else {
                            ok(what);
                        }
                    } catch (SQLException e) {
                        fail(what, describe(e));
                    }
                }
            }
            long key = take(shards().get(0));
            String what = "SELECT FROM \"Customers\" (" + mode.label + ")";
            try {
                mode.query("SELECT name FROM \"Customers\" WHERE id = {K}", key);
                fail(what, "succeeded; expected 42P01");
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {
                    fail(what, "expected 42P01, got " + describe(e));
                } else {
                    ok(what + ": " + describe(e));
                }
            }
        }
        for (Mode mode : modes) {
            mode.conn.close();
        }
    }

    // --- 2. transactions never touch a replica ---------------------------------------------------

    static final String INSERT = "INSERT INTO customers (id, name) VALUES (?, ?)";
    static final String PROBE =
        "SELECT count(*), pg_is_in_recovery(), inet_server_port() FROM customers WHERE id = ?";

    static void insert(Connection c, long key, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, key);
            ps.setString(2, name);
            expect(ps.executeUpdate() == 1, "INSERT did not report 1 row");
        }
    }

    /// The key's row count, read by `ps` (PROBE); the server that ran it must be the primary
    /// of `shard` (inside a transaction: the server the transaction runs on).
    static long probe(PreparedStatement ps, String shard, long key, String step)
        throws SQLException {
        ps.setLong(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            expect(rs.next(), step + ": no row");
            long count = rs.getLong(1);
            boolean recovery = rs.getBoolean(2);
            int port = rs.getInt(3);
            int want = cfgInt("primary." + shard);
            expect(!recovery && port == want,
                   step + ": ran on the server at port " + port + (recovery ? " (a replica)" : "") +
                   ", expected the primary of " + shard + " (port " + want + ")");
            return count;
        }
    }

    static long probe(Connection c, String shard, long key, String step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PROBE)) {
            return probe(ps, shard, key, step);
        }
    }

    /// In a transaction (autocommit off): an INSERT rolled back leaves nothing, then the INSERT
    /// of `name` commits; every read in between runs on the owner's primary and sees the
    /// transaction's own state.
    static void rollbackThenCommit(Connection c, String shard, long key, String name)
        throws SQLException {
        expect(probe(c, shard, key, "read before the INSERT") == 0, "row already there");
        insert(c, key, "rolled back");
        expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
        c.rollback();
        expect(probe(c, shard, key, "read after rollback") == 0, "row still there after rollback");
        insert(c, key, name);
        expect(probe(c, shard, key, "read after the second INSERT") == 1, "own row not visible");
        c.commit();
    }

    interface TxBody {
        void run(String shard, long key, String name) throws Exception;
    }

    /// Runs `body` once per shard with a fresh key; the row must then be on the owner primary
    /// (commits) or nowhere.
    static void scenario(String label, boolean commits, TxBody body) {
        for (String shard : shards()) {
            long key = take(shard);
            String name = ("tx " + label);
            name = name.substring(0, Math.min(name.length(), 95));
            String what = label + ", key " + key + " owned by " + shard;
            boolean good = false;
            try {
                body.run(shard, key, name);
                good = true;
                ok(what);
            } catch (Throwable e) {
                fail(what, describe(e));
            }
            row(what, "customers", key, name, good ? Boolean.valueOf(commits) : null);
        }
    }

    static void transactions() throws Exception {
        int port = cfgInt("port");
        scenario("setAutoCommit(false) + prepared INSERT + commit", true, (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1")) {
                c.setAutoCommit(false);
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("setAutoCommit(false) + prepared INSERT + rollback", false, (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1")) {
                c.setAutoCommit(false);
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.rollback();
                expect(probe(c, shard, key, "read in the next transaction") == 0,
                       "row still there after rollback");
                c.rollback();
            }
        });
        scenario("setAutoCommit(false) + SELECT, then INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1")) {
                c.setAutoCommit(false);
                expect(probe(c, shard, key, "read before the INSERT") == 0, "row already there");
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("named SELECT run in autocommit, then setAutoCommit(false) + the same " +
                 "statement + INSERT + commit", true, (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1");
                 PreparedStatement ps = c.prepareStatement(PROBE)) {
                ps.setLong(1, key);
                ps.executeQuery().close(); // autocommit: any server of the shard may answer
                c.setAutoCommit(false);
                expect(probe(ps, shard, key, "the same statement in the transaction") == 0,
                       "row already there");
                insert(c, key, name);
                expect(probe(ps, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("text Statement: setAutoCommit(false) + SELECT + INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM customers WHERE id = " +
                                                    key)) {
                    expect(rs.next() && rs.getLong(1) == 0, "row already there");
                }
                expect(st.executeUpdate("INSERT INTO customers (id, name) VALUES (" + key + ", '" +
                                        name + "')") == 1, "INSERT did not report 1 row");
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("preferQueryMode=simple: setAutoCommit(false) + SELECT + INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "preferQueryMode=simple")) {
                c.setAutoCommit(false);
                expect(probe(c, shard, key, "read before the INSERT") == 0, "row already there");
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("readOnlyMode=always: setReadOnly(true), read, setReadOnly(false) (SET SESSION " +
                 "CHARACTERISTICS AS TRANSACTION READ WRITE), then INSERT + rollback, INSERT + " +
                 "commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "readOnlyMode=always", "prepareThreshold=1")) {
                c.setReadOnly(true);
                try (PreparedStatement ps = c.prepareStatement(PROBE)) {
                    ps.setLong(1, key);
                    ps.executeQuery().close();
                }
                c.setReadOnly(false);
                c.setAutoCommit(false);
                rollbackThenCommit(c, shard, key, name);
            }
        });
        scenario("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE, then " +
                 "setAutoCommit(false) + INSERT + rollback, INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1")) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
                }
                c.setAutoCommit(false);
                rollbackThenCommit(c, shard, key, name);
            }
        });
        scenario("setReadOnly(true) read-only transaction (BEGIN READ ONLY), then " +
                 "setReadOnly(false) + INSERT + rollback, INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1")) {
                c.setReadOnly(true);
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(PROBE)) {
                    ps.setLong(1, key);
                    ps.executeQuery().close();
                }
                c.commit();
                c.setReadOnly(false);
                rollbackThenCommit(c, shard, key, name);
            }
        });
        scenario("readOnlyMode=always: setReadOnly(true) + INSERT is refused (25006)", false,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "readOnlyMode=always")) {
                c.setReadOnly(true);
                String state = null;
                try {
                    insert(c, key, name);
                } catch (SQLException e) {
                    state = e.getSQLState();
                }
                expect("25006".equals(state), "expected 25006 (read-only transaction), got " +
                                                  state);
            }
        });
        scenario("setTransactionIsolation(SERIALIZABLE) (SET SESSION CHARACTERISTICS AS " +
                 "TRANSACTION ISOLATION LEVEL ...) + setAutoCommit(false) + INSERT + rollback, " +
                 "INSERT + commit", true, (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1")) {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.setAutoCommit(false);
                rollbackThenCommit(c, shard, key, name);
            }
        });
        scenario("setAutoCommit(false): INSERT + rollback, then INSERT + commit on the same " +
                 "connection", true, (shard, key, name) -> {
            try (Connection c = connect(port, "prepareThreshold=1")) {
                c.setAutoCommit(false);
                rollbackThenCommit(c, shard, key, name);
            }
        });
    }

    // --- 3. read-your-writes under replica lag ---------------------------------------------------

    static List<String> readName(Connection c, boolean text, long key) throws SQLException {
        List<String> out = new ArrayList<>();
        if (text) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM customers WHERE id = " + key)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM customers WHERE id = ?")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static void readYourWrites() throws Exception {
        int port = cfgInt("port");
        boolean proxyMode = Boolean.parseBoolean(cfg.get("proxy_mode"));
        long duration = Long.parseLong(cfg.get("duration_ms"));
        Connection a = connect(port, "prepareThreshold=1");
        Connection b = connect(port, "prepareThreshold=1");
        Map<String, Connection> replicas = new HashMap<>();
        for (String shard : shards()) {
            replicas.put(shard, connect(cfgInt("replica." + shard)));
        }
        // The runner starts the replica lag now (the JVM took seconds to get here).
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        int iterations = 0, sameMissed = 0, otherMissed = 0, replicaStale = 0;
        long deadline = System.currentTimeMillis() + duration;
        for (int i = 0; System.currentTimeMillis() < deadline; ++i) {
            String shard = shards().get(i % 2);
            long key;
            try {
                key = take(shard);
            } catch (IllegalStateException e) {
                break;
            }
            String name = "ryw " + i;
            boolean inTx = (i / 2) % 2 == 1;
            boolean text = (i / 4) % 2 == 1;
            String what = "key " + key + " owned by " + shard + " written " +
                          (inTx ? "in setAutoCommit(false) + commit" : "in autocommit") +
                          (text ? " (text Statement)" : " (PreparedStatement)");
            boolean wrote = false;
            try {
                if (inTx) {
                    a.setAutoCommit(false);
                }
                if (text) {
                    try (Statement st = a.createStatement()) {
                        st.executeUpdate("INSERT INTO customers (id, name) VALUES (" + key + ", '" +
                                         name + "')");
                    }
                } else {
                    insert(a, key, name);
                }
                if (inTx) {
                    a.commit();
                    a.setAutoCommit(true);
                }
                wrote = true;
            } catch (SQLException e) {
                fail(what + ": write", describe(e));
                try {
                    a.rollback();
                    a.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the next iteration reports a broken connection
                }
            }
            row(what, "customers", key, name, wrote);
            if (!wrote) {
                continue;
            }
            ++iterations;
            List<String> same = null;
            List<String> other = null;
            try {
                same = readName(a, text, key);
            } catch (SQLException e) {
                fail(what + ": read on the same connection", describe(e));
            }
            try {
                other = readName(b, text, key);
            } catch (SQLException e) {
                fail(what + ": read on a second connection", describe(e));
            }
            boolean onReplica = !readName(replicas.get(shard), false, key).isEmpty();
            if (!onReplica) {
                ++replicaStale;
            }
            List<String> want = List.of(name);
            if (same != null && !same.equals(want)) {
                ++sameMissed;
                fail(what + ": read on the same connection right after the write",
                     "got " + same + " (replica has it: " + onReplica + ")");
            }
            if (other != null && !other.equals(want)) {
                ++otherMissed;
                if (proxyMode) {
                    fail(what + ": read on a second connection after the commit " +
                         "(read_your_writes: proxy)",
                         "got " + other + " (replica has it: " + onReplica + ")");
                }
            }
            Thread.sleep(60);
        }
        System.out.println("INFO iterations=" + iterations);
        System.out.println("INFO same_missed=" + sameMissed);
        System.out.println("INFO other_missed=" + otherMissed);
        System.out.println("INFO replica_stale=" + replicaStale);
        a.close();
        b.close();
        for (Connection c : replicas.values()) {
            c.close();
        }
    }
}
