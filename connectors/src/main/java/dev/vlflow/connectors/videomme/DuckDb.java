package dev.vlflow.connectors.videomme;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** An in-memory DuckDB connection, the project's way to read and write parquet. */
final class DuckDb {

    private DuckDb() {
    }

    static Connection open() throws SQLException {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new SQLException("DuckDB JDBC driver (org.duckdb:duckdb_jdbc) is not on the classpath", e);
        }
        return DriverManager.getConnection("jdbc:duckdb:");
    }

    /** A path as a SQL string literal (DuckDB's table functions take no bind parameters for file names). */
    static String literal(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
