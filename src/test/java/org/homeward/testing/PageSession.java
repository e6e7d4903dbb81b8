package org.homeward.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person logged in to the pages over plain HTTP: the code flow through Keycloak's own login form, then
 * requests with the session's cookies, as a browser would send them. Every host here is 127.0.0.1, so one
 * jar by cookie name serves the app and Keycloak (as a browser keeps cookies per host, not per port).
 */
public final class PageSession {

    private static final Pattern LOGIN_FORM = Pattern.compile("<form id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern TOKEN_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]*)\"");

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    private PageSession(URI base) {
        this.base = base;
    }

    /** Opens the app's home page, is sent to Keycloak, fills in its login form and follows the way back. */
    public static PageSession logIn(URI base, String username) {
        return logIn(base, username, "/");
    }

    /** Signs in from {@code startPath} as a browser would, and checks that the person lands back on it. */
    public static PageSession logIn(URI base, String username, String startPath) {
        PageSession session = new PageSession(base);
        HttpResponse<String> login = session.follow(session.request(base.resolve(startPath)).GET());
        Matcher form = LOGIN_FORM.matcher(login.body());
        if (!form.find()) {
            throw new IllegalStateException("no Keycloak login form at " + login.uri() + ": " + login.statusCode());
        }
        URI action = URI.create(form.group(1).replace("&amp;", "&"));
        HttpResponse<String> home = session.follow(session.request(action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(Map.of("username", username,
                        "password", DemoUsers.PASSWORD, "credentialId", ""))))); 
        if (home.statusCode() != 200 || !home.uri().getPath().equals(startPath)) {
            throw new IllegalStateException("login of " + username + " ended at " + home.uri() + " with " + home.statusCode());
        }
        return session;
    }

    /** A page, without following redirects. */
    public HttpResponse<String> get(String path) {
        return send(request(base.resolve(path)).GET());
    }

    /** What a page's image or script fetches, with its own Accept header. */
    public HttpResponse<String> get(String path, String accept) {
        return send(request(base.resolve(path)).setHeader("Accept", accept).GET());
    }

    /** The csrf-token field of the first form on the page. */
    public String formToken(String pagePath) {
        HttpResponse<String> page = get(pagePath);
        Matcher token = TOKEN_FIELD.matcher(page.body());
        if (page.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("no csrf-token field on " + pagePath + " (" + page.statusCode() + ")");
        }
        return token.group(1);
    }

    /** A POST as given (body may be null: no body at all), without following redirects. */
    public HttpResponse<String> post(String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = request(base.resolve(path));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A form as a page would send it (application/x-www-form-urlencoded). */
    public HttpResponse<String> postForm(String path, Map<String, String> fields) {
        return post(path, "application/x-www-form-urlencoded", formBody(fields), Map.of());
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    /** Sets a cookie as someone else on the same site could (another port, a sibling subdomain). */
    public void plantCookie(String name, String value) {
        cookies.put(name, value);
    }

    /** The Set-Cookie header the last response of the given request carried for a cookie, raw; null when none. */
    public static String setCookieHeader(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(name + "="))
                .findFirst().orElse(null);
    }

    public static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", "text/html");
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return builder;
    }

    private HttpResponse<String> follow(HttpRequest.Builder first) {
        HttpResponse<String> response = send(first);
        for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
            URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
            response = send(request(next).GET());
        }
        return response;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                boolean expired = header.toLowerCase().contains("max-age=0") || value.isEmpty();
                if (expired) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
