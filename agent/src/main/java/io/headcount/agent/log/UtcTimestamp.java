package io.headcount.agent.log;

import java.time.Instant;

/**
 * An instant as ISO-8601 text in UTC, exactly as {@link Instant#toString()} writes it for the years
 * 1970 to 9999 (seconds always, the fraction in groups of three digits when there is one). Written
 * out here because {@code Instant.toString()} builds java.time's formatter machinery on first use,
 * about 10 ms of the premain on one core, for the agent's first log line.
 */
final class UtcTimestamp {
    private static final long SECONDS_PER_DAY = 86_400;

    private UtcTimestamp() {
    }

    static String of(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        int nano = instant.getNano();
        // Days to a civil date: H. Hinnant's days_from_civil inverted, over 400-year eras of 146,097 days.
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY) + 719_468;
        long era = Math.floorDiv(days, 146_097);
        long dayOfEra = days - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        long month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        long secondOfDay = Math.floorMod(epochSecond, SECONDS_PER_DAY);

        StringBuilder text = new StringBuilder(30);
        digits(text, year, 4).append('-');
        digits(text, month, 2).append('-');
        digits(text, day, 2).append('T');
        digits(text, secondOfDay / 3600, 2).append(':');
        digits(text, secondOfDay / 60 % 60, 2).append(':');
        digits(text, secondOfDay % 60, 2);
        if (nano != 0) {
            text.append('.');
            if (nano % 1_000_000 == 0) {
                digits(text, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(text, nano / 1_000, 6);
            } else {
                digits(text, nano, 9);
            }
        }
        return text.append('Z').toString();
    }

    /** {@code value} with leading zeros to {@code width} digits. */
    private static StringBuilder digits(StringBuilder text, long value, int width) {
        String number = Long.toString(value);
        for (int i = number.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(number);
    }
}
