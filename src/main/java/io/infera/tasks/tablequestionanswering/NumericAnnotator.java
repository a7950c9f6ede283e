package io.infera.tasks.tablequestionanswering;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the numbers and dates in a text as the TAPAS tokenizer's {@code parse_text} does: the
 * number pattern, single words that are numbers, number words and ordinals ("three", "third",
 * "3rd"), and n-grams of up to five words that read as one of its date patterns; the longest
 * spans win. Works on code points, as Python strings index.
 */
final class NumericAnnotator {

    private static final Pattern NUMBER =
            Pattern.compile("((^|\\s)[+-])?((\\.\\d+)|(\\d+(,\\d\\d\\d)*(\\.\\d*)?))", Pattern.UNICODE_CHARACTER_CLASS);
    /** What Python's float() accepts (besides inf/nan, which the tokenizer drops anyway). */
    private static final Pattern PYTHON_FLOAT =
            Pattern.compile("\\s*[+-]?((\\d+(\\.\\d*)?)|(\\.\\d+))([eE][+-]?\\d+)?\\s*");

    private static final List<String> NUMBER_WORDS = List.of(
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve");
    private static final List<String> ORDINAL_WORDS = List.of(
            "zeroth",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth");
    private static final List<String> ORDINAL_SUFFIXES = List.of("st", "nd", "rd", "th");
    private static final int MAX_DATE_NGRAM = 5;
    private static final int MIN_YEAR = 1700;
    private static final int MAX_YEAR = 2016;
    private static final Pattern SEPT = Pattern.compile("Sept\\b");

    /** The tokenizer's date patterns, in its order, with which fields each keeps. */
    private record DatePattern(String format, boolean year, boolean month, boolean day, Pattern prefilter) {}

    private static final List<DatePattern> DATE_PATTERNS = List.of(
            date("%B", false, true, false),
            date("%Y", true, false, false),
            date("%Ys", true, false, false),
            date("%b %Y", true, true, false),
            date("%B %Y", true, true, false),
            date("%B %d", false, true, true),
            date("%b %d", false, true, true),
            date("%d %b", false, true, true),
            date("%d %B", false, true, true),
            date("%B %d, %Y", true, true, true),
            date("%d %B %Y", true, true, true),
            date("%m-%d-%Y", true, true, true),
            date("%Y-%m-%d", true, true, true),
            date("%Y-%m", true, true, false),
            date("%B %Y", true, true, false),
            date("%d %b %Y", true, true, true),
            date("%Y-%m-%d", true, true, true),
            date("%b %d, %Y", true, true, true),
            date("%d.%m.%Y", true, true, true),
            date("%A, %b %d", false, true, true),
            date("%A, %B %d", false, true, true));

    /** One span of the text and the values read from it. */
    record Span(int begin, int end, List<NumericValue> values) {}

    private NumericAnnotator() {}

    private static DatePattern date(String format, boolean year, boolean month, boolean day) {
        String regex = format.replace(".", "\\.")
                .replace("-", "\\-")
                .replace(" ", "\\s+")
                .replace("%A", "\\w+")
                .replace("%B", "\\w+")
                .replace("%Y", "\\d{4}")
                .replace("%b", "\\w{3}")
                .replace("%d", "\\d{1,2}")
                .replace("%m", "\\d{1,2}");
        return new DatePattern(
                format, year, month, day, Pattern.compile("^" + regex + "$", Pattern.UNICODE_CHARACTER_CLASS));
    }

    /** The values of a text in reading order, longest spans kept. */
    static List<Span> parse(String text) {
        int[] cps = text.codePoints().toArray();
        Map<List<Integer>, List<NumericValue>> spans = new LinkedHashMap<>();
        Matcher matcher = NUMBER.matcher(text);
        while (matcher.find()) {
            Double number = parseNumber(matcher.group());
            if (number != null) {
                int begin = text.codePointCount(0, matcher.start());
                int end = text.codePointCount(0, matcher.end());
                spans.computeIfAbsent(List.of(begin, end), k -> new ArrayList<>())
                        .add(NumericValue.ofNumber(number));
            }
        }
        for (int[] span : allSpans(cps, 1)) {
            List<Integer> key = List.of(span[0], span[1]);
            if (spans.containsKey(key)) {
                continue;
            }
            String word = new String(cps, span[0], span[1] - span[0]);
            Double number = parseNumber(word);
            if (number != null) {
                spans.computeIfAbsent(key, k -> new ArrayList<>()).add(NumericValue.ofNumber(number));
            }
            int cardinal = NUMBER_WORDS.indexOf(word);
            if (cardinal >= 0) {
                spans.computeIfAbsent(key, k -> new ArrayList<>()).add(NumericValue.ofNumber(cardinal));
            }
            int ordinal = ORDINAL_WORDS.indexOf(word);
            if (ordinal >= 0) {
                spans.computeIfAbsent(key, k -> new ArrayList<>()).add(NumericValue.ofNumber(ordinal));
            }
        }
        for (int[] span : allSpans(cps, MAX_DATE_NGRAM)) {
            NumericValue date = parseDate(new String(cps, span[0], span[1] - span[0]));
            if (date != null) {
                spans.computeIfAbsent(List.of(span[0], span[1]), k -> new ArrayList<>())
                        .add(date);
            }
        }
        List<Span> all = new ArrayList<>();
        spans.forEach((key, values) -> all.add(new Span(key.get(0), key.get(1), values)));
        // Longest first, then leftmost; a span inside one already chosen is dropped.
        all.sort(Comparator.comparingInt((Span s) -> s.end() - s.begin())
                .reversed()
                .thenComparingInt(Span::begin));
        List<Span> selected = new ArrayList<>();
        for (Span span : all) {
            boolean inside = selected.stream().anyMatch(s -> s.begin() <= span.begin() && span.end() <= s.end());
            if (!inside) {
                selected.add(span);
            }
        }
        selected.sort(Comparator.comparingInt(Span::begin));
        return selected;
    }

    /** Every run of up to {@code maxWords} alphanumeric words, as [begin, end) code point spans. */
    private static List<int[]> allSpans(int[] text, int maxWords) {
        List<int[]> spans = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < text.length; i++) {
            if (!Character.isLetterOrDigit(text[i])) {
                continue;
            }
            if (i == 0 || !Character.isLetterOrDigit(text[i - 1])) {
                starts.add(i);
            }
            if (i + 1 == text.length || !Character.isLetterOrDigit(text[i + 1])) {
                for (int s : starts.subList(Math.max(0, starts.size() - maxWords), starts.size())) {
                    spans.add(new int[] {s, i + 1});
                }
            }
        }
        return spans;
    }

    /** A cardinal or ordinal number ("1,234.5", "3rd"), as the tokenizer's _parse_number reads it. */
    static Double parseNumber(String text) {
        for (String suffix : ORDINAL_SUFFIXES) {
            if (text.endsWith(suffix)) {
                text = text.substring(0, text.length() - suffix.length());
                break;
            }
        }
        text = text.replace(",", "");
        if (!PYTHON_FLOAT.matcher(text).matches()) {
            return null;
        }
        double value = Double.parseDouble(text.strip());
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    /** The first date pattern the text matches as a whole, with a year in the tokenizer's range when it has one. */
    static NumericValue parseDate(String text) {
        text = SEPT.matcher(text).replaceAll("Sep");
        for (DatePattern pattern : DATE_PATTERNS) {
            if (!pattern.prefilter().matcher(text).matches()) {
                continue;
            }
            int[] fields = strptime(text, pattern.format());
            if (fields == null) {
                continue;
            }
            int year = fields[0];
            if (year < MIN_YEAR || year > MAX_YEAR) {
                continue;
            }
            return NumericValue.ofDate(
                    pattern.year() ? year : null, pattern.month() ? fields[1] : null, pattern.day() ? fields[2] : null);
        }
        return null;
    }

    /**
     * Python's strptime for the fields these patterns use: year, month and day (1900-01-01 for
     * what the format leaves out), or null when the text does not parse or is no real date.
     */
    private static int[] strptime(String text, String format) {
        StringBuilder regex = new StringBuilder("(?i)");
        List<Character> fields = new ArrayList<>();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%') {
                char field = format.charAt(++i);
                fields.add(field);
                regex.append(
                        switch (field) {
                            case 'Y' -> "(\\d{4})";
                            case 'm', 'd' -> "(\\d{1,2})";
                            case 'B' -> "(" + names(TextStyle.FULL) + ")";
                            case 'b' -> "(" + names(TextStyle.SHORT) + ")";
                            case 'A' -> "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
                            default -> throw new IllegalStateException("unknown strptime field %" + field);
                        });
            } else if (Character.isWhitespace(c)) {
                regex.append("\\s+");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Matcher m = Pattern.compile(regex.toString()).matcher(text);
        if (!m.matches()) {
            return null;
        }
        int year = 1900;
        int month = 1;
        int day = 1;
        for (int g = 0; g < fields.size(); g++) {
            String value = m.group(g + 1);
            switch (fields.get(g)) {
                case 'Y' -> year = Integer.parseInt(value);
                case 'm' -> month = Integer.parseInt(value);
                case 'd' -> day = Integer.parseInt(value);
                case 'B', 'b' -> month = monthOf(value);
                default -> {}
            }
        }
        try {
            LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
        return new int[] {year, month, day};
    }

    private static String names(TextStyle style) {
        StringBuilder names = new StringBuilder();
        for (Month month : Month.values()) {
            names.append(names.isEmpty() ? "" : "|")
                    .append(month.getDisplayName(style, Locale.ENGLISH).toLowerCase(Locale.ROOT));
        }
        return names.toString();
    }

    private static int monthOf(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Month month : Month.values()) {
            if (month.getDisplayName(TextStyle.FULL, Locale.ENGLISH)
                            .toLowerCase(Locale.ROOT)
                            .equals(lower)
                    || month.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                            .toLowerCase(Locale.ROOT)
                            .equals(lower)) {
                return month.getValue();
            }
        }
        throw new IllegalStateException("not a month: " + name);
    }
}
