package org.homeward.tools.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A JDBC connection for running the app's own search queries at another HNSW {@code ef_search}: the value in
 * any {@code SET [LOCAL] hnsw.ef_search = N} the app issues is replaced by the chosen one, and nothing else is
 * touched. It also records the last prepared statement and its parameters, so that the benchmark can ask
 * PostgreSQL for the plan of exactly the query the app ran.
 */
public final class EfSearchConnection {

    private static final Pattern EF_SEARCH = Pattern.compile("(?i)(?<head>hnsw\\.ef_search\\s*(=|to)\\s*)\\d+");

    /** A prepared statement's SQL and the parameter setters that were called on it, in order. */
    public record Recorded(String sql, List<Object[]> setters) {

        /** Prepares {@code prefix + sql} on {@code connection} with the same parameters. */
        public PreparedStatement prepare(Connection connection, String prefix) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(prefix + sql);
            try {
                for (Object[] call : setters) {
                    ((Method) call[0]).invoke(statement, (Object[]) call[1]);
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                statement.close();
                throw new SQLException("cannot replay the parameters of: " + sql, e);
            }
            return statement;
        }
    }

    private final Connection target;
    private final Connection proxy;
    private int efSearch;
    private int rewrites;
    private Recorded last;

    public EfSearchConnection(Connection target) {
        this.target = target;
        this.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, this::onConnection);
    }

    /** The connection to hand to the app's code. */
    public Connection connection() {
        return proxy;
    }

    /** The ef_search to put in the app's statements; 0 leaves them as they are. */
    public void efSearch(int value) {
        efSearch = value;
    }

    /** How many of the app's statements had their ef_search replaced so far. */
    public int rewrites() {
        return rewrites;
    }

    /** The last statement the app prepared on this connection, or null. */
    public Recorded lastPrepared() {
        return last;
    }

    private Object onConnection(Object self, Method method, Object[] args) throws Throwable {
        Object result = call(target, method, args);
        if (method.getName().equals("createStatement") && result instanceof Statement statement) {
            return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                    (s, m, a) -> call(statement, m, rewrite(m, a)));
        }
        if (method.getName().equals("prepareStatement") && result instanceof PreparedStatement statement) {
            Recorded recorded = new Recorded((String) args[0], new ArrayList<>());
            last = recorded;
            return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (s, m, a) -> {
                        if (m.getName().startsWith("set") && a != null && a.length >= 2 && a[0] instanceof Integer) {
                            recorded.setters().add(new Object[] {m, a.clone()});
                        }
                        return call(statement, m, a);
                    });
        }
        return result;
    }

    private Object[] rewrite(Method method, Object[] args) {
        if (efSearch > 0 && args != null && args.length > 0 && args[0] instanceof String sql
                && method.getName().startsWith("execute") && EF_SEARCH.matcher(sql).find()) {
            Object[] changed = args.clone();
            changed[0] = EF_SEARCH.matcher(sql).replaceAll("${head}" + efSearch);
            rewrites++;
            return changed;
        }
        return args;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The value of a setting in the connection's current transaction. */
    public static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT current_setting(?, true)")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
