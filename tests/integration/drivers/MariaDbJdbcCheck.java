// Drives shardgate's MySQL frontend with MariaDB Connector/J, unmodified: server-side
// prepared statements (binary protocol), transactions, errors, batches.
// Usage: java -cp mariadb-java-client.jar MariaDbJdbcCheck.java PORT KEY:SHARD... ; exits
// non-zero on a failure.
//   or:  java -cp mariadb-java-client.jar MariaDbJdbcCheck.java CASE port=N primary.SHARD=PORT
//        replica.SHARD=PORT keys.SHARD=K,K,... [proxy_mode=true|false] [duration_ms=N]
//        CASE: placement | transactions | read_your_writes | escapes (jdbc_test.py
//        mariadb_jdbc_*). Prints ok/FAIL lines, one `ROW table key present hex(name) what` line
//        per row written (the runner checks them on every primary directly) and `INFO k=v`
//        lines; exits non-zero on a failure.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.TreeMap;
import java.util.function.Predicate;

public class MariaDbJdbcCheck {
    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    interface SqlBody {
        void run() throws SQLException;
    }

    /// The error a statement fails with, or null when it succeeds.
    static SQLException expectError(SqlBody body) {
        try {
            body.run();
        } catch (SQLException e) {
            return e;
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
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/social?user=app&password=app"
                     + "&useServerPrepStmts=true&connectTimeout=5000&socketTimeout=30000";
        try (Connection conn = DriverManager.getConnection(url)) {
            // Autocommit inserts through one server-side prepared statement, several shards.
            try (PreparedStatement insert =
                     conn.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
                for (long key : keys) {
                    insert.setLong(1, key);
                    insert.setString(2, "jdbc-" + key);
                    check(insert.executeUpdate() == 1, "insert " + key);
                }
            }

            // Reads by key on the primary (replica lag cannot matter), repeated.
            try (PreparedStatement select = conn.prepareStatement(
                     "/* shardgate: primary */ SELECT name FROM users WHERE id = ?")) {
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
                     conn.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
                update.setString(1, "jdbc-updated");
                update.setLong(2, first);
                check(update.executeUpdate() == 1, "update in transaction");
            }
            try (PreparedStatement select =
                     conn.prepareStatement("SELECT name FROM users WHERE id = ?")) {
                select.setLong(1, first);
                try (ResultSet rs = select.executeQuery()) {
                    check(rs.next() && rs.getString(1).equals("jdbc-updated"),
                          "own write visible inside the transaction");
                }
            }
            conn.commit();

            // The backend's duplicate-key error (1062, 23000) reaches the driver; the
            // transaction rolls back and the connection stays usable.
            SQLException duplicate = expectError(() -> {
                try (PreparedStatement insert =
                         conn.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
                    insert.setLong(1, first);
                    insert.setString(2, "again");
                    insert.executeUpdate();
                }
            });
            check(duplicate != null && duplicate.getErrorCode() == 1062 &&
                      "23000".equals(duplicate.getSQLState()),
                  "duplicate key error 1062/23000, got " + duplicate);
            conn.rollback();

            // A second shard inside one transaction joins it as an XA branch; COMMIT is
            // two-phase and both rows change.
            long otherShardKey = keyOnOtherShard(keys, shards, first);
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
                update.setString(1, "first");
                update.setLong(2, first);
                check(update.executeUpdate() == 1, "first shard in transaction");
                update.setString(1, "second");
                update.setLong(2, otherShardKey);
                check(update.executeUpdate() == 1, "second shard in the same transaction");
            }
            conn.commit();
            try (PreparedStatement read = conn.prepareStatement(
                     "SELECT name FROM users WHERE id = ? /* shardgate: primary */")) {
                for (long key : new long[] {first, otherShardKey}) {
                    read.setLong(1, key);
                    try (ResultSet rs = read.executeQuery()) {
                        String expected = key == first ? "first" : "second";
                        check(rs.next() && expected.equals(rs.getString(1)),
                              "row " + key + " committed as " + expected);
                    }
                }
            }
            // ROLLBACK of a distributed transaction undoes both shards.
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
                for (long key : new long[] {first, otherShardKey}) {
                    update.setString(1, "lost-" + key);
                    update.setLong(2, key);
                    check(update.executeUpdate() == 1, "update row " + key);
                }
            }
            conn.rollback();
            // A second distributed transaction puts the insert values back.
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
                for (long key : new long[] {first, otherShardKey}) {
                    update.setString(1, "jdbc-" + key);
                    update.setLong(2, key);
                    check(update.executeUpdate() == 1, "restore row " + key);
                }
            }
            conn.commit();
            conn.setAutoCommit(true);

