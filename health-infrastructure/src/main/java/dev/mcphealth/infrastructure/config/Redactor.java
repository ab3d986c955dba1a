package dev.mcphealth.infrastructure.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Replaces every secret value in a text with {@code ***}, in any letter case and in the encodings a server is likely
 * to echo it in. A server's error text is its own: it may upper-case what it was given ("invalid key ABCD-..."),
 * percent-encode it (a URL it logs) or base64 it (a header it logs), and each of those is the secret to whoever reads
 * it. So each secret is matched case-insensitively (Unicode simple case folding), as is, percent-encoded (with
 * {@code +} or {@code %20} for a space) and base64-encoded (standard and URL-safe, padded or not).
 * Not covered: a secret cut into pieces, or encoded otherwise (hex, JSON {@code \\u} escapes, a hash).
 */
public final class Redactor {
    /** Values shorter than this ("1", "on") are not secrets worth hiding and would mangle every message. */
    static final int MIN_SECRET_LENGTH = 4;
    private final Pattern secrets;

    public Redactor(List<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH) {
                forms.addAll(forms(s));
            }
        }
        // the longest first: of two secrets where one contains the other, the longer is replaced whole
        this.secrets = forms.isEmpty() ? null : Pattern.compile(forms.stream()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .map(Pattern::quote)
                        .collect(Collectors.joining("|")),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    public static Redactor of(Endpoint endpoint) {
        return new Redactor(endpoint.secrets());
    }

    public String redact(String text) {
        if (text == null || secrets == null) {
            return text;
        }
        return secrets.matcher(text).replaceAll(Matcher.quoteReplacement("***"));
    }

    /** The secret as is and as a server may echo it encoded; forms too short to be worth hiding are left out. */
    static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        // a credential after its scheme ("Bearer abc", "Basic dXNlcg==", "token abc"): a server may echo it alone
        int space = secret.indexOf(' ');
        if (space > 0 && space < secret.length() - 1 && secret.substring(0, space).matches("[A-Za-z][A-Za-z0-9_-]*")) {
            forms.addAll(forms(secret.substring(space + 1).strip()));
        }
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(url);
        forms.add(url.replace("+", "%20"));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        String base64 = Base64.getEncoder().encodeToString(bytes);
        forms.add(base64);
        forms.add(strip(base64));
        forms.add(strip(Base64.getUrlEncoder().encodeToString(bytes)));
        forms.removeIf(f -> f.length() < MIN_SECRET_LENGTH);
        return forms;
    }

    private static String strip(String base64) {
        int end = base64.length();
        while (end > 0 && base64.charAt(end - 1) == '=') {
            end--;
        }
        return base64.substring(0, end);
    }
}
