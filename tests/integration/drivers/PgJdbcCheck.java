// Drives shardgate's PostgreSQL frontend with the PostgreSQL JDBC driver (PgJDBC), unmodified:
// server-side prepared statements with binary parameters, batches, transactions, errors.
// Usage: java -cp postgresql.jar PgJdbcCheck.java PORT KEY:SHARD... ; exits non-zero on a failure.
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

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

    public static void main(String[] args) throws Exception {
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

            // A second shard inside one transaction is refused, not silently run elsewhere.
            long otherShardKey = keyOnOtherShard(keys, shards, first);
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE customers SET name = ? WHERE id = ?")) {
                update.setString(1, "first");
                update.setLong(2, first);
                check(update.executeUpdate() == 1, "first shard in transaction");
                update.setString(1, "second");
                update.setLong(2, otherShardKey);
                String refused = expectError(update::executeUpdate);
                check(refused != null && refused.startsWith("0A000"),
                      "second shard in a transaction refused with 0A000, got " + refused);
            }
            conn.rollback();
            conn.setAutoCommit(true);

            // Batches: Parse/Bind/Execute per row and one Sync. Rows of one shard run; rows of
            // two shards share one implicit transaction and are refused (until two-phase
            // commit exists), never half applied.
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
                String state = null;
                try {
                    update.executeBatch();
                } catch (BatchUpdateException e) {
                    state = e.getNextException() != null ? e.getNextException().getSQLState()
                                                         : e.getSQLState();
                }
                check("0A000".equals(state), "batch over two shards refused with 0A000, got " +
                                                 state);
            }
            try (PreparedStatement select = conn.prepareStatement(
                     "/* shardgate: primary */ SELECT name FROM customers WHERE id = ?")) {
                for (int i = 0; i < keys.size(); ++i) {
                    select.setLong(1, keys.get(i));
                    try (ResultSet rs = select.executeQuery()) {
                        check(rs.next(), "row for " + keys.get(i));
                        // Rows of the other shard keep their insert value: the spanning batch
                        // and the refused transaction changed nothing there.
                        String want = (shards.get(i).equals(firstShard) ? "batch-" : "jdbc-") +
                                      keys.get(i);
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
}