            // A batch of rows of one shard (client-side loop of executes in the 2.x driver).
            String firstShard = shards.get(0);
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
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
            }
            try (PreparedStatement select = conn.prepareStatement(
                     "/* shardgate: primary */ SELECT name FROM users WHERE id = ?")) {
                for (int i = 0; i < keys.size(); ++i) {
                    select.setLong(1, keys.get(i));
                    try (ResultSet rs = select.executeQuery()) {
                        check(rs.next(), "row for " + keys.get(i));
                        // Rows of the other shard have their insert value again (the
                        // rolled-back transaction changed nothing).
                        String want = (shards.get(i).equals(firstShard) ? "batch-" : "jdbc-") +
                                      keys.get(i);
                        check(rs.getString(1).equals(want),
                              "after the batch, key " + keys.get(i) + ": " + rs.getString(1));
                    }
                }
            }

            // A plain statement with many rows (text protocol).
            try (Statement statement = conn.createStatement();
                 ResultSet rs = statement.executeQuery(
                     "SELECT seq, REPEAT('x', 100) FROM seq_1_to_5000")) {
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

    // --- named cases (jdbc_test.py mariadb_jdbc_*) ----------------------------------------------

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
                case "escapes": escapes(); break;
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
            return "error " + s.getErrorCode() + " (" + s.getSQLState() + "): " + s.getMessage();
        }
        return e.toString();
    }

    static void expect(boolean condition, String detail) {
        if (!condition) {
            throw new AssertionError(detail);
        }
    }

    static Connection connect(int port, String... extra) throws SQLException {
        StringBuilder url = new StringBuilder("jdbc:mariadb://127.0.0.1:" + port +
                                              "/social?user=app&password=app" +
                                              "&connectTimeout=5000&socketTimeout=30000");
        for (String kv : extra) {
            url.append('&').append(kv);
        }
        return DriverManager.getConnection(url.toString());
    }

    /// A statement template with {K} (the bigint key) and {N} (the name) as JDBC markers.
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

    /// The template with the values written as literals (backslash escapes, the default mode).
    static String inline(String template, long key, String name) {
        return template.replace("{K}", Long.toString(key))
            .replace("{N}", name == null
                                ? "NULL"
                                : "'" + name.replace("\\", "\\\\").replace("'", "''") + "'");
    }

    /// One way of sending statements: a connection, prepared or text, statements kept.
    static final class Mode {
        final String label;
        final Connection conn;
        final boolean prepared;
        final Map<String, PreparedStatement> cache = new HashMap<>();

        Mode(String label, Connection conn, boolean prepared) {
            this.label = label;
            this.conn = conn;
            this.prepared = prepared;
        }

        PreparedStatement statement(String sql) throws SQLException {
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
            b.set(ps, key, name);
            return ps.executeUpdate();
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
            b.set(ps, key, null);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    interface Read {
        List<String> run() throws SQLException;
    }

    /// Reads until `accept` or 3 s passed: a replica may be a few milliseconds behind (the
    /// read-your-writes cases do not poll); a row on the wrong shard or a value mangled by
    /// escaping never turns up.
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
    // Table names are case-sensitive in MariaDB on Linux (lower_case_table_names 0): only the
    // columns (case-insensitive), backticks and the schema vary; another case of the table
    // name is the server's error 1146.

    static final String[][] INSERTS = {
        {"lower", "INSERT INTO users (id, name) VALUES ({K}, {N})"},
        {"Mixed columns", "INSERT INTO users (Id, NAME) VALUES ({K}, {N})"},
        {"UPPER key column", "INSERT INTO users (ID, Name) VALUES ({K}, {N})"},
        {"backticks", "INSERT INTO `users` (`id`, `name`) VALUES ({K}, {N})"},
        {"backticks, UPPER key", "INSERT INTO `users` (`ID`, `Name`) VALUES ({K}, {N})"},
        {"backticks, Mixed key", "INSERT INTO `users` (`Id`, name) VALUES ({K}, {N})"},
        {"schema-qualified", "INSERT INTO social.users (Id, name) VALUES ({K}, {N})"},
        {"schema-qualified backticks",
         "INSERT INTO `social`.`users` (`iD`, `name`) VALUES ({K}, {N})"},
        {"INSERT ... SET", "INSERT INTO users SET ID = {K}, name = {N}"},
        {"columns reversed", "INSERT INTO social.users (NAME, Id) VALUES ({N}, {K})"},
        {"REPLACE", "REPLACE INTO `users` (`Id`, name) VALUES ({K}, {N})"},
    };

    static final String[][] UPDATES = {
        {"alias AS", "UPDATE users AS u SET u.name = {N} WHERE u.ID = {K}"},
        {"backticked alias", "UPDATE `users` `u` SET `u`.`Name` = {N} WHERE `u`.`Id` = {K}"},
        {"schema alias", "UPDATE social.users u SET name = {N} WHERE u.id = {K}"},
        {"UPPER columns", "UPDATE users SET NAME = {N} WHERE ID = {K}"},
    };

    // MariaDB 10.11 takes a table alias in DELETE only in the multi-table form.
    static final String[][] DELETES = {
        {"alias AS", "DELETE u FROM users AS u WHERE u.ID = {K}"},
        {"schema backticks", "DELETE FROM `social`.`users` WHERE `ID` = {K}"},
        {"Mixed key", "DELETE FROM users WHERE Id = {K}"},
    };

    static final String[][] SELECTS = {
        {"UPPER key", "SELECT name FROM users WHERE ID = {K}"},
        {"backticked alias", "SELECT u.Name FROM `users` AS u WHERE u.`Id` = {K}"},
        {"schema-qualified", "SELECT NAME FROM social.users WHERE iD = {K}"},
        {"schema backticks", "SELECT `name` FROM `social`.`users` WHERE `ID` = {K}"},
    };

    // {label, sql, "any" when any error will do (another database: the proxy refuses it)}
    static final String[][] WRONG_TABLES = {
        {"USERS", "INSERT INTO USERS (id, name) VALUES ({K}, {N})", ""},
        {"Users", "INSERT INTO Users (id, name) VALUES ({K}, {N})", ""},
        {"`Users`", "INSERT INTO `Users` (`id`, `name`) VALUES ({K}, {N})", ""},
        {"social.USERS", "INSERT INTO social.USERS (id, name) VALUES ({K}, {N})", ""},
        {"SOCIAL.users", "INSERT INTO SOCIAL.users (id, name) VALUES ({K}, {N})", "any"},
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
        // COM_STMT_PREPARE / COM_STMT_EXECUTE with bound parameters (binary protocol).
        modes.add(new Mode("server-side prepared (useServerPrepStmts=true)",
                           connect(port, "useServerPrepStmts=true"), true));
        // The driver writes the values into the text (backslash escapes): COM_QUERY.
        modes.add(new Mode("client-side prepared (useServerPrepStmts=false)",
                           connect(port, "useServerPrepStmts=false"), true));
        modes.add(new Mode("text Statement", connect(port), false));
        Map<String, Map<String, Long>> present = new LinkedHashMap<>(); // mode -> shard -> key
        Map<Long, String> names = new HashMap<>();
        for (Mode mode : modes) {
            Map<String, Long> mine = new HashMap<>();
            present.put(mode.label, mine);
            for (String shard : shards()) {
                for (String[] s : INSERTS) {
                    long key = take(shard);
                    String name = "insert " + s[0] + " (" + mode.label + ")";
                    String what = "users INSERT " + s[0] + " (" + mode.label + ") key " + key +
                                  " owned by " + shard;
                    try {
                        int n = mode.update(s[1], key, name);
                        expectCount(what, n, 1);
                        if (n == 1 && !mine.containsKey(shard)) {
                            mine.put(shard, key);
                            names.put(key, name);
                        }
                    } catch (SQLException e) {
                        fail(what, describe(e));
                    }
                    row(what, "users", key, name, true);
                }
                for (String[] s : UPDATES) {
                    long key = take(shard);
                    String name = "update " + s[0] + " (" + mode.label + ")";
                    String what = "users UPDATE " + s[0] + " (" + mode.label + ") key " + key +
                                  " owned by " + shard;
                    try {
                        expectCount(what + ": setup insert", mode.update(INSERTS[0][1], key,
                                                                         "before update"), 1);
                        expectCount(what, mode.update(s[1], key, name), 1);
                    } catch (SQLException e) {
                        fail(what, describe(e));
                    }
                    row(what, "users", key, name, true);
                }
                for (String[] s : DELETES) {
                    long key = take(shard);
                    String what = "users DELETE " + s[0] + " (" + mode.label + ") key " + key +
                                  " owned by " + shard;
                    try {
                        expectCount(what + ": setup insert", mode.update(INSERTS[0][1], key,
                                                                         "before delete"), 1);
                        expectCount(what, mode.update(s[1], key, null), 1);
                    } catch (SQLException e) {
                        fail(what, describe(e));
                    }
                    row(what, "users", key, null, false);
                }
                for (String[] s : WRONG_TABLES) {
                    long key = take(shard);
                    String what = "INSERT INTO " + s[0] + " (" + mode.label + ") key " + key;
                    try {
                        mode.update(s[1], key, "wrong table " + s[0]);
                        fail(what, "succeeded; expected the server's error 1146 (no such table)");
                    } catch (SQLException e) {
                        if (!s[2].equals("any") && e.getErrorCode() != 1146) {
                            fail(what, "expected error 1146, got " + describe(e));
                        } else {
                            ok(what + ": " + describe(e));
                        }
                    }
                    row(what, "users", key, null, false);
                }
            }
        }
        for (Mode mode : modes) {
            for (String[] s : SELECTS) {
                for (String shard : shards()) {
                    Long k = present.get(mode.label).get(shard);
                    if (k == null) {
                        continue;
                    }
                    long key = k;
                    String want = names.get(key);
                    String what = "users SELECT " + s[0] + " (" + mode.label + ") key " + key +
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
        }
        for (Mode mode : modes) {
            mode.conn.close();
        }
    }

    // --- 2. transactions never touch a replica ---------------------------------------------------

    static final String INSERT = "INSERT INTO users (id, name) VALUES (?, ?)";
    static final String PROBE = "SELECT COUNT(*), @@port FROM users WHERE id = ?";

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
            int port = rs.getInt(2);
            int want = cfgInt("primary." + shard);
            expect(port == want, step + ": ran on the server at port " + port +
                                     (port == cfgInt("replica." + shard) ? " (the replica)" : "") +
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
    /// (commits) or nowhere, and the replica's copy equal to the primary's.
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
            row(what, "users", key, name, good ? Boolean.valueOf(commits) : null);
        }
    }

    static void transactions() throws Exception {
        int port = cfgInt("port");
        scenario("useServerPrepStmts=true: setAutoCommit(false) + prepared INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true")) {
                c.setAutoCommit(false);
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("useServerPrepStmts=true: setAutoCommit(false) + prepared INSERT + rollback",
                 false, (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true")) {
                c.setAutoCommit(false);
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.rollback();
                expect(probe(c, shard, key, "read in the next transaction") == 0,
                       "row still there after rollback");
                c.rollback();
            }
        });
        scenario("useServerPrepStmts=true: SELECT prepared and run in autocommit, then " +
                 "setAutoCommit(false) + the same statement + INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true");
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
        scenario("useServerPrepStmts=true: setAutoCommit(false) + SELECT + INSERT + SELECT + " +
                 "commit", true, (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true")) {
                c.setAutoCommit(false);
                expect(probe(c, shard, key, "read before the INSERT") == 0, "row already there");
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("useServerPrepStmts=false: setAutoCommit(false) + SELECT + INSERT + commit",
                 true, (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=false")) {
                c.setAutoCommit(false);
                expect(probe(c, shard, key, "read before the INSERT") == 0, "row already there");
                insert(c, key, name);
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("text Statement: setAutoCommit(false) + SELECT + INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM users WHERE id = " +
                                                    key)) {
                    expect(rs.next() && rs.getLong(1) == 0, "row already there");
                }
                expect(st.executeUpdate("INSERT INTO users (id, name) VALUES (" + key + ", '" +
                                        name + "')") == 1, "INSERT did not report 1 row");
                expect(probe(c, shard, key, "read after the INSERT") == 1, "own row not visible");
                c.commit();
            }
        });
        scenario("assureReadOnly=true: setReadOnly(true) (SET SESSION TRANSACTION READ ONLY), " +
                 "read, setReadOnly(false) (READ WRITE), setAutoCommit(false) + INSERT + " +
                 "rollback, INSERT + commit", true, (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true", "assureReadOnly=true")) {
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
        scenario("START TRANSACTION + server-side prepared INSERT + COMMIT (statements)", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true");
                 Statement st = c.createStatement()) {
                st.execute("START TRANSACTION");
                expect(probe(c, shard, key, "read before the INSERT") == 0, "row already there");
                insert(c, key, name);
                st.execute("COMMIT");
            }
        });
        scenario("setTransactionIsolation(SERIALIZABLE) (SET SESSION TRANSACTION ISOLATION " +
                 "LEVEL ...) + setAutoCommit(false) + INSERT + rollback, INSERT + commit", true,
                 (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true")) {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.setAutoCommit(false);
                rollbackThenCommit(c, shard, key, name);
            }
        });
        scenario("useServerPrepStmts=true: setAutoCommit(false): INSERT + rollback, then " +
                 "INSERT + commit on the same connection", true, (shard, key, name) -> {
            try (Connection c = connect(port, "useServerPrepStmts=true")) {
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
                 ResultSet rs = st.executeQuery("SELECT name FROM users WHERE id = " + key)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM users WHERE id = ?")) {
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
        Connection a = connect(port, "useServerPrepStmts=true");
        Connection b = connect(port, "useServerPrepStmts=true");
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
                          (text ? " (text Statement)" : " (server-side PreparedStatement)");
            boolean wrote = false;
            try {
                if (inTx) {
                    a.setAutoCommit(false);
                }
                if (text) {
                    try (Statement st = a.createStatement()) {
                        st.executeUpdate("INSERT INTO users (id, name) VALUES (" + key + ", '" +
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
            row(what, "users", key, name, wrote);
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

    // --- 4. escapes: client-side interpolation (text protocol) -----------------------------------
    // Connector/J 2.7 (useServerPrepStmts=false, its default) writes PreparedStatement values
    // into the statement text with backslash escapes; shardgate must read them as the server
    // does, or a value goes to the wrong shard or arrives mangled.

    static final String[][] VALUES = {
        {"apostrophe", "O'Brien"},
        {"backslash path", "C:\\path\\to\\file"},
        {"double quote", "a\"b"},
        {"newline", "line\nbreak"},
        {"backslash n (not a newline)", "literal \\n not a newline"},
        {"tab", "tab\tstop"},
        {"NUL byte", "nul\0byte"},
        {"emoji", "emoji \uD83D\uDE00 \uD83C\uDDE9\uD83C\uDDEA"},
        {"trailing backslash", "trailing backslash\\"},
        {"backslash apostrophe", "it\\'s"},
        {"backslash double quote", "say \\\"hi\\\""},
        {"comment and semicolon", "semi;colon -- dash /* star */ # hash"},
        {"CR LF ctrl-Z", "cr\r\nlf \u001a ctrl-z"},
        {"injection-looking", "' OR '1'='1"},
        {"placeholders in value", "?? question ? marks :name $1"},
        {"LIKE escapes", "percent \\% underscore \\_"},
        {"backticks", "`users` `id`"},
    };

    static final String SELECT = "SELECT name FROM users WHERE id = ?";

    static List<String> names(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void checkValue(String what, Connection text, Connection binary, Connection direct,
                           long key, String value) throws Exception {
        List<Object[]> reads = new ArrayList<>();
        reads.add(new Object[] {"client-side prepared read back", (Read) () -> {
            try (PreparedStatement ps = text.prepareStatement(SELECT)) {
                ps.setLong(1, key);
                return names(ps);
            }
        }});
        reads.add(new Object[] {"server-side prepared read back", (Read) () -> {
            try (PreparedStatement ps = binary.prepareStatement(SELECT)) {
                ps.setLong(1, key);
                return names(ps);
            }
        }});
        reads.add(new Object[] {"client-side prepared WHERE name = value", (Read) () -> {
            try (PreparedStatement ps = text.prepareStatement(
                     "SELECT name FROM users WHERE id = ? AND name = ?")) {
                ps.setLong(1, key);
                ps.setString(2, value);
                return names(ps);
            }
        }});
        reads.add(new Object[] {"direct on the owner primary", (Read) () -> {
            try (PreparedStatement ps = direct.prepareStatement(SELECT)) {
                ps.setLong(1, key);
                return names(ps);
            }
        }});
        List<String> want = List.of(value);
        for (Object[] r : reads) {
            String label = what + ": " + r[0];
            try {
                List<String> got = poll((Read) r[1], want::equals);
                if (!got.equals(want)) {
                    fail(label, "got " + got + ", expected " + want);
                } else {
                    ok(label);
                }
            } catch (SQLException e) {
                fail(label, describe(e));
            }
        }
    }

    static void escapes() throws Exception {
        int port = cfgInt("port");
        Connection text = connect(port, "useServerPrepStmts=false");
        Connection binary = connect(port, "useServerPrepStmts=true");
        Map<String, Connection> direct = new HashMap<>();
        for (String shard : shards()) {
            direct.put(shard, connect(cfgInt("primary." + shard), "useServerPrepStmts=false"));
        }
        for (String[] v : VALUES) {
            String value = v[1];
            for (String shard : shards()) {
                // a) the value in VALUES
                long key = take(shard);
                String what = v[0] + " inserted, key " + key + " owned by " + shard;
                try (PreparedStatement ps = text.prepareStatement(INSERT)) {
                    ps.setLong(1, key);
                    ps.setString(2, value);
                    expectCount(what + ": client-side prepared INSERT", ps.executeUpdate(), 1);
                } catch (SQLException e) {
                    fail(what + ": client-side prepared INSERT", describe(e));
                }
                row(what, "users", key, value, true);
                checkValue(what, text, binary, direct.get(shard), key, value);
                // b) the value in SET and in WHERE of an UPDATE
                key = take(shard);
                what = v[0] + " updated, key " + key + " owned by " + shard;
                try (PreparedStatement ins = text.prepareStatement(INSERT);
                     PreparedStatement upd = text.prepareStatement(
                         "UPDATE users SET name = ? WHERE id = ? AND name = ?")) {
                    ins.setLong(1, key);
                    ins.setString(2, "placeholder");
                    expectCount(what + ": client-side prepared INSERT", ins.executeUpdate(), 1);
                    upd.setString(1, value);
                    upd.setLong(2, key);
                    upd.setString(3, "placeholder");
                    expectCount(what + ": UPDATE SET name = value", upd.executeUpdate(), 1);
                    upd.setString(1, value);
                    upd.setLong(2, key);
                    upd.setString(3, value);
                    expectCount(what + ": UPDATE ... WHERE name = value", upd.executeUpdate(), 1);
                } catch (SQLException e) {
                    fail(what, describe(e));
                }
                row(what, "users", key, value, true);
                checkValue(what, text, binary, direct.get(shard), key, value);
            }
        }
        text.close();
        binary.close();
        for (Connection c : direct.values()) {
            c.close();
        }
    }
}
