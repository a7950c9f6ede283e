package io.infera.tasks.tablequestionanswering;

import java.util.Arrays;
import java.util.Objects;

/**
 * A number or a (partial) date found in a cell or a question, as TAPAS annotates them: the
 * numbers give columns their ranks and question-to-cell relations.
 *
 * @param number the value of a number, or null for a date
 * @param date   year, month, day of a date (each null when the text does not say it), or null for a number
 */
record NumericValue(Double number, Double[] date) {

    static NumericValue ofNumber(double value) {
        return new NumericValue(value, null);
    }

    static NumericValue ofDate(Integer year, Integer month, Integer day) {
        return new NumericValue(null, new Double[] {
            year == null ? null : year.doubleValue(),
            month == null ? null : month.doubleValue(),
            day == null ? null : day.doubleValue()
        });
    }

    boolean isDate() {
        return date != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericValue v && Objects.equals(number, v.number) && Arrays.equals(date, v.date);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, Arrays.hashCode(date));
    }
}
