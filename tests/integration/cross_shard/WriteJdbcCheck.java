// Multi-row INSERTs split per shard with the unmodified JDBC drivers: a batch of rows that
// pgjdbc (reWriteBatchedInserts=true) and MariaDB Connector/J (rewriteBatchedStatements=true)
// send as multi-row INSERT statements, in autocommit or in a transaction (then rolled back
// when asked). Prints the rows the driver reports inserted.
// Usage: java -cp DRIVER.jar WriteJdbcCheck.java URL USER PASSWORD TABLE FIRST_ID ROWS
//        autocommit|commit|rollback
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

public class WriteJdbcCheck {
    public static void main(String[] args) throws Exception {
        String url = args[0], user = args[1], password = args[2], table = args[3];
        long first = Long.parseLong(args[4]);
        int rows = Integer.parseInt(args[5]);
        String mode = args[6];
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(mode.equals("autocommit"));
            long inserted = 0;
            try (PreparedStatement s =
                     c.prepareStatement("INSERT INTO " + table + " (id, v) VALUES (?, ?)")) {
                for (int i = 0; i < rows; ++i) {
                    s.setLong(1, first + i);
                    s.setString(2, "jdbc 'quoted' \\ " + (first + i));
                    s.addBatch();
                }
                for (int n : s.executeBatch()) {
                    inserted += n == java.sql.Statement.SUCCESS_NO_INFO ? 1 : n;
                }
            }
            if (mode.equals("commit")) {
                c.commit();
            } else if (mode.equals("rollback")) {
                c.rollback();
            }
            System.out.println("inserted " + inserted);
        }
    }
}
