// Drives shardgate's MySQL frontend over TLS with MariaDB Connector/J, unmodified: the
// certificate checked against the run's self-signed one (and refused against another),
// text and binary protocol with a 100 kB value, caching_sha2_password full authentication
// for a user stored hashed (over TLS, and without TLS through the RSA key exchange).
// Usage: java -cp mariadb-java-client.jar ConnectorJTlsCheck.java PORT CERT OTHER_CERT ;
// exits non-zero on a failure.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

public class ConnectorJTlsCheck {
    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static String url(int port, String user, String password, String tls) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/social?user=" + user + "&password=" + password
            + "&connectTimeout=5000&socketTimeout=30000" + tls;
    }

    static String verified(String cert) {
        return "&useSsl=true&serverSslCert=" + cert;
    }

    static final int CONNECTED = Integer.MIN_VALUE;

    /// The error code a connection attempt fails with; CONNECTED when it succeeds.
    static int connectError(String url) {
        try (Connection conn = DriverManager.getConnection(url)) {
            return CONNECTED;
        } catch (SQLException e) {
            System.out.println("refused as expected: " + e.getMessage());
            return e.getErrorCode();
        }
    }

    static long scalar(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            check(rs.next(), "a row for " + sql);
            return rs.getLong(1);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String cert = args[1];
        String otherCert = args[2];
        String big = "x".repeat(100000);
        try (Connection conn = DriverManager.getConnection(url(port, "app", "app", verified(cert)
                                                                + "&useServerPrepStmts=true"))) {
            check(scalar(conn, "SELECT 40 + 2") == 42, "SELECT 40 + 2");
            try (PreparedStatement ps = conn.prepareStatement("SELECT ?, LENGTH(?)")) {
                ps.setString(1, big);
                ps.setString(2, big);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next() && rs.getString(1).equals(big) && rs.getLong(2) == 100000,
                          "100 kB value through a prepared statement");
                }
            }
        }
        System.out.println("ok: TLS, certificate verified, 100 kB value");
        check(connectError(url(port, "app", "app", verified(otherCert))) != CONNECTED,
              "a certificate from another CA must be refused");
        try (Connection conn =
                 DriverManager.getConnection(url(port, "hashed", "s3cret", verified(cert)))) {
            check(scalar(conn, "SELECT 5") == 5, "SELECT 5 as the hashed user");
        }
        System.out.println("ok: caching_sha2_password full authentication over TLS");
        check(connectError(url(port, "hashed", "wrong", verified(cert))) == 1045,
              "wrong password over TLS: 1045");
        try (Connection conn = DriverManager.getConnection(
                 url(port, "hashed", "s3cret", "&allowPublicKeyRetrieval=true"))) {
            check(scalar(conn, "SELECT 6") == 6, "SELECT 6 as the hashed user without TLS");
        }
        System.out.println("ok: full authentication without TLS (RSA public key retrieved)");
        check(connectError(url(port, "hashed", "wrong", "&allowPublicKeyRetrieval=true")) == 1045,
              "wrong password without TLS: 1045");
        System.out.println("ok: refusals");
    }
}
