// Cross-shard reads with the unmodified JDBC drivers: pgjdbc (extended protocol; with
// prepareThreshold=1 the second execution is a named server statement with binary results
// where pgjdbc wants them) and MariaDB Connector/J (text protocol). Each query runs through
// shardgate and on the oracle database (every row, unsharded); the answers must be equal,
// value by value as the driver returns them, in order.
// With SG_TXN_WRITE set: autocommit off, the queries run inside a transaction (the first one
// opens it: pgjdbc sends BEGIN with it), then SG_TXN_WRITE runs in it and the queries run again
// (seeing the write), and the transaction is rolled back on both sides.
// Usage: java -cp DRIVER.jar ScatterJdbcCheck.java URL_THROUGH URL_ORACLE USER PASSWORD SQL...
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;

public class ScatterJdbcCheck {
    static List<String> answer(Connection c, String sql, int parameter) throws Exception {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (sql.contains("?")) {
                s.setInt(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                ResultSetMetaData m = r.getMetaData();
                StringBuilder names = new StringBuilder("columns:");
                for (int i = 1; i <= m.getColumnCount(); ++i) {
                    names.append(' ').append(m.getColumnLabel(i));
                }
                rows.add(names.toString());
                while (r.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= m.getColumnCount(); ++i) {
                        row.append(i == 1 ? "" : "|").append(r.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    public static void main(String[] args) throws Exception {
        String through = args[0], oracle = args[1], user = args[2], password = args[3];
        String write = System.getenv("SG_TXN_WRITE");
        int failures = 0, compared = 0;
        try (Connection a = DriverManager.getConnection(through, user, password);
             Connection b = DriverManager.getConnection(oracle, user, password)) {
            if (write != null) {
                a.setAutoCommit(false);
                b.setAutoCommit(false);
            }
            // (with a write: the queries, the write, the queries again seeing it)
            for (int pass = 0; pass < (write != null ? 2 : 1); ++pass) {
                if (pass == 1) {
                    for (Connection c : new Connection[] {a, b}) {
                        try (PreparedStatement s = c.prepareStatement(write)) {
                            s.executeUpdate();
                        }
                    }
                }
                for (int q = 4; q < args.length; ++q) {
                    String sql = args[q];
                    for (int round = 0; round < 3; ++round) { // unnamed, then named statements
                        List<String> got = answer(a, sql, round * 100);
                        List<String> want = answer(b, sql, round * 100);
                        ++compared;
                        if (!got.equals(want)) {
                            ++failures;
                            System.out.println("FAIL " + sql + " (pass " + pass + ", round " + round
                                               + "): " + got.size() + " lines vs " + want.size()
                                               + "; first: " + (got.size() > 1 ? got.get(1) : "-")
                                               + " vs " + (want.size() > 1 ? want.get(1) : "-"));
                        }
                    }
                }
            }
            if (write != null) {
                a.rollback();
                b.rollback();
            }
        }
        System.out.println(compared + " answers compared, " + failures + " differ");
        System.exit(failures == 0 ? 0 : 1);
    }
}
