package marketbackend;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * No regex of the server repeats a group without a small bound. java.util.regex matches each repetition of
 * a group (e.g. {@code (?:a|%[0-9]{2})*}) one stack frame deeper, so a long hostile input overflows the
 * request thread's stack; a repeated character class ({@code [a-z]*}) is matched in a loop and is safe.
 */
class RegexRecursionTest {
    /** More repetitions than this of a group is a recursion an input can drive. */
    private static final int MAX_GROUP_REPEAT = 64;

    /** Regex literals handed to the JDK's regex methods in the source. */
    private static final Pattern LITERAL = Pattern.compile(
            "(?:compile|matches|replaceAll|replaceFirst|split)\\(\\s*\"((?:[^\"\\\\]|\\\\.)*+)\"");

    @Test
    void theCheckFindsARecursingGroup() {
        assertThat(unboundedGroups("([A-Z]+) (/(?:[\\x21-\\x24\\x26-\\x7E]|%[0-9A-Fa-f]{2})*) HTTP/1\\.1"), hasSize(1));
        assertThat(unboundedGroups("(a|b){2,500}"), hasSize(1));
        assertThat(unboundedGroups("(a|b){2,}"), hasSize(1));
        assertThat(unboundedGroups("(a|b){100}"), hasSize(1));
        assertThat(unboundedGroups("[()]+(?:[ -]?[0-9]){12,18}\\(x\\)+"), is(empty()));
    }

    @Test
    void noServerRegexRepeatsAGroupWithoutABound() throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = LITERAL.matcher(Files.readString(f));
                while (m.find()) {
                    String regex = m.group(1).translateEscapes();
                    unboundedGroups(regex).forEach(g -> found.add(f + ": " + regex + " at " + g));
                }
            }
        }
        for (Pattern p : constants()) {
            unboundedGroups(p.pattern()).forEach(g -> found.add("constant " + p.pattern() + " at " + g));
        }
        assertThat(found, is(empty()));
    }

    /** Every static Pattern field of the server's classes (some are built from several strings). */
    private static List<Pattern> constants() throws IOException, ReflectiveOperationException {
        Path root = Path.of("target/classes");
        List<Pattern> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("marketbackend"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, RegexRecursionTest.class.getClassLoader());
                for (Field field : c.getDeclaredFields()) {
                    if (field.getType() == Pattern.class && Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        out.add((Pattern) field.get(null));
                    }
                }
            }
        }
        assertThat("the scan found the server's patterns", out.size() > 10, is(true));
        return out;
    }

    /** Offsets of each group closed by ')' and repeated by *, + or a count above {@link #MAX_GROUP_REPEAT}. */
    static List<Integer> unboundedGroups(String regex) {
        List<Integer> at = new ArrayList<>();
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == ')' && i + 1 < regex.length() && repeatsMany(regex.substring(i + 1))) {
                at.add(i);
            }
        }
        return at;
    }

    private static boolean repeatsMany(String after) {
        if (after.startsWith("*") || after.startsWith("+")) {
            return true;
        }
        Matcher count = Pattern.compile("^\\{(\\d+)(,(\\d*))?}").matcher(after);
        if (!count.find()) {
            return false;
        }
        String most = count.group(2) == null ? count.group(1) : count.group(3);
        return most.isEmpty() || Long.parseLong(most) > MAX_GROUP_REPEAT;
    }
}
