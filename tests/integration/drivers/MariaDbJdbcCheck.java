// Drives shardgate's MySQL frontend with MariaDB Connector/J, unmodified: server-side
// prepared statements (binary protocol), transactions, errors, batches.
// Usage: java -cp mariadb-java-client.jar MariaDbJdbcCheck.java PORT KEY:SHARD... ; exits
// non-zero on a failure.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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

    public static void main(String[] args) throws Exception {
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

            // A second shard inside one transaction is refused (1235), nothing runs there.
            long otherShardKey = keyOnOtherShard(keys, shards, first);
            try (PreparedStatement update =
                     conn.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
                update.setString(1, "first");
                update.setLong(2, first);
                check(update.executeUpdate() == 1, "first shard in transaction");
                update.setString(1, "second");
                update.setLong(2, otherShardKey);
                SQLException refused = expectError(update::executeUpdate);
                check(refused != null && refused.getErrorCode() == 1235,
                      "second shard in a transaction refused with 1235, got " + refused);
            }
            conn.rollback();
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
                        // Rows of the other shard keep their insert value: the refused
                        // transaction changed nothing there.
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
}
